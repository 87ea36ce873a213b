// End-to-end test of the Northstar extension in a real editor: code-server (VS Code 1.99.3 with
// a real Node extension host) in Debian's Chromium, driven by playwright-core (see README.md).
//
//   npm run test:e2e                  # builds dist/northstar.vsix, then runs this file
//   node test/e2e/extension.e2e.mjs   # uses the dist/northstar.vsix already built
//
// Copies examples/ to a temp folder, installs dist/northstar.vsix, sets northstar.asOf to
// 2026-11-23 and checks, as a user sees it: the Problems panel, hover, completion, the status
// bar, "Northstar: Check Roadmap Alignment" (report webview + findings of files that are not
// open), then Restricted Mode in a second, untrusted window, then a real spec-kit spec.md (only
// `type: prd` added) in a third: its findings against its hand-written labels, the outline, the
// hover of a user story, and docs/images/speckit-spec.png. NORTHSTAR_E2E_ONLY=speckit (or a comma
// list of trusted, untrusted, speckit) runs only those windows.
//
// Every step waits on the state it expects (no fixed sleeps) and saves a screenshot. The README's
// images go to docs/images/{diagnostics,hover,completion,report}.png, everything else to
// test/e2e/screenshots/. A failing step names what it expected, what it saw, its screenshot
// (screenshots/FAILED-<step>.png) and a copy of the code-server log. Exit code 0 = all passed.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  withSession, handleWorkspaceTrust, isRestrictedMode, openFile, openProblems, readProblems, waitForProblems,
  runCommand, hoverText, triggerCompletion, findTextInEditor, screenshot, waitUntil, waitForNotification, SEL, DEFAULT_TIMEOUT,
  createRunner, outlineRows, placeCursor,
} from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const VSIX = process.env.NORTHSTAR_VSIX || path.join(ROOT, 'dist', 'northstar.vsix');
const EXAMPLES = path.join(ROOT, 'examples');
const screenshotDir = path.join(HERE, 'screenshots');
const docsImages = path.join(ROOT, 'docs', 'images');
const AS_OF = '2026-11-23';
const PRD = 'prds/saved-cards.prd.md';
const PRD_NAME = 'saved-cards.prd.md';
const SLOW = Math.max(DEFAULT_TIMEOUT, 30_000); // first diagnostics: server start + workspace index

const SETTINGS = {
  'northstar.asOf': AS_OF,
  'editor.minimap.enabled': false,
  'editor.hover.delay': 300,
  'markdown.validate.enabled': false, // only Northstar's findings in the Problems panel
  'workbench.editor.enablePreview': false,
  'window.commandCenter': false,
  'files.autoSave': 'off', // VS Code for the web saves after a delay by default: the completion step must not write the PRD
};

// What the examples' deliberate mistakes in the PRD look like (the CLI reports the same:
// node dist/cli.cjs check examples --as-of 2026-11-23).
const PRD_EXPECTED = [
  { line: 59, code: 'invalid-value', severity: 'error', message: '`mandatory` is not a valid priority' },
  { line: 79, code: 'dependency-order', severity: 'warning', message: 'depends on FEAT-address-book' },
  { line: 91, code: 'unresolved-reference', severity: 'error', message: 'KPI-checkout-convrsion' },
];
const ALL_KPIS = [
  'KPI-active-merchants', 'KPI-card-dispute-rate', 'KPI-checkout-conversion', 'KPI-merchant-activation',
  'KPI-merchant-churn', 'KPI-merchant-nps', 'KPI-net-revenue', 'KPI-payment-volume', 'KPI-saved-card-usage',
];
const HOVER_EXPECTED = ['KPI-saved-card-usage', 'KPI-checkout-conversion', 'KR-2026Q4.2', 'KR-2026Q4.1'];
const EXPECTED_SCORE = '85%';
const STATUS_TEXT = 'PRD · PRD-saved-cards';

// ----------------------------------------------------------------------------------------------
// Bookkeeping
// ----------------------------------------------------------------------------------------------

const t0 = Date.now();
const { run, results, failures } = createRunner();

async function readExamples(dir, base = dir, out = {}) {
  for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await readExamples(p, base, out);
    else out[path.relative(base, p).split(path.sep).join('/')] = await fsp.readFile(p);
  }
  return out;
}

/** Saves a README image under docs/images and a copy under screenshots/. */
async function docShot(s, name) {
  await screenshot(s.page, path.join(docsImages, `${name}.png`));
  await fsp.copyFile(path.join(docsImages, `${name}.png`), path.join(screenshotDir, `ext-${name}.png`));
}

const fmtRows = (rows) => rows.map((r) => (r.kind === 'file' ? `[${r.file}]` : `${r.file}:${r.line} ${r.severity} ${r.code} ${r.message}`)).join('\n    ');

// ----------------------------------------------------------------------------------------------
// UI helpers specific to this suite (all wait on UI state)
// ----------------------------------------------------------------------------------------------

/** Ctrl+G, line number, Enter; waits for the status bar to say "Ln <line>". */
async function gotoLine(page, line) {
  await page.keyboard.press('Control+G');
  const input = page.locator(SEL.quickInputBox);
  await page.locator(SEL.quickInput).waitFor({ state: 'visible' });
  await input.fill(`:${line}`);
  await waitUntil(async () => (await input.inputValue()) === `:${line}`, { message: `the go-to-line box to read :${line}` });
  await page.keyboard.press('Enter');
  await page.locator(SEL.quickInput).waitFor({ state: 'hidden' });
  await page.locator(SEL.statusbar).getByText(new RegExp(`^Ln ${line}, Col \\d+`)).first()
    .waitFor({ state: 'visible' })
    .catch(() => { throw new Error(`the cursor did not move to line ${line} (status bar has no "Ln ${line}")`); });
}

/**
 * The rendered text of line `n` of the active editor (the line must be in view), found through
 * the line-number gutter: the view line at the same height as the gutter's "n".
 */
async function lineText(page, n) {
  return page.locator(SEL.activeEditor).first().evaluate((editor, n) => {
    const num = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].find((e) => e.textContent.trim() === String(n));
    if (!num) return null;
    const y = num.getBoundingClientRect().top;
    const line = [...editor.querySelectorAll('.view-lines .view-line')].find((e) => Math.abs(e.getBoundingClientRect().top - y) < 2);
    return line ? line.textContent.replace(/\u00a0/g, ' ') : null;
  }, n);
}

/** Resizes the page and waits for the editor to be laid out at the new height. */
async function resize(page, width, height) {
  const before = (await page.locator(SEL.activeEditor).first().boundingBox())?.height;
  await page.setViewportSize({ width, height });
  await waitUntil(async () => (await page.locator(SEL.activeEditor).first().boundingBox())?.height !== before,
    { message: `the editor to lay out for a ${width}x${height} window` });
}

/** Hides the bottom panel (Problems) so that the editor has room for hovers and screenshots. */
async function hidePanel(page) {
  if (!(await page.locator('.part.panel').isVisible())) return;
  await runCommand(page, 'View: Hide Panel', { match: /^View: (Hide|Close) Panel$/ });
  await page.locator('.part.panel').waitFor({ state: 'hidden' });
}

/** Text of the status bar items. */
async function statusItems(page) {
  return page.locator(`${SEL.statusbar} .statusbar-item`).evaluateAll((els) => els.map((e) => e.innerText.replace(/\u00a0/g, ' ').trim()).filter(Boolean));
}

/** Northstar's rows of the Problems panel (markers with source "northstar"). */
const northstarMarkers = (rows) => rows.filter((r) => r.kind === 'marker' && /northstar/i.test(r.source));

/** Types into the Problems panel's filter box and waits for the input to hold it. */
async function filterProblems(page, text) {
  const input = page.locator('.panel .viewpane-filter input, .markers-panel-container .viewpane-filter input').first();
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await waitUntil(async () => (await input.inputValue()) === text, { message: `the Problems filter to read ${JSON.stringify(text)}` });
}

/**
 * All rows of the open suggest widget: { label, detail, kind, pos }. The list is virtualized
 * (about 12 rows rendered), so this pages through it (PageDown) until the focused row is the
 * last one (aria-posinset === aria-setsize).
 */
async function allSuggestions(page) {
  const widget = page.locator(SEL.suggest);
  const read = () => widget.evaluate((w) => [...w.querySelectorAll('.monaco-list-row')].map((r) => ({
    label: r.querySelector('.label-name')?.textContent ?? '',
    detail: (r.querySelector('.details-label')?.textContent ?? '').trim(),
    kind: (/codicon-symbol-([a-z-]+)/.exec(r.querySelector('.suggest-icon')?.className ?? '') ?? [])[1] ?? '',
    pos: Number(r.getAttribute('aria-posinset')),
    size: Number(r.getAttribute('aria-setsize')),
    focused: r.classList.contains('focused'),
  })));
  const seen = new Map();
  const collect = (rows) => { for (const r of rows) seen.set(r.pos, r); return rows; };
  let rows = collect(await read());
  const size = rows[0]?.size ?? 0;
  let focused = rows.find((r) => r.focused)?.pos ?? 0;
  while (seen.size < size && focused < size) {
    const before = focused;
    await page.keyboard.press('PageDown');
    await waitUntil(async () => {
      rows = collect(await read());
      focused = rows.find((r) => r.focused)?.pos ?? focused;
      return focused !== before;
    }, { timeout: 5000, message: `the completion list to move past row ${before} of ${size} on PageDown` });
  }
  return [...seen.values()].sort((a, b) => a.pos - b.pos);
}

/** The rows of the Northstar view (the tree in the side bar): label, description, level, expanded, icon. */
async function viewRows(page) {
  return page.locator('.part.sidebar .monaco-list-row').evaluateAll((rows) => rows.map((r) => ({
    label: (r.querySelector('.label-name')?.textContent ?? '').trim(),
    description: (r.querySelector('.label-description')?.textContent ?? '').trim(),
    level: Number(r.getAttribute('aria-level')),
    expanded: r.getAttribute('aria-expanded'),
    icon: (/codicon-([a-z-]+)/.exec(r.querySelector('.custom-view-tree-node-item-icon')?.className ?? '') ?? [])[1] ?? '',
  })));
}

/** One row of the Northstar view by its label. */
const viewRow = (page, label) => page.locator('.part.sidebar .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.]/g, '\\.')}$`) }) }).first();

/** Saves a walkthrough image (media/walkthrough/<name>.png, shipped in the .vsix). */
async function walkthroughShot(s, name) {
  await screenshot(s.page, path.join(ROOT, 'media', 'walkthrough', `${name}.png`));
}

/** The report webview's document: iframe.webview > iframe#active-frame. */
const webviewFrame = (page) => page.frameLocator('iframe.webview').last().frameLocator('iframe#active-frame');

/** Finds the newest code-server / extension host log files under the user-data dir. */
function logFiles(dir, out = []) {
  let entries = [];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) logFiles(p, out);
    else if (e.name.endsWith('.log')) out.push(p);
  }
  return out;
}

/**
 * Explains why Northstar gives no diagnostics in Restricted Mode: the extension's manifest (does
 * it declare capabilities.untrustedWorkspaces?) and what the extension host logged about it.
 */
function diagnoseRestricted(s) {
  const lines = [];
  const extDir = fs.readdirSync(s.extensionsDir).find((d) => d.startsWith('northstar-pm.northstar'));
  if (extDir) {
    const pkgPath = path.join(s.extensionsDir, extDir, 'package.json');
    const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
    const cap = pkg.capabilities?.untrustedWorkspaces;
    lines.push(cap
      ? `installed manifest declares capabilities.untrustedWorkspaces = ${JSON.stringify(cap)}`
      : `installed manifest (${pkgPath}) declares NO capabilities.untrustedWorkspaces: VS Code then treats the extension as not supporting untrusted workspaces and does not activate it in Restricted Mode (fix: "capabilities": { "untrustedWorkspaces": { "supported": "limited", ... } } in package.json)`);
  } else lines.push(`northstar-pm.northstar is not in ${s.extensionsDir}`);
  const hits = [];
  for (const f of logFiles(path.join(s.userDataDir, 'logs'))) {
    for (const l of fs.readFileSync(f, 'utf8').split('\n')) {
      if (/northstar/i.test(l)) hits.push(`${path.basename(path.dirname(f))}/${path.basename(f)}: ${l.trim()}`);
    }
  }
  lines.push(hits.length ? `log lines naming northstar:\n      ${hits.slice(-15).join('\n      ')}` : 'no log line under user-data/logs names northstar (the extension host never activated it)');
  return lines.join('\n    ');
}

// ----------------------------------------------------------------------------------------------
// The suite
// ----------------------------------------------------------------------------------------------

if (!fs.existsSync(VSIX)) {
  console.error(`[ext-e2e] ${VSIX} not found: run "npm run package" (or "npm run test:e2e", which builds it)`);
  process.exit(2);
}
await fsp.mkdir(screenshotDir, { recursive: true });
await fsp.mkdir(docsImages, { recursive: true });
const files = await readExamples(EXAMPLES);
console.log(`[ext-e2e] ${Object.keys(files).length} example files, vsix ${path.relative(process.cwd(), VSIX)}, northstar.asOf ${AS_OF}`);

// NORTHSTAR_E2E_ONLY=speckit (a comma list of trusted, untrusted, speckit) runs only those windows.
const ONLY = new Set((process.env.NORTHSTAR_E2E_ONLY ?? '').split(',').map((w) => w.trim()).filter(Boolean));
const want = (window) => ONLY.size === 0 || ONLY.has(window);

// ---- 1. trusted window ------------------------------------------------------------------------
if (want('trusted')) try {
  await withSession({ files, vsix: VSIX, settings: SETTINGS, screenshotDir }, async (s) => {
    console.log(`[ext-e2e] workbench up after ${Date.now() - t0} ms (workspace ${s.folder})`);

    await run(s, 'trust the examples folder', async () => {
      await handleWorkspaceTrust(s.page, { trust: true });
      assert.equal(await isRestrictedMode(s.page), false, 'the window is still in Restricted Mode after trusting');
      await s.shot('ext-01-trusted');
    }, { fatal: true });

    const openWalkthrough = async () => {
      await runCommand(s.page, 'Welcome: Open Walkthrough...', { match: /^Welcome: Open Walkthrough/ });
      // The quick pick of walkthroughs it opens: type the title, then click the row that holds it.
      await s.page.locator(SEL.quickInput).waitFor({ state: 'visible' });
      await s.page.locator(SEL.quickInputBox).fill('Get started with Northstar');
      const row = s.page.locator(`${SEL.quickInputRow}`).filter({ hasText: 'Get started with Northstar' }).first();
      await row.waitFor({ state: 'visible' })
        .catch(async () => { throw new Error(`no "Get started with Northstar" walkthrough; rows: ${JSON.stringify(await s.page.locator(SEL.quickInputRow).allInnerTexts())}`); });
      await row.click();
      await s.page.locator(SEL.quickInput).waitFor({ state: 'hidden' });
      // The Welcome editor may hold other walkthroughs' (hidden) steps too: wait for a visible one of ours.
      await s.page.locator('.getting-started-step:visible').filter({ hasText: 'Open a spec workspace' }).first().waitFor({ state: 'visible', timeout: SLOW });
    };

    await run(s, 'the walkthrough "Get started with Northstar" is there, with five steps', async () => {
      await openWalkthrough();
      const titles = await s.page.locator('.getting-started-step:visible .step-title').allInnerTexts();
      assert.equal(titles.length, 5, `walkthrough steps: ${JSON.stringify(titles)}`);
      await runCommand(s.page, 'View: Close Editor');
    });

    await run(s, `open ${PRD}`, async () => {
      await openFile(s.page, PRD);
      await s.shot('ext-02-prd-open');
      await walkthroughShot(s, 'sample');
    }, { fatal: true });

    await run(s, `status bar shows "${STATUS_TEXT}"`, async () => {
      const item = s.page.locator(`${SEL.statusbar} .statusbar-item`).filter({ hasText: STATUS_TEXT });
      try {
        await item.first().waitFor({ state: 'visible', timeout: SLOW });
      } catch {
        throw new Error(`no status bar item "${STATUS_TEXT}" within ${SLOW} ms; status bar: ${JSON.stringify(await statusItems(s.page))}`);
      }
      const text = (await item.first().innerText()).replace(/\u00a0/g, ' ').trim();
      assert.equal(text, STATUS_TEXT, `status bar item reads ${JSON.stringify(text)}`);
      await s.shot('ext-03-status-bar');
    });

    await run(s, `Problems panel lists the deliberate mistakes of ${PRD_NAME}`, async () => {
      await openProblems(s.page);
      // The whole workspace's problems are listed (northstar.problems): show this file's only, so
      // that none of its rows is scrolled out of the virtualized list.
      await filterProblems(s.page, `**/${PRD_NAME}`);
      let rows;
      try {
        rows = await waitForProblems(s.page, (r) => {
          const m = northstarMarkers(r).filter((x) => x.file === PRD_NAME);
          return PRD_EXPECTED.every((e) => m.some((x) => x.line === e.line && x.code === e.code));
        }, { timeout: SLOW, message: `Northstar diagnostics in ${PRD_NAME} at lines ${PRD_EXPECTED.map((e) => `${e.line} (${e.code})`).join(', ')}` });
      } catch (e) {
        throw new Error(`${e.message}\n  rows read:\n    ${fmtRows(await readProblems(s.page).catch(() => []))}`);
      }
      const mine = northstarMarkers(rows).filter((x) => x.file === PRD_NAME);
      console.log(`[ext-e2e] Problems (${PRD_NAME}):\n    ${fmtRows(mine)}`);
      for (const e of PRD_EXPECTED) {
        const m = mine.find((x) => x.line === e.line && x.code === e.code);
        assert.equal(m.severity, e.severity, `${PRD_NAME}:${e.line} ${e.code} has severity ${m.severity}, expected ${e.severity}`);
        assert.ok(m.message.includes(e.message), `${PRD_NAME}:${e.line} ${e.code} says ${JSON.stringify(m.message)}, expected it to contain ${JSON.stringify(e.message)}`);
      }
      // Nothing else in this file: the three mistakes are the PRD's only findings.
      assert.equal(mine.length, PRD_EXPECTED.length, `expected exactly ${PRD_EXPECTED.length} findings in ${PRD_NAME}, got:\n    ${fmtRows(mine)}`);
      // The examples' line 59 in view, so the screenshot shows the squiggle and the panel.
      await s.page.locator(SEL.activeEditor).first().click({ position: { x: 200, y: 40 } });
      await gotoLine(s.page, 59);
      await findTextInEditor(s.page, 'priority: mandatory');
      await docShot(s, 'diagnostics');
    });

    await run(s, 'hover FEAT-saved-cards shows its KPIs and key results', async () => {
      await hidePanel(s.page);
      // A hover is at most max(editor height / 4, 250 px) tall: a taller window shows all of it.
      await resize(s.page, 1400, 1300);
      await gotoLine(s.page, 42);
      const text = await hoverText(s.page, 'FEAT-saved-cards: Saved', { charOffset: 5, contains: 'KPI-', timeout: SLOW });
      console.log(`[ext-e2e] hover:\n    ${text.replace(/\n/g, '\n    ')}`);
      const missing = HOVER_EXPECTED.filter((x) => !text.includes(x));
      assert.ok(missing.length === 0, `the hover lacks ${JSON.stringify(missing)}; it reads:\n${text}`);
      // The verdict comes first (right after the title), not last and below the fold; progress
      // reads "now 14.5%, 31% of the way", not "12% → 14.5% of 20%" again after the title.
      const verdictAt = text.indexOf('Aligned: serves');
      assert.ok(verdictAt >= 0 && verdictAt < text.indexOf('Moves'), `the hover's verdict is not before its KPIs; it reads:\n${text}`);
      // (what the metric snapshots say may follow the written value: "now 14.5% (written; data …), 31% of the way")
      assert.match(text, /now 14\.5%(?: \([^)]*\)\))?, 31% of the way/, `the hover lacks KR-2026Q4.2's progress "now 14.5%, 31% of the way"; it reads:\n${text}`);
      await docShot(s, 'hover');
      await s.page.mouse.move(5, 5);
      await s.page.locator(SEL.hover).first().waitFor({ state: 'hidden' });
      await resize(s.page, 1400, 900);
    });

    await run(s, 'completion after "- kpi: " offers only KPIs', async () => {
      // (If the hover step failed, it left the window tall.)
      if (s.page.viewportSize().height !== 900) {
        await s.page.mouse.move(5, 5);
        await resize(s.page, 1400, 900);
      }
      // A new line at the end of FEAT-address-book's property list (line 99: "- rice: 24000").
      await gotoLine(s.page, 99);
      await s.page.keyboard.press('End');
      await s.page.keyboard.press('Enter');
      await s.page.keyboard.press('Shift+Home'); // drops anything the Enter rules inserted
      await s.page.keyboard.insertText('- kpi: ');
      await s.page.locator(SEL.statusbar).getByText(/^Ln 100, Col 8$/).first().waitFor({ state: 'visible' })
        .catch(async () => { throw new Error(`the cursor is not at line 100, column 8 after typing "- kpi: "; status bar: ${JSON.stringify(await statusItems(s.page))}`); });
      const typed = await lineText(s.page, 100);
      assert.equal(typed, '- kpi: ', `line 100 reads ${JSON.stringify(typed)} after typing "- kpi: "`);
      await s.page.locator(`${SEL.activeTab}.dirty`).waitFor({ state: 'visible' })
        .catch(() => { throw new Error('the PRD tab is not marked dirty after typing (was it saved?)'); });
      // Typing a trigger character may have opened the list already: close it, then Ctrl+Space.
      if (await s.page.locator(SEL.suggest).isVisible()) {
        await s.page.keyboard.press('Escape');
        await s.page.locator(SEL.suggest).waitFor({ state: 'hidden' });
      }
      await triggerCompletion(s.page, { timeout: SLOW });
      const rows = await allSuggestions(s.page);
      console.log(`[ext-e2e] completion (${rows.length}): ${rows.map((r) => `${r.label} [${r.kind}]${r.detail ? ` ${r.detail}` : ''}`).join(' | ')}`);
      // VS Code's own Markdown snippets (bold, code, ...) are always offered on an explicit
      // request; everything else must be Northstar's KPIs, and the snippets come after all of
      // them (package.json: "[markdown]": { "editor.snippetSuggestions": "bottom" }).
      const ours = rows.filter((r) => r.kind !== 'snippet').map((r) => r.label);
      const labels = rows.map((r) => r.label);
      const firstSnippet = rows.find((r) => r.kind === 'snippet')?.pos ?? Infinity;
      const mixed = rows.filter((r) => r.kind !== 'snippet' && r.pos > firstSnippet).map((r) => r.label);
      assert.ok(mixed.length === 0, `snippets are mixed into Northstar's values: ${JSON.stringify(mixed)} come after the first snippet; offered: ${JSON.stringify(labels)}`);
      assert.ok(ours.includes('KPI-checkout-conversion'), `KPI-checkout-conversion not offered; offered: ${JSON.stringify(labels)}`);
      const wrongIds = labels.filter((l) => /^(FEAT|KR|OBJ|OKR|PRD|BRIEF|PERSONA)-/.test(l));
      assert.ok(wrongIds.length === 0, `after "kpi:" only KPIs should be offered, but also: ${JSON.stringify(wrongIds)}`);
      const notKpi = ours.filter((l) => !l.startsWith('KPI-'));
      assert.ok(notKpi.length === 0, `after "kpi:" only KPIs (and VS Code's snippets) should be offered, but also: ${JSON.stringify(notKpi)}`);
      const missing = ALL_KPIS.filter((k) => !ours.includes(k));
      assert.ok(missing.length === 0, `KPIs of the workspace not offered: ${JSON.stringify(missing)}`);
      // Screenshot: reopen the list so the first KPI is selected (its detail line shows).
      await s.page.keyboard.press('Escape');
      await s.page.locator(SEL.suggest).waitFor({ state: 'hidden' });
      await triggerCompletion(s.page, { timeout: SLOW });
      await docShot(s, 'completion');
      await s.page.keyboard.press('Escape');
      await s.page.locator(SEL.suggest).waitFor({ state: 'hidden' });
      // Undo the edit: revert the file, then the tab is clean and line 100 is empty again.
      await runCommand(s.page, 'File: Revert File');
      await s.page.locator(`${SEL.activeTab}.dirty`).waitFor({ state: 'detached' })
        .catch(() => { throw new Error('the PRD is still dirty after "File: Revert File"'); });
      await waitUntil(async () => (await lineText(s.page, 100)) === '',
        { message: 'line 100 to be empty again after reverting' })
        .catch(async (e) => { throw new Error(`${e.message}; it reads ${JSON.stringify(await lineText(s.page, 100))}`); });
      const onDisk = await fsp.readFile(path.join(s.folder, PRD), 'utf8');
      assert.equal(onDisk, files[PRD].toString('utf8'), `${PRD} on disk changed during the completion step`);
    });

    await run(s, `"Northstar: Check Roadmap Alignment" opens the report with score ${EXPECTED_SCORE}`, async () => {
      // More room for the report (and its screenshot): no side bar.
      if (await s.page.locator('.part.sidebar').isVisible()) {
        await runCommand(s.page, 'View: Toggle Primary Side Bar Visibility');
        await s.page.locator('.part.sidebar').waitFor({ state: 'hidden' });
      }
      await runCommand(s.page, 'Northstar: Check Roadmap Alignment', { timeout: SLOW });
      const score = webviewFrame(s.page).locator('#score');
      try {
        await score.waitFor({ state: 'visible', timeout: SLOW });
      } catch {
        const frames = s.page.frames().map((f) => f.url().slice(0, 100));
        throw new Error(`the report webview did not show #score within ${SLOW} ms; frames: ${JSON.stringify(frames)}; notifications: ${JSON.stringify(await s.page.locator(SEL.notification).allInnerTexts())}`);
      }
      await waitUntil(async () => (await score.innerText()).trim() === EXPECTED_SCORE,
        { message: `#score to read ${EXPECTED_SCORE}` })
        .catch(async (e) => { throw new Error(`${e.message}; it reads ${JSON.stringify(await score.innerText())}`); });
      const tab = s.page.locator('.part.editor .tabs-container .tab').filter({ hasText: 'Roadmap Alignment' });
      await tab.first().waitFor({ state: 'visible' });
      const tabText = (await tab.first().innerText()).trim();
      assert.match(tabText, new RegExp(`Roadmap Alignment — ${EXPECTED_SCORE}`), `report tab title: ${JSON.stringify(tabText)}`);
      const header = (await webviewFrame(s.page).locator('header').innerText()).replace(/\s+/g, ' ');
      console.log(`[ext-e2e] report header: ${header}`);
      assert.match(header, new RegExp(`as of ${AS_OF}`), `the report is not as of ${AS_OF}: ${header}`);
      // The progress toast goes away once the report is in.
      await s.page.locator(SEL.notification).filter({ hasText: 'checking roadmap alignment' }).waitFor({ state: 'hidden' })
        .catch(() => { throw new Error('the "checking roadmap alignment…" progress notification did not go away'); });
      await docShot(s, 'report');
      await walkthroughShot(s, 'report');
    });

    await run(s, 'the report shows the strategy map: every current objective, key result and planned feature as an SVG node', async () => {
      const frame = webviewFrame(s.page);
      const map = frame.locator('#map svg');
      await map.first().waitFor({ state: 'visible', timeout: SLOW })
        .catch(() => { throw new Error('the report has no strategy map (#map svg)'); });
      const ids = await frame.locator('#map svg g.node[data-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
      console.log(`[ext-e2e] map nodes (${ids.length}): ${ids.join(' ')}`);
      const expected = ['OBJ-effortless-checkout', 'OBJ-live-in-a-day', 'OBJ-keep-merchants-growing', 'KR-2026Q4.1', 'KR-2026Q4.4', 'KR-2026Q4.6', 'KPI-saved-card-usage', 'FEAT-saved-cards', 'FEAT-instant-kyc', 'FEAT-smart-retries'];
      const missing = expected.filter((id) => !ids.includes(id));
      assert.ok(missing.length === 0, `the map lacks ${JSON.stringify(missing)}; it has ${JSON.stringify(ids)}`);
      // Nothing in it came from outside: no external image, no script.
      const external = await frame.locator('#map').evaluate((m) => [...m.querySelectorAll('[href], [src], script')].map((e) => e.outerHTML.slice(0, 80)).filter((h) => /script|https?:/i.test(h)));
      assert.deepEqual(external, [], `the map refers outside: ${JSON.stringify(external)}`);
      // Hovering a node tells what it is.
      const node = frame.locator('#map svg g.node[data-id="FEAT-saved-cards"]').first();
      await node.scrollIntoViewIfNeeded();
      await node.hover();
      const info = frame.locator('#node-info');
      await waitUntil(async () => /FEAT-saved-cards/.test(await info.innerText().catch(() => '')), { message: 'the map to describe FEAT-saved-cards on hover (#node-info)' })
        .catch(async (e) => { throw new Error(`${e.message}; it reads ${JSON.stringify(await info.innerText().catch(() => ''))}`); });
      await frame.locator('#map').first().evaluate((m) => m.scrollIntoView({ block: 'start' }));
      await docShot(s, 'map');
    });

    await run(s, 'the report takes key-result progress from the metric snapshots: source and date, a chart per key result, the stale and disagreeing findings', async () => {
      const frame = webviewFrame(s.page);
      const text = async () => (await frame.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ');
      await waitUntil(async () => /3% \(Metabase, 2026-10-31\)/.test(await text()), { message: 'KR-2026Q4.5 to read its current from examples/metrics (Metabase, 2026-10-31)' });
      const charts = frame.locator('tr.kr-chart svg');
      const n = await charts.count();
      assert.ok(n >= 1, `the report has ${n} key-result charts`);
      const t = await text();
      assert.match(t, /KPI-merchant-nps is from 2026-09-30/, 'the metric-stale finding (KR-2026Q4.4) is in the report');
      assert.match(t, /latest data point of KPI-payment-volume is 186\.4/, 'the current-disagrees-with-metrics finding (KR-2026Q4.6) is in the report');
      await charts.first().scrollIntoViewIfNeeded();
      await screenshot(s.page, path.join(screenshotDir, 'ext-report-metrics.png'));
    });

    await run(s, 'after the check the Problems panel shows okrs/2026-Q4.okr.md:60 kr-not-covered (file not open)', async () => {
      const okrTabs = await s.page.locator('.part.editor .tabs-container .tab').filter({ hasText: '2026-Q4.okr.md' }).count();
      assert.equal(okrTabs, 0, '2026-Q4.okr.md is open in an editor; the test needs it closed');
      await openProblems(s.page);
      await filterProblems(s.page, 'kr-not-covered');
      let rows;
      try {
        rows = await waitForProblems(s.page, (r) => northstarMarkers(r).some((x) => x.file === '2026-Q4.okr.md' && x.line === 60 && x.code === 'kr-not-covered'),
          { timeout: SLOW, message: '2026-Q4.okr.md line 60 kr-not-covered in the Problems panel' });
      } catch (e) {
        throw new Error(`${e.message}\n  rows read:\n    ${fmtRows(await readProblems(s.page).catch(() => []))}`);
      }
      const m = northstarMarkers(rows).find((x) => x.file === '2026-Q4.okr.md' && x.line === 60);
      console.log(`[ext-e2e] ${fmtRows([m])}`);
      assert.equal(m.severity, 'warning');
      assert.match(m.message, /KPI-merchant-nps/);
      await s.shot('ext-08-problems-after-check');
      await filterProblems(s.page, '');
    });
    await run(s, 'quick fix: "Change to `must`" on line 59 changes exactly the value', async () => {
      // The report opens in the active editor column, over the PRD: bring the PRD back.
      await openFile(s.page, PRD);
      await gotoLine(s.page, 59);
      await s.page.keyboard.press('End'); // on the value `mandatory`
      await s.page.keyboard.press('Control+.');
      const item = s.page.locator('.action-widget .monaco-list-row').filter({ hasText: /^\s*Change to `must`\s*$/ }).first();
      await item.waitFor({ state: 'visible', timeout: SLOW })
        .catch(async () => { throw new Error(`no "Change to \`must\`" in the quick fix menu; it shows: ${JSON.stringify(await s.page.locator('.action-widget, .context-view').allInnerTexts())}`); });
      await s.shot('ext-11-quick-fix-menu');
      await walkthroughShot(s, 'quick-fix');
      // Choose it with the keyboard, as a user would: move the focus to it, then Enter.
      const focused = s.page.locator('.action-widget .monaco-list-row.focused');
      for (let i = 0; i < 10 && !/^\s*Change to `must`\s*$/.test((await focused.first().innerText().catch(() => '')) ?? ''); i++) await s.page.keyboard.press('ArrowDown');
      assert.match(await focused.first().innerText(), /Change to `must`/, 'could not focus "Change to `must`" in the quick fix menu');
      await s.page.keyboard.press('Enter');
      await waitUntil(async () => (await lineText(s.page, 59)) === '- priority: must', { message: 'line 59 to read "- priority: must"' })
        .catch(async (e) => { throw new Error(`${e.message}; it reads ${JSON.stringify(await lineText(s.page, 59))}`); });
      // Nothing else changed: the lines around it are as before.
      assert.equal(await lineText(s.page, 58), '### FEAT-network-tokens: Network tokens for saved cards');
      assert.equal(await lineText(s.page, 60), '- kpi: KPI-checkout-conversion, KPI-payment-volume');
      await openProblems(s.page);
      await filterProblems(s.page, PRD_NAME);
      await waitUntil(async () => !northstarMarkers(await readProblems(s.page)).some((x) => x.file === PRD_NAME && x.line === 59),
        { timeout: SLOW, message: `the invalid-value problem on ${PRD_NAME}:59 to go away` });
      await s.shot('ext-12-quick-fix-applied');
      await filterProblems(s.page, '');
      await runCommand(s.page, 'File: Revert File');
      await s.page.locator(`${SEL.activeTab}.dirty`).waitFor({ state: 'detached' });
      const onDisk = await fsp.readFile(path.join(s.folder, PRD), 'utf8');
      assert.equal(onDisk, files[PRD].toString('utf8'), `${PRD} on disk changed during the quick fix step`);
    });

    await run(s, 'the Northstar view: OKRs → objectives → key results (progress) → features (verdict icons); a click opens the line', async () => {
      // The activity bar item, as a user finds it.
      const item = s.page.locator('.part.activitybar .action-item a[aria-label^="Northstar"], .part.activitybar .action-item[aria-label^="Northstar"]').first();
      await item.waitFor({ state: 'visible' })
        .catch(async () => { throw new Error(`no Northstar item in the activity bar: ${JSON.stringify(await s.page.locator('.part.activitybar .action-item').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.querySelector('a')?.getAttribute('aria-label'))))}`); });
      await hidePanel(s.page);
      await item.click();
      await s.page.locator('.part.sidebar').waitFor({ state: 'visible' });
      for (const label of ['OKRs', 'OKR-2026Q4', 'OBJ-effortless-checkout', 'KR-2026Q4.1', 'Roadmap', 'Unaligned', 'Uncovered']) {
        await viewRow(s.page, label).waitFor({ state: 'visible', timeout: SLOW })
          .catch(async () => { throw new Error(`the Northstar view has no row "${label}"; rows: ${JSON.stringify(await viewRows(s.page))}`); });
      }
      // Key results show their progress; expand KR-2026Q4.2 to see the features behind it.
      let rows = await viewRows(s.page);
      const kr2 = rows.find((r) => r.label === 'KR-2026Q4.2');
      assert.match(kr2.description, /^31% · Grow saved-card checkout share/, `KR-2026Q4.2 reads ${JSON.stringify(kr2.description)}`);
      assert.equal(rows.find((r) => r.label === 'OBJ-effortless-checkout').level, rows.find((r) => r.label === 'OKR-2026Q4').level + 1, 'objectives are not under their OKR');
      // Its twistie, until it is expanded (a refresh of the tree while clicking may swallow a click).
      await waitUntil(async () => {
        if ((await viewRow(s.page, 'KR-2026Q4.2').getAttribute('aria-expanded')) === 'true') return true;
        await viewRow(s.page, 'KR-2026Q4.2').locator('.monaco-tl-twistie').click({ timeout: 2000 }).catch(() => {});
        return false;
      }, { interval: 1000, message: 'KR-2026Q4.2 to expand on a click on its twistie' });
      await viewRow(s.page, 'FEAT-saved-cards').waitFor({ state: 'visible' })
        .catch(async () => { throw new Error(`expanding KR-2026Q4.2 shows no FEAT-saved-cards; rows: ${JSON.stringify(await viewRows(s.page))}`); });
      rows = await viewRows(s.page);
      const feat = rows.find((r) => r.label === 'FEAT-saved-cards');
      console.log(`[ext-e2e] view: FEAT-saved-cards ${feat.description} [${feat.icon}]`);
      assert.equal(feat.level, kr2.level + 1, 'FEAT-saved-cards is not under KR-2026Q4.2');
      assert.equal(feat.icon, 'pass-filled', `FEAT-saved-cards (aligned) shows the icon ${feat.icon}`);
      assert.match(feat.description, /Saved payment cards · must, in progress/, `FEAT-saved-cards reads ${JSON.stringify(feat.description)}`);
      // The Unaligned group holds the must-have that moves no KPI, with the error icon.
      // (The tree may be redrawn as the quick fix's revert is published: wait for the row, and
      // expand the group if it is collapsed.)
      await waitUntil(async () => {
        if (await viewRow(s.page, 'FEAT-platform-import').isVisible()) return true;
        if ((await viewRow(s.page, 'Unaligned').getAttribute('aria-expanded').catch(() => null)) === 'false') await viewRow(s.page, 'Unaligned').locator('.monaco-tl-twistie').click({ timeout: 2000 }).catch(() => {});
        return false;
      }, { interval: 500, message: 'FEAT-platform-import to show in the Unaligned group' })
        .catch(async (e) => { throw new Error(`${e.message}; rows: ${JSON.stringify(await viewRows(s.page))}`); });
      rows = await viewRows(s.page);
      const unaligned = rows.find((r) => r.label === 'FEAT-platform-import');
      assert.ok(unaligned, `no FEAT-platform-import (must, no KPI) in the view; rows: ${JSON.stringify(rows.map((r) => r.label))}`);
      assert.equal(unaligned.icon, 'error', `FEAT-platform-import (a must-have that moves no KPI) shows the icon ${unaligned.icon}`);
      // A wider side bar for the picture: drag the sash on its right edge (best effort).
      const bar = await s.page.locator('.part.sidebar').boundingBox();
      if (bar && bar.width < 500) {
        await s.page.mouse.move(bar.x + bar.width + 1, bar.y + bar.height / 2);
        await s.page.mouse.down();
        await s.page.mouse.move(bar.x + 560, bar.y + bar.height / 2, { steps: 5 });
        await s.page.mouse.up();
        await waitUntil(async () => ((await s.page.locator('.part.sidebar').boundingBox())?.width ?? 0) > bar.width, { timeout: 3000, message: 'the side bar to widen' }).catch(() => {});
      }
      // No stray toast in the picture.
      if (await s.page.locator(SEL.notification).count()) await runCommand(s.page, 'Notifications: Clear All Notifications').catch(() => {});
      await docShot(s, 'view');
      await walkthroughShot(s, 'view');
      // A click opens the feature's PRD with the cursor on its ID (line 42, column 5).
      await viewRow(s.page, 'FEAT-saved-cards').click();
      await waitUntil(async () => (await s.page.locator(`${SEL.activeTab} .label-name`).first().textContent()) === PRD_NAME,
        { message: `a click on FEAT-saved-cards to make ${PRD_NAME} the active editor` });
      await s.page.locator(SEL.statusbar).getByText(/^Ln 42, Col 5$/).first().waitFor({ state: 'visible' })
        .catch(async () => { throw new Error(`the click did not put the cursor on line 42, column 5; status bar: ${JSON.stringify(await statusItems(s.page))}`); });
      // And a key result opens its OKR document at its heading.
      await viewRow(s.page, 'KR-2026Q4.4').click();
      await waitUntil(async () => (await s.page.locator(`${SEL.activeTab} .label-name`).first().textContent()) === '2026-Q4.okr.md',
        { message: 'a click on KR-2026Q4.4 to open 2026-Q4.okr.md' });
      await s.page.locator(SEL.statusbar).getByText(/^Ln 60, Col 5$/).first().waitFor({ state: 'visible' })
        .catch(async () => { throw new Error(`the click did not put the cursor on line 60, column 5; status bar: ${JSON.stringify(await statusItems(s.page))}`); });
      await s.shot('ext-14-view-click');
    });

    await run(s, 'typing "### Express payouts" in Features: the next-free-ID completion inserts a real ID', async () => {
      await openFile(s.page, PRD);
      // A new heading after FEAT-address-book's property list (line 99: "- rice: 24000").
      await gotoLine(s.page, 99);
      await s.page.keyboard.press('End');
      await s.page.keyboard.press('Enter');
      await s.page.keyboard.press('Shift+Home'); // drops anything the Enter rules inserted
      await s.page.keyboard.insertText('\n### Express payouts');
      await s.page.locator(SEL.statusbar).getByText(/^Ln 101, Col 20$/).first().waitFor({ state: 'visible' })
        .catch(async () => { throw new Error(`the cursor is not at line 101, column 20 after typing; status bar: ${JSON.stringify(await statusItems(s.page))}`); });
      if (await s.page.locator(SEL.suggest).isVisible()) {
        await s.page.keyboard.press('Escape');
        await s.page.locator(SEL.suggest).waitFor({ state: 'hidden' });
      }
      await triggerCompletion(s.page, { timeout: SLOW });
      const rows = await allSuggestions(s.page);
      console.log(`[ext-e2e] heading completion: ${rows.map((r) => `${r.label} [${r.kind}]${r.detail ? ` ${r.detail}` : ''}`).join(' | ')}`);
      const next = rows.find((r) => /next free ID/.test(r.detail) || /^FEAT-/.test(r.label));
      assert.ok(next, `no next-free-ID item; offered: ${JSON.stringify(rows.map((r) => r.label))}`);
      assert.match(next.label, /^FEAT-[a-z0-9-]+: Express payouts$/, `the next-free-ID item reads ${JSON.stringify(next.label)}`);
      assert.ok(!next.label.includes('FEAT-name'), `the next-free-ID item is a placeholder: ${next.label}`);
      // Choose it: the list is paged to its end by allSuggestions, so reopen and pick it by arrow keys.
      await s.page.keyboard.press('Escape');
      await s.page.locator(SEL.suggest).waitFor({ state: 'hidden' });
      await triggerCompletion(s.page, { timeout: SLOW });
      const focusedRow = s.page.locator(`${SEL.suggest} .monaco-list-row.focused .label-name`);
      for (let i = 0; i < 20 && (await focusedRow.first().textContent().catch(() => '')) !== next.label; i++) await s.page.keyboard.press('ArrowDown');
      assert.equal(await focusedRow.first().textContent(), next.label, `could not focus ${next.label} in the completion list`);
      await s.page.keyboard.press('Enter');
      await waitUntil(async () => (await lineText(s.page, 101)) === `### ${next.label}`, { message: `line 101 to read "### ${next.label}"` })
        .catch(async (e) => { throw new Error(`${e.message}; it reads ${JSON.stringify(await lineText(s.page, 101))}`); });
      await s.shot('ext-15-next-free-id');
      await walkthroughShot(s, 'new-document');
      await runCommand(s.page, 'File: Revert File');
      await s.page.locator(`${SEL.activeTab}.dirty`).waitFor({ state: 'detached' });
      const onDisk = await fsp.readFile(path.join(s.folder, PRD), 'utf8');
      assert.equal(onDisk, files[PRD].toString('utf8'), `${PRD} on disk changed during the typing step`);
    });

    await run(s, 'walkthrough: the steps done in this session are checked (spec documents open, quick fix, report, view)', async () => {
      await openWalkthrough();
      const stepState = () => s.page.locator('.getting-started-step').evaluateAll((els) => els.map((e) => ({
        title: (e.querySelector('.step-title')?.textContent ?? e.textContent ?? '').trim().slice(0, 60),
        done: e.classList.contains('complete') || Boolean(e.querySelector('.codicon-pass-filled, .complete')),
      })));
      const want = ['Open a spec workspace', 'Fix a mistake with a quick fix', 'Check roadmap alignment', 'See the strategy in the Northstar view'];
      let steps = [];
      await waitUntil(async () => {
        steps = await stepState();
        return want.every((w) => steps.some((x) => x.title.startsWith(w) && x.done));
      }, { message: `the walkthrough steps ${JSON.stringify(want)} to be checked` })
        .catch((e) => { throw new Error(`${e.message}; steps: ${JSON.stringify(steps)}`); });
      console.log(`[ext-e2e] walkthrough: ${steps.map((x) => `${x.done ? '[x]' : '[ ]'} ${x.title}`).join(' | ')}`);
      await s.shot('ext-16-walkthrough');
    });

    await run(s, '"Northstar: Create Sample Workspace" writes the bundled sample into the folder picked', async () => {
      // code-server's folder picker is a quick input holding a path. It lists the remote folder
      // first, which can take long on a loaded machine: wait for it, and if the command's Enter
      // was lost (no picker at all), run the command once more.
      const picker = () => s.page.locator(SEL.quickInput).waitFor({ state: 'visible', timeout: SLOW }).then(() => true, () => false);
      await runCommand(s.page, 'Northstar: Create Sample Workspace');
      if (!(await picker())) {
        console.log('[ext-e2e] no folder picker after "Create Sample Workspace": running it again');
        await runCommand(s.page, 'Northstar: Create Sample Workspace');
        if (!(await picker())) throw new Error(`"Northstar: Create Sample Workspace" showed no folder picker within ${SLOW} ms, twice`);
      }
      const input = s.page.locator(SEL.quickInputBox);
      const parent = path.join(s.folder, 'notes');
      const rows = async () => (await s.page.locator(SEL.quickInputRow).allInnerTexts().catch(() => [])).map((t) => t.trim());
      // The picker first lists its default folder (the workspace) and sets its own value then: a
      // path typed before that is overwritten. Wait for the listing, type, and wait until the
      // picker shows the folder typed (the workspace's own folders are gone from the list).
      await waitUntil(async () => (await rows()).includes('prds'), { timeout: SLOW, message: 'the folder picker to list the workspace folder' });
      await input.fill(`${parent}/`);
      await waitUntil(async () => (await input.inputValue()) === `${parent}/` && !(await rows()).includes('prds'), { timeout: SLOW, message: 'the folder picker to show the notes folder' });
      // Its OK button (Enter on a path ending in / only opens that folder in the picker).
      await s.page.locator('.quick-input-widget .monaco-button').filter({ hasText: 'Create the sample here' }).first().click();
      const sample = path.join(parent, 'northstar-sample');
      await waitUntil(() => fs.existsSync(path.join(sample, 'prds', 'saved-cards.prd.md')) && fs.existsSync(path.join(sample, 'okrs', '2026-Q4.okr.md')),
        { timeout: SLOW, message: `the sample workspace to be written to ${sample}` });
      for (const [rel, content] of Object.entries(files)) {
        const p = path.join(sample, rel);
        assert.ok(fs.existsSync(p), `the sample lacks ${rel}`);
        assert.equal(fs.readFileSync(p, 'utf8'), content.toString('utf8'), `the sample's ${rel} differs from examples/`);
      }
    });
  });
} catch (e) {
  if (!e.reported) {
    results.push({ name: 'trusted window', ok: false, ms: 0 });
    failures.push(e.message);
    console.error(`\n${e.message}\n`);
  }
}

// ---- 2. untrusted window: Restricted Mode -----------------------------------------------------
// A workspace schema that would require `reviewers` on every PRD: Restricted Mode must ignore it.
const untrustedFiles = {
  ...files,
  '.vscode/settings.json': JSON.stringify({ 'northstar.schemas': { prd: 'schemas/strict-prd.schema.json' } }),
  'schemas/strict-prd.schema.json': JSON.stringify({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://example.com/strict-prd.schema.json',
    allOf: [{ $ref: 'https://northstar.dev/schemas/prd.schema.json' }],
    properties: { frontMatter: { required: ['reviewers'] } },
  }),
};
if (want('untrusted')) try {
  await withSession({ files: untrustedFiles, vsix: VSIX, settings: SETTINGS, screenshotDir }, async (s) => {
    await run(s, 'do not trust the folder: Restricted Mode', async () => {
      await handleWorkspaceTrust(s.page, { trust: false });
      assert.equal(await isRestrictedMode(s.page), true, 'no "Restricted Mode" in the status bar');
      await s.shot('ext-09-restricted-mode');
    }, { fatal: true });

    await run(s, `Restricted Mode: ${PRD_NAME} still gets Northstar diagnostics`, async () => {
      await openFile(s.page, PRD);
      await openProblems(s.page);
      try {
        await waitForProblems(s.page, (r) => northstarMarkers(r).some((x) => x.file === PRD_NAME && x.line === 59 && x.code === 'invalid-value'),
          { timeout: SLOW, message: `Northstar's ${PRD_NAME}:59 invalid-value in Restricted Mode` });
      } catch (e) {
        throw new Error(`${e.message}\n  rows read:\n    ${fmtRows(await readProblems(s.page).catch(() => []))}\n  status bar: ${JSON.stringify(await statusItems(s.page))}\n  diagnosis:\n    ${diagnoseRestricted(s)}`);
      }
      await s.shot('ext-10-restricted-diagnostics');
    });

    await run(s, 'Restricted Mode: the workspace schema is ignored, and Northstar says so once', async () => {
      const rows = northstarMarkers(await readProblems(s.page));
      const reviewers = rows.filter((x) => /reviewers/.test(x.message));
      assert.equal(reviewers.length, 0, `the untrusted workspace schema was used: ${fmtRows(reviewers)}`);
      const text = await waitForNotification(s.page, 'Northstar runs in Restricted Mode', { timeout: SLOW })
        .catch(async () => { throw new Error(`no "Northstar runs in Restricted Mode" notification; notifications: ${JSON.stringify(await s.page.locator(SEL.notification).allInnerTexts())}`); });
      assert.match(text, /ignores workspace schemas until you trust this folder/);
      await s.shot('ext-13-restricted-notice');
    });
  });
} catch (e) {
  if (!e.reported) {
    results.push({ name: 'untrusted window', ok: false, ms: 0 });
    failures.push(e.message);
    console.error(`\n${e.message}\n`);
  }
}

// ---- 3. a real spec-kit spec.md, as a team that adopts Northstar has it ------------------------
// test/real-world/docs/prd-02-…: a real spec-kit spec (tlongccm/inventory-tracker), verbatim apart
// from the front matter `type: prd`, at the path spec-kit gives it. What a reader sees in it and
// the findings a PM accepts are labelled by hand in test/real-world/labels/ (the same labels
// test/real-world/measure.test.ts measures against): the Problems panel may hold only accepted
// findings and the template-conformance ones (missing front matter fields or Northstar sections,
// which the labels count as neither), the outline must show every labelled entity with its kind,
// and the hover of a user story its priority (P1 → must, P2 → should).
const SPECKIT_DOC = 'prd-02-speckit-inventory-list-views';
const SPECKIT_PATH = 'specs/002-list-views-search/spec.md';
const SPECKIT_NAME = 'spec.md';
const SPECKIT_MAX_FINDINGS = 12; // "a small number": today the two conformance ones
const CONFORMANCE = new Set(['missing-field', 'missing-section']);
const OUTLINE_KIND = { feature: { icon: 'class', detail: 'Feature' }, kpi: { icon: 'number', detail: 'KPI' }, objective: { icon: 'module', detail: 'Objective' }, 'key-result': { icon: 'field', detail: 'Key result' }, persona: { icon: 'interface', detail: 'Persona' } };
/** Titles compared as a reader reads them: quotation marks and spacing aside. */
const sameTitle = (a, b) => {
  const norm = (t) => t.replace(/["“”]/g, '').replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
};
if (want('speckit')) try {
  const specText = await fsp.readFile(path.join(ROOT, 'test', 'real-world', 'docs', `${SPECKIT_DOC}.md`), 'utf8');
  const labels = JSON.parse(await fsp.readFile(path.join(ROOT, 'test', 'real-world', 'labels', `${SPECKIT_DOC}.json`), 'utf8'));
  const specLines = specText.split('\n');
  const accepted = new Set(labels.acceptableFindings.map((f) => f.line));
  await withSession({ files: { [SPECKIT_PATH]: specText }, vsix: VSIX, settings: { ...SETTINGS, 'outline.collapseItems': 'alwaysExpand' }, screenshotDir }, async (s) => {
    let findings = [];

    await run(s, 'spec-kit: trust the folder', async () => {
      await handleWorkspaceTrust(s.page, { trust: true });
    }, { fatal: true });

    await run(s, `spec-kit: open ${SPECKIT_PATH} (only \`type: prd\` added): the status bar says PRD`, async () => {
      await openFile(s.page, SPECKIT_PATH);
      await waitUntil(async () => (await statusItems(s.page)).includes('PRD'), { timeout: SLOW, message: 'a status bar item "PRD"' })
        .catch(async (e) => { throw new Error(`${e.message}; status bar: ${JSON.stringify(await statusItems(s.page))}`); });
    }, { fatal: true });

    await run(s, 'spec-kit: the Problems panel lists a few findings, each one a PM accepts (no misreading)', async () => {
      await openProblems(s.page);
      // Every adopted spec gets the template-conformance finding (its front matter holds only
      // \`type\`; the fields its text gives — the H1 as title, \`**Status**: ✅ Implemented\` — count
      // as present). Its must-have stories are shipped, so the alignment findings the labels accept
      // (a must-have story no success criterion measures) are not reported. The outline step below
      // reads the panel again once the document's entities are all there.
      let rows;
      try {
        rows = await waitForProblems(s.page, (r) => northstarMarkers(r).some((x) => x.file === SPECKIT_NAME && x.code === 'missing-field'),
          { timeout: SLOW, message: `the missing-field finding in ${SPECKIT_NAME}` });
      } catch (e) {
        throw new Error(`${e.message}\n  rows read:\n    ${fmtRows(await readProblems(s.page).catch(() => []))}`);
      }
      findings = northstarMarkers(rows).filter((x) => x.file === SPECKIT_NAME);
      console.log(`[ext-e2e] Problems (${SPECKIT_PATH}):\n    ${fmtRows(findings)}`);
      const misreadings = findings.filter((x) => !CONFORMANCE.has(x.code) && !accepted.has(x.line));
      assert.deepEqual(misreadings.map((x) => `${x.line} ${x.code} ${x.message}`), [],
        `findings a PM would not accept (neither on a line the labels accept nor template conformance):\n    ${fmtRows(misreadings)}`);
      const typeErrors = findings.filter((x) => /^(unknown-key|invalid-value|invalid-id|schema-violation|missing-property)$/.test(x.code));
      assert.equal(typeErrors.length, 0, `type errors or unknown keys on the spec's text:\n    ${fmtRows(typeErrors)}`);
      assert.ok(findings.length <= SPECKIT_MAX_FINDINGS, `${findings.length} findings, more than ${SPECKIT_MAX_FINDINGS}:\n    ${fmtRows(findings)}`);
      // Other files of the workspace: none.
      const others = northstarMarkers(rows).filter((x) => x.file !== SPECKIT_NAME);
      assert.equal(others.length, 0, `findings in other files:\n    ${fmtRows(others)}`);
    });

    await run(s, 'spec-kit: the outline shows every user story, FR-### and SC-### with its kind', async () => {
      const rows = await waitUntil(async () => {
        const r = await outlineRows(s.page);
        return r.filter((x) => x.icon === 'class' || x.icon === 'number').length >= labels.entities.length ? r : null;
      }, { timeout: SLOW, message: `the outline to list ${labels.entities.length} entities` })
        .catch(async (e) => { throw new Error(`${e.message}; rows: ${JSON.stringify((await outlineRows(s.page).catch(() => [])).map((r) => `${r.label} [${r.icon}] ${r.description}`))}`); });
      console.log(`[ext-e2e] outline (${rows.length} rows): ${rows.slice(0, 12).map((r) => `${'  '.repeat(Math.max(r.level - 1, 0))}${r.label} [${r.icon}] ${r.description}`).join(' | ')} …`);
      const missing = [];
      const titleDiffers = [];
      for (const e of labels.entities) {
        const kind = OUTLINE_KIND[e.kind];
        const row = rows.find((r) => r.icon === kind.icon && r.description.startsWith(`${kind.detail} ·`) && sameTitle(r.label, e.title));
        if (!row) missing.push(`${e.label ?? ''} ${e.kind} "${e.title}" (line ${e.line})`);
        else if (row.label !== e.title) titleDiffers.push(`line ${e.line}: outline "${row.label}", document "${e.title}"`);
      }
      // A title read with a quotation mark dropped is the reader's (model/read/) to fix, not the editor's: say so.
      for (const t of titleDiffers) console.log(`[ext-e2e] KNOWN READER ISSUE: title differs from the document only in quotation marks: ${t}`);
      assert.deepEqual(missing, [], `labelled entities the outline does not show with their kind:\n    ${missing.join('\n    ')}`);
      // User stories sit under their section, not at the top.
      const us = rows.find((r) => sameTitle(r.label, labels.entities[0].title));
      assert.ok(us.level > 1, `the first user story is at the outline's top level: ${JSON.stringify(us)}`);
      // Every entity analysed: the Problems panel still holds no misreading.
      const later = northstarMarkers(await readProblems(s.page)).filter((x) => x.file === SPECKIT_NAME);
      const misreadings = later.filter((x) => !CONFORMANCE.has(x.code) && !accepted.has(x.line));
      assert.deepEqual(misreadings.map((x) => `${x.line} ${x.code} ${x.message}`), [], `findings a PM would not accept, once every entity is read:\n    ${fmtRows(misreadings)}`);
    });

    await run(s, 'spec-kit: screenshot of the spec with the Problems panel and the outline (docs/images/speckit-spec.png)', async () => {
      // The outline, not the file tree, fills the side bar, wide enough for the kinds (best effort).
      const folders = s.page.locator('.part.sidebar .pane').first().locator('.pane-header');
      if ((await folders.getAttribute('aria-expanded')) === 'true' && !/outline/i.test(await folders.innerText())) {
        await folders.click();
        await waitUntil(async () => (await folders.getAttribute('aria-expanded')) === 'false', { timeout: 3000, message: 'the folders pane to collapse' }).catch(() => {});
      }
      const bar = await s.page.locator('.part.sidebar').boundingBox();
      if (bar && bar.width < 480) {
        await s.page.mouse.move(bar.x + bar.width + 1, bar.y + bar.height / 2);
        await s.page.mouse.down();
        await s.page.mouse.move(bar.x + 500, bar.y + bar.height / 2, { steps: 5 });
        await s.page.mouse.up();
        await waitUntil(async () => ((await s.page.locator('.part.sidebar').boundingBox())?.width ?? 0) > bar.width, { timeout: 3000, message: 'the side bar to widen' }).catch(() => {});
      }
      await openProblems(s.page);
      // A taller window, so that the outline reaches the success criteria.
      await resize(s.page, 1400, 1200);
      // The top of the file (its front matter holds only `type: prd`), the cursor at the start of
      // the first accepted finding's line (not on a word, which VS Code would highlight).
      const first = labels.acceptableFindings[0]?.line ?? labels.entities[0].line;
      await s.page.locator(SEL.activeEditor).first().click({ position: { x: 300, y: 40 } });
      await s.page.keyboard.press('Control+Home');
      await s.page.locator(SEL.statusbar).getByText(/^Ln 1, Col 1$/).first().waitFor({ state: 'visible' });
      await placeCursor(s.page, specLines[first - 1].slice(0, 20));
      await s.page.locator(SEL.statusbar).getByText(new RegExp(`^Ln ${first}, Col \\d+$`)).first().waitFor({ state: 'visible' })
        .catch(async () => { throw new Error(`the cursor is not on line ${first}; status bar: ${JSON.stringify(await statusItems(s.page))}`); });
      if (await s.page.locator(SEL.notification).count()) await runCommand(s.page, 'Notifications: Clear All Notifications').catch(() => {});
      await docShot(s, 'speckit-spec');
      await resize(s.page, 1400, 900);
    });

    // The first user story of each priority the labels give (must, should, could): its hover says it.
    const stories = ['must', 'should'].map((p) => labels.entities.find((e) => e.kind === 'feature' && e.priority === p)).filter(Boolean);
    for (const e of stories) {
      await run(s, `spec-kit: hover on "${specLines[e.line - 1].replace(/^#+\s*/, '').slice(0, 40)}…" shows priority ${e.priority}`, async () => {
        await gotoLine(s.page, e.line);
        const text = await hoverText(s.page, specLines[e.line - 1].replace(/^#+\s*/, '').slice(0, 20), { charOffset: 3, contains: e.title, timeout: SLOW });
        console.log(`[ext-e2e] hover line ${e.line}:\n    ${text.replace(/\n/g, '\n    ')}`);
        // What the Northstar hover says, without the Problems' messages VS Code shows above it.
        let own = text;
        for (const f of findings) own = own.split(f.message).join('');
        assert.match(own, new RegExp(`\\b${e.priority}\\b`), `the hover of line ${e.line} does not say ${e.priority}; it reads:\n${text}`);
        for (const other of ['must', 'should', 'could', 'wont'].filter((p) => p !== e.priority)) {
          assert.doesNotMatch(own, new RegExp(`(^|\\n|· )${other} ·`), `the hover of line ${e.line} gives priority ${other}; it reads:\n${text}`);
        }
        await s.page.mouse.move(5, 5);
        await s.page.locator(SEL.hover).first().waitFor({ state: 'hidden' }).catch(() => {});
      });
    }
  });
} catch (e) {
  if (!e.reported) {
    results.push({ name: 'spec-kit window', ok: false, ms: 0 });
    failures.push(e.message);
    console.error(`\n${e.message}\n`);
  }
}

// ---- summary ------------------------------------------------------------------------------------
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
for (const r of results) console.log(`[ext-e2e] ${r.ok ? 'PASS' : 'FAIL'} ${r.name} (${(r.ms / 1000).toFixed(1)} s)`);
if (failures.length) console.error(`[ext-e2e] failures:\n${failures.map((f) => `  - ${f.split('\n')[0]}`).join('\n')}`);
console.log(`northstar e2e: ${passed} passed, ${failed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s (screenshots: ${path.relative(process.cwd(), screenshotDir) || screenshotDir}, README images: ${path.relative(process.cwd(), docsImages) || docsImages})`);
process.exit(failed ? 1 : 0);
