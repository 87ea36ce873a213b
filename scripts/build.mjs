// Bundles the client, the server and the CLI with esbuild (CommonJS, Node 20).
import * as esbuild from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
  // ESM sources use import.meta.url; in a CommonJS bundle it is derived from __filename.
  define: { 'import.meta.url': '__northstar_import_meta_url' },
  banner: { js: "const __northstar_import_meta_url = require('url').pathToFileURL(__filename).href;" },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.cjs', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.cjs', banner: { js: `#!/usr/bin/env node\n${common.banner.js}` } }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/bin.ts'], outfile: 'dist/cli.cjs', banner: { js: `#!/usr/bin/env node\n${common.banner.js}` } }),
  esbuild.build({ ...common, entryPoints: ['server/src/node/parseWorker.ts'], outfile: 'dist/parse-worker.cjs' }),
  // `northstar mcp` (the MCP SDK): its own bundle, loaded by cli.cjs for that command only, so check and report start as fast as before.
  esbuild.build({ ...common, entryPoints: ['server/src/mcp/main.ts'], outfile: 'dist/mcp.cjs' }),
]);
