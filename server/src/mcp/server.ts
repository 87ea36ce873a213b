/**
 * `northstar mcp`: the tools of tools.ts served over MCP on stdio with the official TypeScript SDK
 * (v2, @modelcontextprotocol/server). Each call first brings the workspace up to date with the
 * disk (workspace.ts), reporting progress when the client asks for it, then asks the service.
 * A call never takes the server down: a thrown error becomes a tool error (isError); a cancelled
 * call stops between files and answers nothing more.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { McpServer, fromJsonSchema, type CallToolResult, type ServerContext } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { todayIso } from '../core/model/values.js';
import type { NorthstarService } from '../core/service.js';
import { TOOLS, type JsonSchema, type ToolEnv, type ToolSpec } from './tools.js';
import { CancelledError, McpWorkspace } from './workspace.js';

export interface McpServerOptions {
  readonly root: string;
  readonly service: NorthstarService;
  /** Fixed by --as-of; otherwise today, read at each call. */
  readonly asOf?: string;
  /** schemas/contracts/ (the output schemas). */
  readonly contractsDir: string;
  /** docs/RULES.md. */
  readonly rulesFile: string;
  readonly version: string;
  readonly log: (s: string) => void;
}

export interface NorthstarMcp {
  readonly server: McpServer;
  readonly workspace: McpWorkspace;
  /** Resolves when the initial index is built (never rejects). */
  readonly indexed: Promise<void>;
}

const INSTRUCTIONS =
  'Northstar reads the product strategy kept as Markdown in this repository: product briefs, PRDs with their features (FEAT-…), ' +
  'KPIs, and OKR documents with objectives (OBJ-…) and key results (KR-…). Use find_entities to find an ID, trace to follow it ' +
  '(feature → KPI → key result → objective → OKR, and back), check for the findings of the rules, alignment_summary for the score ' +
  'and progress, explain_rule for what a finding code means. Read-only.';

function text(s: string, isError = false): CallToolResult {
  return { content: [{ type: 'text', text: s }], ...(isError ? { isError: true } : {}) };
}

export function createNorthstarMcp(o: McpServerOptions): NorthstarMcp {
  const workspace = new McpWorkspace(o.root, o.service);
  let page: string | undefined;
  const env: ToolEnv = {
    ws: workspace,
    rulesPage: () => (page ??= fs.readFileSync(o.rulesFile, 'utf8')),
    asOf: () => o.asOf ?? todayIso(),
  };
  const started = Date.now();
  const indexed = workspace.sync().then(
    () => o.log(`indexed ${o.service.index.size} Markdown files under ${o.root} in ${Date.now() - started} ms`),
    (e: unknown) => o.log(`indexing failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
  );
  const server = new McpServer({ name: 'northstar', title: 'Northstar', version: o.version }, { instructions: INSTRUCTIONS });
  for (const tool of TOOLS) {
    const output = JSON.parse(fs.readFileSync(path.join(o.contractsDir, tool.contract), 'utf8')) as JsonSchema;
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: fromJsonSchema<Record<string, unknown>>(tool.inputSchema),
        outputSchema: fromJsonSchema<Record<string, unknown>>(output),
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      },
      (args: Record<string, unknown>, ctx: ServerContext) => call(tool, args ?? {}, ctx),
    );
  }

  async function call(tool: ToolSpec, args: Record<string, unknown>, ctx: ServerContext): Promise<CallToolResult> {
    const signal = ctx.mcpReq.signal;
    const token = ctx.mcpReq._meta?.progressToken;
    try {
      // Without --as-of, "today" is read at each call (a server can outlive a day).
      const asOf = env.asOf();
      if (o.service.options.asOf !== asOf) o.service.options = { ...o.service.options, asOf };
      await workspace.sync({
        signal,
        ...(token !== undefined
          ? { progress: (done: number, total: number) => void ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress: done, total, message: `read ${done} of ${total} changed files` } }).catch(() => undefined) }
          : {}),
      });
      if (signal.aborted) throw new CancelledError();
      const answer = tool.run(args, env);
      if ('error' in answer) return text(answer.error, true);
      return { content: [{ type: 'text', text: JSON.stringify(answer.output) }], structuredContent: answer.output };
    } catch (e) {
      if (e instanceof CancelledError || signal.aborted) return text(`${tool.name} was cancelled.`, true);
      o.log(`${tool.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return text(`Northstar could not answer ${tool.name}: ${e instanceof Error ? e.message : String(e)}`, true);
    }
  }

  return { server, workspace, indexed };
}

/** Serves on stdin/stdout until stdin closes. Logs go to stderr (stdout is the protocol's). */
export async function serveStdio(mcp: NorthstarMcp, onClose: () => void): Promise<void> {
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    onClose();
  };
  process.stdin.on('end', close);
  process.stdin.on('close', close);
  await mcp.server.connect(new StdioServerTransport());
}
