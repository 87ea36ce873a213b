/**
 * Real editors as LSP clients of `dist/server.cjs --stdio` on a temp copy of examples/:
 * Neovim (headless) and Emacs + Eglot (batch), via test/editors/run.mjs. Each editor's test is
 * skipped when the editor is not installed (scripts/editors/install.sh installs them), so
 * `npm test` passes without them.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './helpers.js';

const RUN = path.join(ROOT, 'test', 'editors', 'run.mjs');

function run(args: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [RUN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}` };
}

/** Why the editor cannot run here, or undefined when it can. */
function missing(editor: 'nvim' | 'emacs'): string | undefined {
  const version = spawnSync(editor, ['--version'], { stdio: 'ignore', timeout: 15_000 });
  if (version.status !== 0) return `${editor} is not installed (bash scripts/editors/install.sh)`;
  if (editor === 'emacs') {
    // Emacs 28 without elpa-eglot (Emacs 29+ has Eglot built in).
    const eglot = spawnSync('emacs', ['--batch', '-q', '--eval', '(progn (package-activate-all) (kill-emacs (if (locate-library "eglot") 0 3)))'], { stdio: 'ignore', timeout: 30_000 });
    if (eglot.status !== 0) return 'Eglot is not installed for Emacs (bash scripts/editors/install.sh)';
  }
  return undefined;
}

test('test/editors/README-snippet.md shows exactly the configurations the editor tests run', () => {
  const r = run(['--snippet']);
  assert.equal(r.status, 0, r.output);
});

for (const [editor, title] of [
  ['nvim', 'Neovim'],
  ['emacs', 'Emacs + Eglot'],
] as const) {
  test(`${title} as an LSP client on examples/: diagnostics, hover, completion, go to definition`, (t) => {
    const why = missing(editor);
    if (why) {
      t.skip(why);
      return;
    }
    const r = run([editor]);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, new RegExp(`^PASS ${title.replace(/[+]/g, '\\+')} \\(\\d+ ms\\)$`, 'm'), r.output);
  });
}
