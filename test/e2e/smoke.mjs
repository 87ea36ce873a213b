// Smoke test of the real-editor harness: code-server + Debian chromium, no Northstar extension.
//
//   bash scripts/e2e/install.sh && node test/e2e/smoke.mjs
//
// Opens a temp folder holding one Markdown file, trusts it, opens the file, reads the Problems
// panel (the built-in Markdown language server reports a broken link, proving that a Node
// extension host and a language server run), hovers, completes, runs "View: Toggle Word Wrap"
// from the palette, then checks Restricted Mode in a second, untrusted window.
// Screenshots go to test/e2e/screenshots/. Exit code 0 on success.

import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  withSession, handleWorkspaceTrust, isRestrictedMode, openFile, openProblems, waitForProblems,
  runCommand, hoverText, triggerCompletion, SEL,
} from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const screenshotDir = path.join(HERE, 'screenshots');

const LONG = 'This line is deliberately long so that toggling word wrap changes how many visual lines the editor renders for it, '.repeat(3).trim();
const NOTES = `# Northstar smoke

Some *markdown* text, see [the docs](./missing.md) for more.

- item one
- item two

${LONG}

mark
`;

const t0 = Date.now();
let passed = 0;
let failed = 0;
const count = (fn) => async () => {
  const v = await fn();
  passed++;
  return v;
};

try {
  // ---- 1. trusted window ----------------------------------------------------------------------
  await withSession({
    files: { 'notes.md': NOTES },
    settings: { 'markdown.validate.enabled': true, '[markdown]': { 'editor.wordWrap': 'off' }, 'editor.minimap.enabled': false },
    screenshotDir,
  }, async (s) => {
    console.log(`[smoke] workbench up after ${Date.now() - t0} ms`);
    await s.step('trust the folder', count(async () => {
      await handleWorkspaceTrust(s.page, { trust: true });
      assert.equal(await isRestrictedMode(s.page), false);
      await s.shot('01-trusted-workbench');
    }));

    await s.step('open notes.md via quick open', count(async () => {
      await openFile(s.page, 'notes.md');
      await s.shot('02-notes-open');
    }));

    await s.step('Problems panel shows the Markdown broken-link warning', count(async () => {
      await openProblems(s.page);
      const rows = await waitForProblems(s.page, (r) => r.some((x) => x.kind === 'marker' && /missing\.md/.test(x.message)),
        { timeout: 30_000, message: 'the markdown link diagnostic' });
      const marker = rows.find((x) => x.kind === 'marker');
      console.log('[smoke] problems:', JSON.stringify(rows.map(({ text, ...r }) => r)));
      assert.equal(marker.severity, 'warning');
      assert.equal(marker.line, 3);
      assert.equal(marker.file, 'notes.md');
      await s.shot('03-problems-panel');
    }));

    await s.step('hover over the broken link', count(async () => {
      const text = await hoverText(s.page, 'missing.md', { contains: 'Follow link' });
      console.log('[smoke] hover:', JSON.stringify(text));
      assert.match(text, /File does not exist at path/);
      await s.shot('04-hover');
    }));

    await s.step('completion (Ctrl+Space) lists words of the document', count(async () => {
      const labels = await triggerCompletion(s.page, { at: 'mark', occurrence: 1 });
      console.log('[smoke] completion:', JSON.stringify(labels));
      assert.ok(labels.includes('markdown'), `expected "markdown" among ${JSON.stringify(labels)}`);
      await s.shot('05-completion');
      await s.page.keyboard.press('Escape');
      await s.page.locator(SEL.suggest).waitFor({ state: 'hidden' });
    }));

    await s.step('run "View: Toggle Word Wrap" from the palette', count(async () => {
      const lines = () => s.page.locator(`${SEL.activeEditor} .view-lines .view-line`).count();
      const before = await lines();
      await runCommand(s.page, 'View: Toggle Word Wrap');
      // Wrapping the long line adds visual lines.
      await s.page.waitForFunction(
        ({ sel, before }) => document.querySelectorAll(sel).length > before,
        { sel: `${SEL.activeEditor} .view-lines .view-line`, before },
      );
      console.log(`[smoke] visual lines: ${before} -> ${await lines()}`);
      await s.shot('06-word-wrap-on');
    }));
  });

  // ---- 2. untrusted window: Restricted Mode ---------------------------------------------------
  await withSession({ files: { 'notes.md': NOTES }, screenshotDir }, async (s) => {
    await s.step('do not trust the folder: Restricted Mode', count(async () => {
      await handleWorkspaceTrust(s.page, { trust: false });
      assert.equal(await isRestrictedMode(s.page), true);
      await s.shot('07-restricted-mode');
    }));
  });
} catch (e) {
  failed++;
  console.error(`\n${e.message}`);
  if (e.cause?.stack) console.error(e.cause.stack);
}

console.log(`[smoke] finished in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${path.relative(process.cwd(), screenshotDir) || screenshotDir}`);
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
