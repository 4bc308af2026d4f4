/**
 * Where commands put their results: a human line, or with --json one line
 * of JSON on stdout, so scripts can read what a command did.
 */
export class CliOutput {
  json = false;

  constructor(
    private readonly stdout: (line: string) => void = (line) =>
      process.stdout.write(line + '\n'),
  ) {}

  /** A command's final result: `text` for people, `data` for --json. */
  result(text: string, data: object): void {
    this.stdout(this.json ? JSON.stringify(data) : text);
  }
}
