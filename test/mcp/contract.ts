/** The written contract (schemas/contracts/): each schema compiled once with ajv, strict. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { ROOT } from '../helpers.js';

export const CONTRACTS = path.join(ROOT, 'schemas', 'contracts');

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

/** The contract, as a file under schemas/contracts/. */
export function contract(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(CONTRACTS, name), 'utf8')) as Record<string, unknown>;
}

/** Fails with ajv's errors unless `value` follows the contract `name`. */
export function assertContract(name: string, value: unknown): void {
  ajv ??= new Ajv2020({ allErrors: true, strict: true });
  let v = validators.get(name);
  if (!v) validators.set(name, (v = ajv.compile(contract(name))));
  assert.ok(v(value), `${name}: ${ajv.errorsText(v.errors, { separator: '\n' })}\n${JSON.stringify(value).slice(0, 2000)}`);
}

