// `npm start`: checks the bundled example workspace, as a product manager would see it in CI.
import { spawnSync } from 'node:child_process';

const asOf = process.env.NORTHSTAR_AS_OF ?? '2026-11-23';
console.log(`Northstar: checking examples/ (as of ${asOf}) — the examples hold deliberate mistakes, see examples/README.md\n`);
const r = spawnSync(process.execPath, ['dist/cli.cjs', 'check', 'examples', '--as-of', asOf], { stdio: 'inherit' });
// Exit status 1 means "errors found", which is the point of the demo.
process.exit(r.status === 1 ? 0 : (r.status ?? 2));
