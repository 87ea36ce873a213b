/** The importers by vendor: `northstar metrics import --from <vendor>`. */
import { importAmplitude } from './amplitude.js';
import { importCsv } from './csv.js';
import { importMixpanel } from './mixpanel.js';
import { importPendo } from './pendo.js';
import { importPosthog } from './posthog.js';
import type { ImportOptions, ImportResult, Importer } from './types.js';

export const IMPORTERS = {
  amplitude: importAmplitude,
  mixpanel: importMixpanel,
  posthog: importPosthog,
  pendo: importPendo,
  csv: importCsv,
} as const satisfies Record<string, Importer>;

export type Vendor = keyof typeof IMPORTERS;

export function isVendor(s: string): s is Vendor {
  return Object.prototype.hasOwnProperty.call(IMPORTERS, s);
}

/** A vendor's export → data points. Never throws. */
export function importExport(vendor: Vendor, text: string, options: ImportOptions = {}): ImportResult {
  try {
    return IMPORTERS[vendor](text, options);
  } catch (e) {
    return { points: [], errors: [{ message: `cannot read the export: ${e instanceof Error ? e.message : String(e)}` }], notes: [] };
  }
}

export type { ImportIssue, ImportOptions, ImportResult, ImportedPoint } from './types.js';
