/**
 * "Northstar: Create Sample Workspace": copies the sample workspace bundled with the extension
 * (the repository's examples/: a brief, four PRDs, two OKR documents and a note, with deliberate
 * mistakes to fix) into a new folder inside one the user picks, then opens it.
 */
import * as vscode from 'vscode';

export const SAMPLE_FOLDER = 'northstar-sample';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The sample copied into `parent` (a new folder `northstar-sample`, `-2`, … so nothing is overwritten). */
export async function writeSample(context: vscode.ExtensionContext, parent: vscode.Uri): Promise<vscode.Uri> {
  const source = vscode.Uri.joinPath(context.extensionUri, 'examples');
  let target = vscode.Uri.joinPath(parent, SAMPLE_FOLDER);
  for (let n = 2; await exists(target); n++) target = vscode.Uri.joinPath(parent, `${SAMPLE_FOLDER}-${n}`);
  await vscode.workspace.fs.copy(source, target, { overwrite: false });
  return target;
}

/** Asks for a folder, writes the sample there and opens it (in this window when it holds no folder). */
export async function createSampleWorkspace(context: vscode.ExtensionContext, pick?: vscode.Uri): Promise<vscode.Uri | undefined> {
  let parent = pick;
  if (!parent) {
    const chosen = await vscode.window.showOpenDialog({
      title: 'Northstar: where should the sample workspace go?',
      openLabel: 'Create the sample here',
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.env.HOME ?? process.env.USERPROFILE ?? '/'),
    });
    parent = chosen?.[0];
  }
  if (!parent) return undefined;
  let target: vscode.Uri;
  try {
    target = await writeSample(context, parent);
  } catch (e) {
    void vscode.window.showErrorMessage(`Northstar: could not write the sample workspace into ${parent.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  const inNew = Boolean(vscode.workspace.workspaceFolders?.length);
  await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: inNew });
  return target;
}
