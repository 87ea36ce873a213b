/**
 * What the client configures: the `northstar.*` and `files.exclude` settings, workspace trust,
 * the workspace folders, and the schemas those choose (bundled, or the workspace's own when
 * trusted and valid). Applies them to the service; says what changed.
 */
import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import type { Severity } from '../core/diagnostics.js';
import type { NorthstarService } from '../core/service.js';
import { SchemaRegistry, type SchemaSet } from '../core/schema/registry.js';
import { todayIso } from '../core/model/values.js';
import { makeFileFilter } from '../node/fileFilter.js';
import { fileUri, loadWorkspaceSchemas } from '../node/host.js';
import { toLspDiagnostic } from './convert.js';
import { workspaceSchemaDiagnostic } from '../core/rules/workspace/workspace-schema.js';
import { LineIndex } from '../core/text/lineIndex.js';

export interface Settings {
  asOf?: string;
  rules?: Record<string, Severity | 'off'>;
  include?: string[];
  exclude?: string[];
  schemas?: Partial<Record<'brief' | 'prd' | 'okr', string>>;
  /** Whose problems are published: every document of the workspace (default) or open files only. */
  problems?: 'workspace' | 'openFiles';
}

export class Configuration {
  settings: Settings = {};
  folders: string[] = [];
  /** Untrusted workspaces (VS Code's Restricted Mode) never get their own schemas read. */
  trusted = true;
  supported = false;
  private filesExclude: Record<string, unknown> = {};
  private schemaProblemUris = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly service: NorthstarService,
    private readonly bundled: SchemaSet,
  ) {}

  /** Reads the settings from the client; answers whether the schemas changed (the index was re-analysed). */
  async load(): Promise<boolean> {
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
    const asOf = this.settings.asOf && /^\d{4}-\d{2}-\d{2}$/.test(this.settings.asOf) ? this.settings.asOf : todayIso();
    this.service.options = { ...this.service.options, asOf, ...(this.settings.rules ? { severities: this.settings.rules } : { severities: undefined }) };
    return schemasChanged && this.reloadSchemas();
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
        f = makeFileFilter(root, { ...(s.include ? { include: s.include } : {}), ...(s.exclude ? { exclude: s.exclude } : {}), filesExclude: this.filesExclude });
        filters.set(root, f);
      }
      return f(rel, isDir);
    };
  }

  accepted(file: string): boolean {
    const root = this.folders.find((f) => file === f || file.startsWith(f + path.sep));
    return !root || this.fileFilter()(root, path.relative(root, file), false);
  }
}
