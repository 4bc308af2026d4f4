/**
 * "SubFace: Open Tutorial...": lists the notebooks shipped in the
 * extension's notebooks/ folder, copies the chosen one into the
 * workspace (under a new name if that file exists; the shipped copy is
 * never touched) and opens the copy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export interface Tutorial {
  /** File name, e.g. 01-quickstart.ipynb. */
  file: string;
  /** The first heading of the notebook. */
  title: string;
  uri: vscode.Uri;
}

/** Arguments for calls from code (tests): no picker, no dialog. */
export interface OpenTutorialArgs {
  file?: string;
  folder?: vscode.Uri;
}

/** The first markdown heading of a notebook, else its file name. */
function titleOf(file: string): string {
  try {
    const notebook = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const cell of notebook.cells ?? []) {
      if (cell.cell_type !== 'markdown') continue;
      const source = [cell.source].flat().join('');
      const heading = /^#+\s+(.+)$/m.exec(source);
      if (heading) return heading[1].trim();
    }
  } catch {
    // An unreadable notebook is still listed, by its name.
  }
  return path.basename(file, '.ipynb');
}

export function listTutorials(extensionPath: string): Tutorial[] {
  const dir = path.join(extensionPath, 'notebooks');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.ipynb'))
    .sort()
    .map((file) => ({
      file,
      title: titleOf(path.join(dir, file)),
      uri: vscode.Uri.file(path.join(dir, file)),
    }));
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** `name.ipynb`, else `name-2.ipynb`, `name-3.ipynb`, ... in `folder`. */
export async function freeName(
  folder: vscode.Uri,
  file: string,
): Promise<vscode.Uri> {
  const stem = path.basename(file, '.ipynb');
  let candidate = vscode.Uri.joinPath(folder, file);
  for (let n = 2; await exists(candidate); n++) {
    candidate = vscode.Uri.joinPath(folder, `${stem}-${n}.ipynb`);
  }
  return candidate;
}

async function pickTutorial(
  tutorials: Tutorial[],
): Promise<Tutorial | undefined> {
  const picked = await vscode.window.showQuickPick(
    tutorials.map((tutorial) => ({
      label: tutorial.title,
      description: tutorial.file,
      tutorial,
    })),
    { title: 'SubFace: Open Tutorial', placeHolder: 'Choose a tutorial' },
  );
  return picked?.tutorial;
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0].uri;
  if (folders.length > 1) {
    const folder = await vscode.window.showWorkspaceFolderPick({
      placeHolder: 'Copy the tutorial into which folder?',
    });
    return folder?.uri;
  }
  const chosen = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: 'Copy Tutorial Here',
  });
  return chosen?.[0];
}

/** Runs the command; resolves with the opened copy (undefined: cancelled). */
export async function openTutorial(
  extensionPath: string,
  args: OpenTutorialArgs = {},
): Promise<vscode.Uri | undefined> {
  const tutorials = listTutorials(extensionPath);
  if (tutorials.length === 0) {
    void vscode.window.showErrorMessage(
      `SubFace: no tutorial notebooks in ${extensionPath}/notebooks.`,
    );
    return undefined;
  }
  const tutorial =
    args.file !== undefined
      ? tutorials.find((t) => t.file === args.file)
      : await pickTutorial(tutorials);
  if (tutorial === undefined && args.file !== undefined) {
    throw new Error(`SubFace: no tutorial named ${args.file}`);
  }
  if (tutorial === undefined) return undefined;
  const folder = args.folder ?? (await pickFolder());
  if (folder === undefined) return undefined;

  const target = await freeName(folder, tutorial.file);
  await vscode.workspace.fs.copy(tutorial.uri, target, { overwrite: false });
  const notebook = await vscode.workspace.openNotebookDocument(target);
  await vscode.window.showNotebookDocument(notebook);
  return target;
}
