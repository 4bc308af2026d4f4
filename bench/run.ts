/**
 * Benchmark dispatcher: `npm run bench -- <name> [options]`.
 *
 * Each benchmark is a module `bench/<name>.ts` exporting `main(args)`. It
 * prints human-readable lines and, last, one line of JSON with at least
 * `name`, `ratio` and its raw figures.
 */
import * as fs from 'fs';
import * as path from 'path';

interface BenchModule {
  main(args: string[]): Promise<void>;
}

function available(): string[] {
  return fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.js') && f !== 'run.js')
    .filter((f) => !f.startsWith('common'))
    .map((f) => f.replace(/\.js$/, ''))
    .sort();
}

async function run(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const names = available();
  if (!name || !names.includes(name)) {
    const got = name === undefined ? 'nothing' : `'${name}'`;
    console.error(
      `bench: name must be one of ${names.join(', ')}, but got ${got}\n` +
        'usage: npm run bench -- <name> [options]',
    );
    process.exit(2);
  }
  const bench = (await import(path.join(__dirname, name))) as BenchModule;
  await bench.main(args);
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
