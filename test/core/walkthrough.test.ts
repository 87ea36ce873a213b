/**
 * The Northstar view and the walkthrough as package.json declares them: every image exists and
 * ships, every command a step, the view's menus or its welcome text runs is declared, every step
 * can complete, and the sample the walkthrough creates (examples/) ships in the package.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import { ROOT } from '../helpers.js';

interface Pkg {
  files: string[];
  activationEvents?: string[];
  contributes: {
    commands: { command: string; icon?: string }[];
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    views: Record<string, { id: string; icon?: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    walkthroughs: { id: string; steps: { id: string; description: string; media: { image?: string; markdown?: string }; completionEvents?: string[] }[] }[];
  };
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Pkg;
const declared = new Set(pkg.contributes.commands.map((c) => c.command));
const ships = (file: string) => pkg.files.some((f) => (f.endsWith('/') ? file.startsWith(f) : file === f));
const BUILT_IN = /^(workbench\.|editor\.)/;
const viewIds = Object.values(pkg.contributes.views).flat().map((v) => v.id);
const commandsIn = (text: string) => [...text.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]!);
const known = (c: string) => declared.has(c) || BUILT_IN.test(c) || viewIds.some((v) => c === `${v}.focus`);

test('walkthrough: every step has an image that exists and ships, commands that exist, and a completion event', () => {
  const w = pkg.contributes.walkthroughs.find((x) => x.id === 'northstar.start');
  assert.ok(w, 'no northstar.start walkthrough');
  assert.deepEqual(w.steps.map((s) => s.id), ['sample', 'newDocument', 'quickFix', 'report', 'view']);
  for (const step of w.steps) {
    const image = step.media.image;
    assert.ok(image, `${step.id}: no image`);
    assert.ok(fs.existsSync(path.join(ROOT, image)), `${step.id}: ${image} does not exist`);
    assert.ok(ships(image), `${step.id}: ${image} is not in the package's files`);
    for (const c of commandsIn(step.description)) assert.ok(known(c), `${step.id}: the link runs ${c}, which is not declared`);
    assert.ok(step.completionEvents?.length, `${step.id}: no completion event`);
    for (const e of step.completionEvents!) {
      const m = /^(onCommand|onView|onContext):(.+)$/.exec(e);
      assert.ok(m, `${step.id}: unexpected completion event ${e}`);
      if (m[1] === 'onCommand') assert.ok(known(m[2]!), `${step.id}: ${e} names a command that is not declared`);
      if (m[1] === 'onView') assert.ok(viewIds.includes(m[2]!), `${step.id}: ${e} names a view that is not declared`);
    }
  }
  // The first step completes once a folder with Northstar documents is open (the view sets the key).
  assert.deepEqual(w.steps[0]!.completionEvents, ['onContext:northstar.hasSpecDocuments']);
  const view = fs.readFileSync(path.join(ROOT, 'client', 'src', 'tree', 'strategyView.ts'), 'utf8');
  assert.match(view, /'northstar\.hasSpecDocuments'/, 'the client never sets northstar.hasSpecDocuments');
  // The quick fix step's command is run by every quick fix (the client's middleware).
  const ext = fs.readFileSync(path.join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
  assert.match(ext, /command: 'northstar\.quickFixApplied'/, 'no quick fix runs northstar.quickFixApplied');
});

test('the Northstar view: an activity bar container with an icon, menus and welcome links that run declared commands', () => {
  const c = pkg.contributes;
  const container = c.viewsContainers.activitybar.find((x) => x.id === 'northstar');
  assert.ok(container, 'no northstar activity bar container');
  assert.ok(fs.existsSync(path.join(ROOT, container.icon)) && ships(container.icon), `${container.icon} missing or not shipped`);
  assert.ok(c.views['northstar']?.some((v) => v.id === 'northstar.strategy'), 'no northstar.strategy view');
  for (const m of c.menus['view/title'] ?? []) assert.ok(known(m.command), `view/title runs ${m.command}, which is not declared`);
  for (const w of c.viewsWelcome) for (const cmd of commandsIn(w.contents)) assert.ok(known(cmd), `the welcome text runs ${cmd}, which is not declared`);
  for (const cmd of ['northstar.view.refresh', 'northstar.view.filter', 'northstar.view.filterOwner', 'northstar.view.filterPeriod', 'northstar.view.filterStage', 'northstar.view.clearFilter', 'northstar.view.open', 'northstar.createSampleWorkspace'])
    assert.ok(declared.has(cmd), `${cmd} is not declared`);
  // The sample workspace the command writes is examples/, shipped whole.
  assert.ok(ships('examples/okrs/2026-Q4.okr.md'), 'examples/ is not in the package');
});
