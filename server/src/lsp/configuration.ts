/**
 * What the client configures: the `northstar.*` and `files.exclude` settings, workspace trust,
 * the workspace folders, and the schemas those choose (bundled, or the workspace's own when
 * trusted and valid). Applies them to the service; says what changed.
 *
 * Under the settings lies each folder's config file (`northstar.config.json` / `.northstar.json`,
 * node/config.ts): type globs, P-scale, rule severities, include/exclude, as-of date. The user's
 * settings override it: `northstar.rules` per rule, `northstar.asOf` and a non-empty
 * `northstar.include` replace, `northstar.exclude` adds. Its mistakes are published on the file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import type { Severity } from '../core/diagnostics.js';
import type { NorthstarService } from '../core/service.js';
import { SchemaRegistry, type SchemaSet } from '../core/schema/registry.js';
import { todayIso } from '../core/model/values.js';
import { makeFileFilter } from '../node/fileFilter.js';
import { fileUri, isMetricPath, loadWorkspaceSchemas } from '../node/host.js';
import { isFlagFile } from '../core/flags/store.js';
import picomatch from 'picomatch';
import { toLspDiagnostic } from './convert.js';
import { workspaceSchemaDiagnostic } from '../core/rules/workspace/workspace-schema.js';
import { LineIndex } from '../core/text/lineIndex.js';
import type { ReadingOptions } from '../core/model/types.js';
import { CONFIG_FILES, configFileIn, loadConfig, readingKey, readingOptions, type NorthstarConfig } from '../node/config.js';
import { invalidConfigDiagnostic } from '../core/rules/workspace/invalid-config.js';

export interface Settings {
  asOf?: string;
  rules?: Record<string, Severity | 'off'>;
  include?: string[];
  exclude?: string[];
  schemas?: Partial<Record<'brief' | 'prd' | 'okr', string>>;
  /** Whose problems are published: every document of the workspace (default) or open files only. */
  problems?: 'workspace' | 'openFiles';
  /** Metric snapshots: globs of CSV files besides those under `metrics/` folders, and when data is stale. */
  metrics?: { files?: string[]; staleAfterDays?: number };
}

export class Configuration {
  settings: Settings = {};
  folders: string[] = [];
  /** Untrusted workspaces (VS Code's Restricted Mode) never get their own schemas read. */
  trusted = true;
  supported = false;
  private filesExclude: Record<string, unknown> = {};
  private schemaProblemUris = new Set<string>();
  /** Each folder's config file, when it has a usable one. */
  configs = new Map<string, NorthstarConfig>();
  private configProblemUris = new Set<string>();
  /** What the config files change about reading (part of the model cache's key). */
  readingKey = '';

  constructor(
    private readonly connection: Connection,
    private readonly service: NorthstarService,
    private readonly bundled: SchemaSet,
  ) {}

  /** Whether a URI is a config file at the root of a workspace folder. */
  isConfigFile(uri: string): boolean {
    if (!uri.startsWith('file:')) return false;
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return false;
    }
    return (CONFIG_FILES as readonly string[]).includes(path.basename(file)) && this.folders.includes(path.dirname(file));
  }

  /** Reads every folder's config file and publishes its problems on it (clearing the old ones). */
  private readConfigFiles(): void {
    const before = new Set(this.configProblemUris);
    this.configProblemUris.clear();
    this.configs.clear();
    for (const folder of this.folders) {
      const file = configFileIn(folder);
      if (!file) continue;
      const loaded = loadConfig(file);
      if (loaded.config) this.configs.set(folder, loaded.config);
      const uri = fileUri(file);
      if (!loaded.problems.length) continue;
      let text = '';
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        // published at the start
      }
      const lines = new LineIndex(text);
      this.configProblemUris.add(uri);
      before.delete(uri);
      for (const p of loaded.problems) this.connection.console.log(`${file}:${p.line}:${p.column}: ${p.message}`);
      void this.connection.sendDiagnostics({ uri, diagnostics: loaded.problems.map((p) => toLspDiagnostic(invalidConfigDiagnostic(p), lines, () => undefined)) });
    }
    for (const uri of before) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** The config of the folder holding `file` (or of the first folder with one). */
  private configOf(file?: string): NorthstarConfig | undefined {
    const folder = file ? this.folders.find((f) => file === f || file.startsWith(f + path.sep)) : undefined;
    if (folder) return this.configs.get(folder);
    return this.configs.values().next().value;
  }

  /** What the config files change about reading: types by glob (per folder), the P-scale (the first folder's that sets one). */
  private reading(): ReadingOptions | undefined {
    const per = new Map<string, ReadingOptions>();
    for (const [folder, c] of this.configs) {
      const r = readingOptions(c);
      if (r) per.set(folder, r);
    }
    if (!per.size) return undefined;
    const priorityScale = [...per.values()].find((r) => r.priorityScale)?.priorityScale;
    const typeFor = (uri: string) => {
      let file: string;
      try {
        file = fileURLToPath(uri);
      } catch {
        return undefined;
      }
      const folder = this.folders.find((f) => file.startsWith(f + path.sep));
      return folder ? per.get(folder)?.typeFor?.(uri) : undefined;
    };
    return { typeFor, ...(priorityScale ? { priorityScale } : {}) };
  }

  /** Reads the settings from the client; answers whether the schemas changed (the index was re-analysed). */
  async load(): Promise<boolean> {
    this.readConfigFiles();
    if (!this.supported) return this.apply(false);
    try {
      const [cfg, files] = (await this.connection.workspace.getConfiguration([{ section: 'northstar' }, { section: 'files' }])) as [Settings | null, { exclude?: Record<string, unknown> } | null];
      const before = JSON.stringify(this.settings.schemas ?? {});
      this.settings = cfg ?? {};
      this.filesExclude = files?.exclude ?? {};
      return this.apply(JSON.stringify(this.settings.schemas ?? {}) !== before);
    } catch (e) {
      this.connection.console.log(`could not read settings: ${e instanceof Error ? e.message : String(e)}`);
      return this.apply(false);
    }
  }

  private apply(schemasChanged: boolean): boolean {
    const config = this.configOf();
    const asOf = this.settings.asOf && /^\d{4}-\d{2}-\d{2}$/.test(this.settings.asOf) ? this.settings.asOf : (config?.asOf ?? todayIso());
    const rules = { ...(config?.rules ?? {}), ...(this.settings.rules ?? {}) };
    const reading = this.reading();
    const key = [...this.configs.values()].map(readingKey).join('\n');
    const readingChanged = key !== this.readingKey;
    this.readingKey = key;
    const { reading: _old, ...rest } = this.service.options;
    this.service.options = { ...rest, asOf, ...(Object.keys(rules).length ? { severities: rules } : { severities: undefined }), ...(reading ? { reading } : {}) };
    const stale = this.settings.metrics?.staleAfterDays;
    this.service.metrics.setStaleAfterDays(typeof stale === 'number' ? stale : undefined);
    const reloaded = schemasChanged && this.reloadSchemas();
    if (readingChanged && !reloaded) {
      // Types by glob and the P-scale change what every document means: read them all again.
      this.service.setRegistry(this.service.registry);
      return true;
    }
    return reloaded;
  }

  /** Workspace schemas (northstar.schemas) replace the bundled ones per type; any failure falls back. */
  private reloadSchemas(): boolean {
    const wanted = this.settings.schemas ?? {};
    if (!Object.keys(wanted).length && this.service.registry.schemas === this.bundled) return false;
    for (const uri of this.schemaProblemUris) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.schemaProblemUris.clear();
    let set = this.bundled;
    if (!this.trusted && Object.keys(wanted).length) {
      this.connection.console.log('Restricted Mode: northstar.schemas is ignored until the workspace is trusted.');
    } else if (Object.keys(wanted).length) {
      const loaded = loadWorkspaceSchemas(this.folders, wanted, this.bundled);
      for (const p of loaded.problems) {
        const d = workspaceSchemaDiagnostic(p);
        this.connection.console.log(p.message);
        void this.connection.window.showWarningMessage(`Northstar: ${d.message}`);
        if (!p.file) continue;
        const uri = fileUri(p.file);
        this.schemaProblemUris.add(uri);
        void this.connection.sendDiagnostics({ uri, diagnostics: [toLspDiagnostic(d, new LineIndex(''), () => undefined)] });
      }
      set = loaded.set;
    }
    let next = new SchemaRegistry(set);
    if (next.problems.length) {
      for (const p of next.problems) void this.connection.window.showWarningMessage(`Northstar: the ${p.type} schema does not compile (${p.message}); the bundled schemas are used instead.`);
      next = new SchemaRegistry(this.bundled);
    }
    this.service.setRegistry(next);
    return true;
  }

  /** Which files of the workspace folders Northstar reads (include/exclude, files.exclude, .gitignore). */
  fileFilter(): (root: string, rel: string, isDir: boolean) => boolean {
    const filters = new Map<string, (rel: string, isDir: boolean) => boolean>();
    const s = this.settings;
    return (root, rel, isDir) => {
      let f = filters.get(root);
      if (!f) {
        // The config file's include/exclude (its globs are relative to its folder, the workspace folder).
        const c = this.configOf(root);
        const include = s.include?.length ? s.include : c?.include;
        const exclude = [...(s.exclude ?? []), ...(c?.exclude ?? [])];
        f = makeFileFilter(root, { ...(include?.length ? { include } : {}), ...(exclude.length ? { exclude } : {}), filesExclude: this.filesExclude });
        filters.set(root, f);
      }
      return f(rel, isDir);
    };
  }

  /** Globs (relative to a workspace folder) of metric snapshots besides CSV files under `metrics/` folders: the setting's and the config file's. */
  metricGlobs(root?: string): string[] {
    const fromSettings = Array.isArray(this.settings.metrics?.files) ? this.settings.metrics.files.filter((g): g is string => typeof g === 'string' && g.length > 0) : [];
    return [...fromSettings, ...(this.configOf(root)?.metrics ?? [])];
  }

  /** Whether a file is one of the workspace's metric snapshots. */
  isMetricFile(file: string): boolean {
    if (!/\.csv$/i.test(file) && !isFlagFile(path.basename(file))) return false;
    const root = this.folders.find((f) => file.startsWith(f + path.sep));
    if (!root) return isMetricPath(file);
    const rel = path.relative(root, file);
    if (isMetricPath(path.join(path.basename(root), rel))) return true;
    const globs = this.metricGlobs(root);
    return globs.length > 0 && picomatch(globs)(rel.split(path.sep).join('/'));
  }

  accepted(file: string): boolean {
    const root = this.folders.find((f) => file === f || file.startsWith(f + path.sep));
    return !root || this.fileFilter()(root, path.relative(root, file), false);
  }
}
