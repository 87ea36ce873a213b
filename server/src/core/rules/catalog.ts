/**
 * Every rule unit, in the order docs/RULES.md lists them. The RULES table (diagnostics.ts), the
 * settings schema's rule list (package.json `northstar.rules`, checked by a test) and the index
 * of docs/RULES.md derive from this list. Adding a rule: one unit file, one line here, one
 * RULES.md entry, one fixture.
 */
import type { Severity } from '../diagnostics.js';
import type { RuleUnit } from './rule.js';
import { yamlSyntax } from './document/yaml-syntax.js';
import { frontmatterUnclosed } from './document/frontmatter-unclosed.js';
import { frontmatterUnsupported } from './document/frontmatter-unsupported.js';
import { frontmatterNotMapping } from './document/frontmatter-not-mapping.js';
import { unknownType } from './document/unknown-type.js';
import { priorityLegendConflict } from './document/priority-legend-conflict.js';
import { raggedTableRow } from './document/ragged-table-row.js';
import { missingField } from './document/missing-field.js';
import { missingSection } from './document/missing-section.js';
import { missingProperty } from './document/missing-property.js';
import { unknownKey } from './document/unknown-key.js';
import { invalidValue } from './document/invalid-value.js';
import { invalidId } from './document/invalid-id.js';
import { misplacedEntity } from './document/misplaced-entity.js';
import { noIdYet } from './document/no-id-yet.js';
import { riceMismatch } from './document/rice-mismatch.js';
import { dueOutsidePeriod } from './document/due-outside-period.js';
import { schemaViolation } from './document/schema-violation.js';
import { duplicateId } from './workspace/duplicate-id.js';
import { unresolvedReference } from './workspace/unresolved-reference.js';
import { referenceByName } from './workspace/reference-by-name.js';
import { ambiguousName } from './workspace/ambiguous-name.js';
import { wrongReferenceKind } from './document/wrong-reference-kind.js';
import { featureWithoutKpi } from './alignment/feature-without-kpi.js';
import { featureNotAligned } from './alignment/feature-not-aligned.js';
import { mustFeatureUnaligned } from './alignment/must-feature-unaligned.js';
import { krNotCovered } from './alignment/kr-not-covered.js';
import { featureAfterKrPeriod } from './alignment/feature-after-kr-period.js';
import { dependencyOrder } from './alignment/dependency-order.js';
import { staleReference } from './alignment/stale-reference.js';
import { endOfLifePlannedWork } from './alignment/end-of-life-planned-work.js';
import { launchWithoutGtm } from './alignment/launch-without-gtm.js';
import { featureFlagFullyOn } from './flags/feature-flag-fully-on.js';
import { shippedFlagOff } from './flags/shipped-flag-off.js';
import { flagExportInvalid } from './flags/flag-export-invalid.js';
import { unknownFlag } from './flags/unknown-flag.js';
import { workspaceSchema } from './workspace/workspace-schema.js';
import { invalidConfig } from './workspace/invalid-config.js';
import { parseFailed } from './document/parse-failed.js';
import { documentTooLarge } from './document/document-too-large.js';
import { nestingTooDeep } from './document/nesting-too-deep.js';
import { metricHeader } from './metrics/metric-header.js';
import { metricInvalidRow } from './metrics/metric-invalid-row.js';
import { metricDuplicateDate } from './metrics/metric-duplicate-date.js';
import { metricUnknownKpi } from './metrics/metric-unknown-kpi.js';
import { metricStale } from './metrics/metric-stale.js';
import { currentDisagreesWithMetrics } from './metrics/current-disagrees-with-metrics.js';

export const RULE_UNITS = [
  yamlSyntax,
  frontmatterUnclosed,
  frontmatterUnsupported,
  frontmatterNotMapping,
  unknownType,
  priorityLegendConflict,
  raggedTableRow,
  missingField,
  missingSection,
  missingProperty,
  unknownKey,
  invalidValue,
  invalidId,
  misplacedEntity,
  noIdYet,
  riceMismatch,
  dueOutsidePeriod,
  schemaViolation,
  duplicateId,
  unresolvedReference,
  referenceByName,
  ambiguousName,
  wrongReferenceKind,
  featureWithoutKpi,
  featureNotAligned,
  mustFeatureUnaligned,
  krNotCovered,
  featureAfterKrPeriod,
  dependencyOrder,
  staleReference,
  endOfLifePlannedWork,
  launchWithoutGtm,
  featureFlagFullyOn,
  shippedFlagOff,
  unknownFlag,
  flagExportInvalid,
  workspaceSchema,
  invalidConfig,
  parseFailed,
  documentTooLarge,
  nestingTooDeep,
  metricHeader,
  metricInvalidRow,
  metricDuplicateDate,
  metricUnknownKpi,
  metricStale,
  currentDisagreesWithMetrics,
] as const;

export type RuleCode = (typeof RULE_UNITS)[number]['code'];

/** Every code the core can report, with its default severity and one line of what it means. */
export const RULES = Object.fromEntries(RULE_UNITS.map((r) => [r.code, { severity: r.severity, summary: r.summary }])) as Readonly<Record<RuleCode, { readonly severity: Severity; readonly summary: string }>>;

const byCode = new Map<string, RuleUnit>(RULE_UNITS.map((r) => [r.code, r as RuleUnit]));

/** The unit of a code (undefined for a code no unit has). */
export function ruleUnit(code: string): RuleUnit | undefined {
  return byCode.get(code);
}

/** The index table of docs/RULES.md, one row per unit (a test keeps the page in step). */
export function rulesIndexTable(): string {
  const rows = RULE_UNITS.map((r) => `| [\`${r.code}\`](#${r.code}) | ${r.severity} | ${r.summary.replace(/\|/g, '\\|')} |`);
  return ['| Code | Default severity | In short |', '|------|------------------|----------|', ...rows].join('\n');
}

const SETTING_SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'] as const;

/** The JSON schema of the `northstar.rules` setting's keys (package.json, checked by a test). */
export function rulesSettingSchema(): { propertyNames: { enum: string[] }; properties: Record<string, { type: 'string'; enum: string[]; markdownDescription: string }> } {
  return {
    propertyNames: { enum: RULE_UNITS.map((r) => r.code) },
    properties: Object.fromEntries(RULE_UNITS.map((r) => [r.code, { type: 'string' as const, enum: [...SETTING_SEVERITIES], markdownDescription: `${r.summary} Default: \`${r.severity}\`.` }])),
  };
}
