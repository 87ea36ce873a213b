/** misplaced-entity: an entity outside the section (or objective, or document type) it belongs in. */
import { KIND_NAMES, type EntityKind } from '../../ids.js';
import type { Entity } from '../../model/types.js';
import type { Diagnostic } from '../../diagnostics.js';
import { defineRule } from '../rule.js';
import { heldToFormat } from '../../model/adoption.js';

function placeOfKind(kind: EntityKind): string {
  switch (kind) {
    case 'OBJ':
    case 'KR':
      return 'objectives and key results belong in an OKR document';
    case 'FEAT':
      return 'features belong in a PRD';
    case 'KPI':
      return 'KPIs belong in the brief or a PRD';
    default:
      return 'personas belong in the brief or a PRD';
  }
}

export const misplacedEntity = defineRule<'misplaced-entity'>({
  code: 'misplaced-entity',
  severity: 'warning',
  summary: 'An entity defined outside the section (or objective) it belongs in.',
  group: 'document',
  check: {
    kind: 'document',
    run: (model, registry) => {
      const out: Diagnostic[] = [];
      const type = model.type;
      if (!type) return out;
      const kinds = new Set(registry.entityKinds(type));
      const byId = new Map<string, Entity>(model.entities.map((e) => [e.id, e]));
      for (const e of model.entities) {
        if (!heldToFormat(e)) continue;
        if (!kinds.has(e.kind)) {
          out.push(misplacedEntity.report(e.idSpan, `A ${type} does not define ${KIND_NAMES[e.kind]}s (${e.id}); ${placeOfKind(e.kind)}.`, undefined));
          continue;
        }
        const owner = registry.entitySchema(type, e.kind);
        const wanted = owner?.schema['x-northstar-sections'];
        const known = Array.isArray(wanted) ? wanted.filter((k): k is string => typeof k === 'string' && registry.sections(type).some((s) => s.key === k)) : [];
        if (known.length && !e.sectionKeys.some((k) => known.includes(k))) {
          const titles = known.map((k) => registry.sections(type).find((s) => s.key === k)!.title);
          out.push(misplacedEntity.report(e.idSpan, `${e.id} is outside ${titles.map((t) => `\`## ${t}\``).join(' or ')}; ${KIND_NAMES[e.kind]}s belong there.`, undefined));
        }
        const parentKind = owner?.schema['x-northstar-parent'];
        if (typeof parentKind === 'string' && (!e.parent || byId.get(e.parent)?.kind !== parentKind)) {
          out.push(misplacedEntity.report(e.idSpan, `${e.id} is not inside ${KIND_NAMES[parentKind as EntityKind] ?? parentKind}: put it under an \`## ${parentKind}-...\` heading.`, undefined));
        }
      }
      return out;
    },
  },
});
