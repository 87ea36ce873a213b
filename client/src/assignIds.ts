/**
 * "Northstar: Assign IDs in This Document": runs the server's source action of the kind
 * `source.assignIds.northstar` on the active editor. The server computes the one edit that
 * writes every derived ID; the client only asks VS Code to apply it (no domain logic here).
 */
import * as vscode from 'vscode';

/** The code action kind the server offers for "Assign IDs in this document". */
export const ASSIGN_IDS_KIND = 'source.assignIds.northstar';

export async function assignIdsInActiveDocument(): Promise<void> {
  if (!vscode.window.activeTextEditor) {
    void vscode.window.showInformationMessage('Northstar: open a brief, PRD or OKR document to assign IDs in it.');
    return;
  }
  await vscode.commands.executeCommand('editor.action.sourceAction', { kind: ASSIGN_IDS_KIND, apply: 'first' });
}
