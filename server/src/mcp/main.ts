/**
 * `northstar mcp [--root DIR] [--as-of DATE]`: loads the schemas, starts the guarded remark parser
 * and serves the workspace under DIR over MCP on stdio (server.ts). Answers 2 at once for bad
 * usage (no such folder, unusable schemas); otherwise the server runs until stdin closes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SeverityOverrides } from '../core/diagnostics.js';
import { todayIso } from '../core/model/values.js';
import { SchemaRegistry } from '../core/schema/registry.js';
import { NorthstarService } from '../core/service.js';
import { createGuardedParser, parseWorkerFile } from '../node/guardedParser.js';
import { bundledSchemasDir, loadSchemaSet, packageVersion } from '../node/host.js';
import { configFileFilter, configFileIn, formatConfigProblem, loadConfig, readingOptions, type NorthstarConfig } from '../node/config.js';
import { McpWorkspace } from './workspace.js';
import { rulesDocFile } from './rulesDoc.js';
import { createNorthstarMcp, serveStdio } from './server.js';

export interface McpCommandOptions {
  readonly root: string;
  readonly asOf?: string;
  readonly schemas?: string;
  readonly severities?: SeverityOverrides;
  /** A config file to read; false: none; undefined: the root's northstar.config.json / .northstar.json. */
  readonly config?: string | false;
}

export function startMcp(opts: McpCommandOptions, stderr: (s: string) => void): number {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = path.resolve(opts.root);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    stderr(`northstar mcp: no such folder: ${opts.root}\n`);
    return 2;
  }
  const bundled = bundledSchemasDir(here);
  const schemasDir = opts.schemas ? path.resolve(opts.schemas) : bundled;
  let registry: SchemaRegistry;
  try {
    registry = new SchemaRegistry(loadSchemaSet(schemasDir));
  } catch (e) {
    stderr(`northstar mcp: cannot load schemas from ${schemasDir}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  if (registry.problems.length) {
    for (const p of registry.problems) stderr(`northstar mcp: schema ${p.type}: ${p.message}\n`);
    return 2;
  }
  // The root's config file: type globs, P-scale, rule severities, include/exclude, as-of date.
  // Options given on the command line win over it.
  let config: NorthstarConfig | undefined;
  const configFile = opts.config === false ? undefined : opts.config ? path.resolve(opts.config) : configFileIn(root);
  if (configFile) {
    const loaded = loadConfig(configFile);
    for (const p of loaded.problems) stderr(`northstar mcp: ${formatConfigProblem(p, root)}\n`);
    if (!loaded.config) {
      stderr(`northstar mcp: the config file ${configFile} cannot be used; fix it or run with --no-config\n`);
      return 2;
    }
    config = loaded.config;
  }
  const reading = readingOptions(config);
  const asOf = opts.asOf ?? config?.asOf;
  const workerFile = parseWorkerFile(here);
  const guarded = workerFile ? createGuardedParser(workerFile) : undefined;
  const service = new NorthstarService(registry, {
    asOf: asOf ?? todayIso(),
    ...(opts.severities || config ? { severities: { ...(config?.rules ?? {}), ...(opts.severities ?? {}) } } : {}),
    ...(reading ? { reading } : {}),
    ...(guarded ? { parse: guarded, parseAsync: (t: string, cancelled?: () => boolean) => guarded.parseAsync(t, cancelled) } : {}),
  });
  const log = (s: string) => stderr(`northstar mcp: ${s}\n`);
  // One bad call or callback must not end the server: log it and carry on.
  process.on('uncaughtException', (e) => log(`uncaught: ${e.stack ?? e.message}`));
  process.on('unhandledRejection', (e) => log(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  McpWorkspace.fileFilter = configFileFilter(config);
  McpWorkspace.metricGlobs = config?.metrics ?? [];
  let mcp;
  try {
    mcp = createNorthstarMcp({
      root,
      service,
      ...(asOf ? { asOf } : {}),
      contractsDir: path.join(bundled, 'contracts'),
      rulesFile: rulesDocFile(here),
      version: packageVersion(bundled),
      log,
    });
  } catch (e) {
    stderr(`northstar mcp: cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
    guarded?.dispose();
    return 2;
  }
  serveStdio(mcp, () => {
    guarded?.dispose();
    process.exit(0);
  }).catch((e: unknown) => {
    log(`stdio failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  });
  return 0;
}
