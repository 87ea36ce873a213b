/**
 * Schemas from the workspace are untrusted. Before one replaces a bundled schema it must be a
 * JSON object under a size and depth cap, refer only to itself or to Northstar's bundled
 * schemas (never to http(s), file: or other documents — nothing is ever fetched or read), use
 * only known keywords, and compile against the meta-schema. Each problem is one message; the
 * bundled schema is used instead.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';

export const MAX_SCHEMA_CHARS = 512 * 1024;
export const MAX_SCHEMA_DEPTH = 64;
const BUNDLED = /^https:\/\/northstar\.dev\/schemas\/(common|brief|prd|okr)\.schema\.json(#.*)?$/;
const ANNOTATIONS = ['x-northstar-aliases', 'x-northstar-key-aliases', 'x-northstar-sections', 'x-northstar-expected', 'x-northstar-ref', 'x-northstar-parent'];

/** Problems of a workspace schema's text; empty when it may be used. */
export function checkWorkspaceSchema(text: string, bundledSchemas: readonly object[]): { schema?: Record<string, unknown>; problems: string[] } {
  if (text.length > MAX_SCHEMA_CHARS) return { problems: [`the schema is larger than ${MAX_SCHEMA_CHARS / 1024} KB`] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { problems: [`the schema is not valid JSON: ${e instanceof Error ? e.message : String(e)}`] };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { problems: ['the schema must be a JSON object'] };
  const problems: string[] = [];
  // Depth and references, iteratively (a deep schema must not overflow the stack here either).
  const stack: { v: unknown; depth: number }[] = [{ v: json, depth: 0 }];
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (depth > MAX_SCHEMA_DEPTH) {
      problems.push(`the schema nests deeper than ${MAX_SCHEMA_DEPTH} levels`);
      break;
    }
    if (!v || typeof v !== 'object') continue;
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if ((k === '$ref' || k === '$dynamicRef') && typeof child === 'string' && !child.startsWith('#') && !BUNDLED.test(child)) {
        problems.push(`"${k}": "${child}" is refused: a workspace schema may refer only to itself (#...) or to Northstar's bundled schemas (https://northstar.dev/schemas/...); nothing is fetched or read`);
      }
      if (k === '$id' && typeof child === 'string' && BUNDLED.test(child)) problems.push(`"$id": "${child}" is a bundled schema's ID; give the workspace schema its own`);
      if (child && typeof child === 'object') stack.push({ v: child, depth: depth + 1 });
    }
  }
  if (problems.length) return { problems };
  // Unknown keywords, the meta-schema, unresolvable or cyclic references: compile strictly.
  try {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, strictTypes: false, strictTuples: false, allowUnionTypes: true, validateFormats: false });
    for (const k of ANNOTATIONS) ajv.addKeyword({ keyword: k, schemaType: ['object', 'array', 'string'] });
    for (const b of bundledSchemas) ajv.addSchema(b as Record<string, unknown>);
    ajv.compile(json as Record<string, unknown>);
  } catch (e) {
    const m = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    problems.push(/Maximum call stack/.test(m) ? 'the schema does not compile: its $ref chain is cyclic (a reference that only leads back to itself)' : `the schema does not compile: ${m}`);
  }
  return problems.length ? { problems } : { schema: json as Record<string, unknown>, problems };
}
