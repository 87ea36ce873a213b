/** duplicate-id: the same ID is defined more than once in the workspace. */
import type { Diagnostic, RelatedInfo } from '../../diagnostics.js';
import type { Span } from '../../text/lineIndex.js';
import { nextFreeId } from '../../features/completion.js';
import { defineRule, replaceRange } from '../rule.js';

export const duplicateId = defineRule<'duplicate-id', { id: string }>({
  code: 'duplicate-id',
  severity: 'error',
  summary: 'The same ID is defined more than once in the workspace.',
  group: 'workspace',
  check: {
    kind: 'workspace',
    run: (index, a) => {
      const out: Diagnostic[] = [];
      // A derived ID (no ID written) is never a duplicate: only written definitions count.
      const own: { id: string; span: Span }[] = [...(a.model.docId ? [a.model.docId] : []), ...a.model.entities.filter((e) => !e.idDerived).map((e) => ({ id: e.id, span: e.idSpan }))];
      for (const d of own) {
        const all = index.definitions(d.id).filter((x) => !x.derived);
        if (all.length < 2) continue;
        const related: RelatedInfo[] = all.filter((o) => !(o.uri === a.uri && o.span.start === d.span.start)).map((o) => ({ uri: o.uri, span: o.span, message: `${d.id} is also defined here` }));
        out.push(duplicateId.report(d.span, `${d.id} is defined ${all.length} times; an ID is defined exactly once in the workspace.`, { id: d.id }, { related }));
      }
      return out;
    },
  },
  fix: (ctx, a, d, data) => {
    const kind = data.id.split('-')[0];
    if (!['KPI', 'FEAT', 'OBJ', 'KR', 'PERSONA'].includes(kind ?? '')) return [];
    let n = 2;
    while (ctx.index.definitions(`${data.id}-${n}`).length) n++;
    const fresh = /\d$/.test(data.id) ? nextFreeId(ctx, kind as 'FEAT', a).id : `${data.id}-${n}`;
    return [replaceRange(a, d, `Give this definition a fresh ID: ${fresh}`, fresh, false, false)];
  },
});
