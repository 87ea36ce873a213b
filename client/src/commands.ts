/**
 * Commands that create documents and run the CLI as a task. The text of a new document comes
 * from the server; the client only asks the questions and writes the file.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { IdsRequest, NewDocumentRequest, send } from './protocol.js';

type DocType = 'brief' | 'prd' | 'okr';
const LABEL: Record<DocType, string> = { brief: 'Product Brief', prd: 'PRD', okr: 'OKR Document' };

function nextQuarter(): string {
  const d = new Date();
  const q = Math.floor(d.getMonth() / 3) + 1;
  return q === 4 ? `${d.getFullYear() + 1}-Q1` : `${d.getFullYear()}-Q${q + 1}`;
}

export async function newDocument(client: LanguageClient | undefined, type: DocType): Promise<vscode.Uri | undefined> {
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage('Northstar: the language server is not running.');
    return undefined;
  }
  const title = await vscode.window.showInputBox({ title: `New ${LABEL[type]}`, prompt: 'Title', placeHolder: type === 'okr' ? 'Q1 2027 company OKRs' : 'Saved payment cards', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'A title, please') });
  if (!title) return undefined;
  let brief: string | undefined;
  let period: string | undefined;
  if (type === 'prd') {
    const briefs = await send(client, IdsRequest, { kind: 'BRIEF' });
    if (briefs.length > 1) {
      const pick = await vscode.window.showQuickPick(
        briefs.map((b) => ({ label: b.id, description: b.title ?? '' })),
        { title: 'The product brief this PRD belongs to', ignoreFocusOut: true },
      );
      if (!pick) return undefined;
      brief = pick.label;
    } else brief = briefs[0]?.id;
  } else if (type === 'okr') {
    period = await vscode.window.showInputBox({ title: 'Period', prompt: 'A quarter (2027-Q1), a half (2027-H1) or a year (2027)', value: nextQuarter(), ignoreFocusOut: true, validateInput: (v) => (/^\d{4}(-Q[1-4]|-H[12])?$/.test(v.trim()) ? undefined : 'Like 2027-Q1, 2027-H1 or 2027') });
    if (!period) return undefined;
    period = period.trim();
  }
  const r = await send(client, NewDocumentRequest, { type, title, ...(brief ? { brief } : {}), ...(period ? { period } : {}) });
  if (!r) {
    void vscode.window.showWarningMessage('Northstar: open a folder to create documents in.');
    return undefined;
  }
  const folder = vscode.Uri.parse(r.folder);
  let target = vscode.Uri.joinPath(folder, r.fileName);
  for (let n = 2; await exists(target); n++) target = vscode.Uri.joinPath(folder, r.fileName.replace(/\.(\w+)\.md$/, `-${n}.$1.md`));
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(r.text));
  const doc = await vscode.workspace.openTextDocument(target);
  await vscode.window.showTextDocument(doc);
  return target;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The `northstar` task type: `northstar check` in a terminal, its output read by the `$northstar` problem matcher. */
export function taskProvider(context: vscode.ExtensionContext): vscode.TaskProvider {
  const cli = context.asAbsolutePath('dist/cli.cjs');
  const make = (definition: vscode.TaskDefinition, folder: vscode.WorkspaceFolder): vscode.Task => {
    const args = ['check', ...((definition.paths as string[] | undefined) ?? ['.']), '--no-color', ...(definition.asOf ? ['--as-of', String(definition.asOf)] : [])];
    const task = new vscode.Task(definition, folder, 'check', 'northstar', new vscode.ProcessExecution(process.execPath, [cli, ...args], { cwd: folder.uri.fsPath, env: { ELECTRON_RUN_AS_NODE: '1' } }), '$northstar');
    task.group = vscode.TaskGroup.Test;
    return task;
  };
  return {
    provideTasks: () => (vscode.workspace.workspaceFolders ?? []).map((f) => make({ type: 'northstar' }, f)),
    resolveTask: (task) => {
      const folder = task.scope && typeof task.scope === 'object' ? (task.scope as vscode.WorkspaceFolder) : vscode.workspace.workspaceFolders?.[0];
      return folder ? make(task.definition, folder) : undefined;
    },
  };
}
