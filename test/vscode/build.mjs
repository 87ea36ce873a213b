// Bundles the extension-host suite with esbuild (CommonJS, Node 20), like scripts/build.mjs does
// for the extension:
//   out/vscode-test/index.cjs             test/vscode/index.ts (mocha runner; `run()` for --extensionTestsPath)
//   out/vscode-test/suite/<name>.test.cjs test/vscode/suite/<name>.test.ts (one bundle each, helpers inlined)
//   out/vscode-test/runTest.cjs           test/vscode/runTest.ts (@vscode/test-electron launcher)
// `vscode` is provided by the extension host; mocha and @vscode/test-electron stay in node_modules.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const OUT = path.join(ROOT, 'out', 'vscode-test');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline', // for debuggers (the extension host's own Error.prepareStackTrace ignores source maps)
  logLevel: 'warning',
  external: ['vscode', 'mocha', '@vscode/test-electron'],
  define: { 'import.meta.url': '__northstar_import_meta_url' },
  banner: { js: "const __northstar_import_meta_url = require('url').pathToFileURL(__filename).href;" },
};

const suiteDir = path.join(HERE, 'suite');
const suites = fs.readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts')).sort();
if (!suites.length) throw new Error(`no *.test.ts in ${suiteDir}`);

fs.rmSync(OUT, { recursive: true, force: true });
await Promise.all([
  esbuild.build({ ...common, entryPoints: [path.join(HERE, 'index.ts')], outfile: path.join(OUT, 'index.cjs') }),
  esbuild.build({ ...common, entryPoints: [path.join(HERE, 'runTest.ts')], outfile: path.join(OUT, 'runTest.cjs') }),
  ...suites.map((f) => esbuild.build({ ...common, entryPoints: [path.join(suiteDir, f)], outfile: path.join(OUT, 'suite', f.replace(/\.ts$/, '.cjs')) })),
]);
console.log(`[vscode-test] bundled ${suites.length} suite file(s) + index.cjs + runTest.cjs into ${path.relative(process.cwd(), OUT) || OUT}`);
