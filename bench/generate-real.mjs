#!/usr/bin/env node
/**
 * A second corpus generator for the Northstar benchmark, in the style of REAL product documents
 * (issue 12, item 6). Written from docs/FORMAT.md, the product spec and the real-world documents
 * in test/real-world/ and /work/shared/corpus/real-world — not from the scanner's source — so the
 * benchmark does not only measure the dialect the fast path was written for.
 *
 *   node bench/generate-real.mjs [--files 2000] [--size-kb 15] [--large-mb 1,5] [--seed 1] [--out DIR] [--force]
 *
 * Same parameters and layout as bench/generate.mjs (the run script uses both alike). Writes, under
 * DIR (default bench/.corpus-real/<files>f-<size>k-s<seed>/):
 *   workspace/       briefs (product/), PRDs (prds/<product>/), OKR documents (okrs/<product>/),
 *                    meeting notes (notes/); `--files` files of about `--size-kb` KB on average.
 *   large/           one PRD per `--large-mb` size, real-style, referencing the workspace.
 *   manifest.json    counts, sizes, the style features used, the deliberate mistakes, and the
 *                    targets the benchmark uses (15 KB PRD, large PRDs, the unresolved ID).
 *   .stamp.json      parameters + the generator's hash (the corpus is reused while they match).
 *
 * What real documents have and this corpus therefore has: a block quote under the title (status
 * lines, callouts), HTML (comments, <details>/<summary>, <br>, inline <kbd>, <sup>, <a id>),
 * reference-style links and their definitions, footnotes, nested lists up to four deep (bullets
 * and numbers mixed, some indented with tabs), task lists, tables with inline code, links and
 * escaped pipes, CRLF line ends (some files), emoji, very long lines, bold inline properties
 * (`**Priority:** P1 · **KPI:** [KPI-…](…#anchor) · **Owner:** @name`), setext headings (some),
 * nested YAML front matter (some), images, numbered section headings, ~~~ and ``` fences, an
 * indented code block now and then — around the valid Northstar entities: front matter `type:`,
 * features with IDs and properties, KPI tables, objectives and key results, cross-file references.
 *
 * Same parameters and seed => byte-identical output. `--files 20000` gives the scale workspace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { cachedCorpus } from './generate.mjs';

export const GENERATOR_VERSION = 1;
export const AS_OF = '2026-11-15';
const HERE = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// Seeded randomness (mulberry32 over a hashed seed).

function rng(seed) {
  let s = (seed ^ 0x2545f491) >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = 0; i < 8; i++) next();
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (a) => a[Math.floor(next() * a.length)],
    chance: (p) => next() < p,
    sample(a, n) {
      const c = a.slice();
      const out = [];
      while (out.length < n && c.length) out.push(c.splice(Math.floor(next() * c.length), 1)[0]);
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Vocabulary.

const PRODUCTS = ['aurora', 'basalt', 'cinder', 'delta', 'ember', 'fjord', 'glacier', 'heron', 'indigo', 'jasper', 'kestrel', 'lumen', 'mosaic', 'nectar', 'onyx', 'pebble', 'quartz', 'rook', 'spruce', 'topaz'];
const KINDS = ['Payments', 'Field Ops', 'Analytics', 'Booking', 'Helpdesk', 'Payroll', 'Inventory', 'Fleet', 'Billing', 'Messaging', 'Wiki', 'Expenses', 'Recruiting', 'Academy', 'Events', 'Shipping', 'Marketplace', 'Identity', 'Surveys', 'Sales CRM'];
const PEOPLE = [['Maya Chen', 'maya'], ['Lena Fischer', 'lfischer'], ['Omar Haddad', 'omar-h'], ['Priya Raman', 'priya'], ['Daniel Okafor', 'dokafor'], ['Jonas Berg', 'jberg'], ['Tomás Silva', 'tsilva'], ['Aiko Tanaka', 'aiko'], ['Sofia Rossi', 'srossi'], ['Kwame Mensah', 'kwame'], ['Elena Petrova', 'epetrova'], ['Lucas Martin', 'lmartin'], ['Amara Nwosu', 'amara'], ['Noah Kim', 'noahk'], ['Isabel García', 'igarcia'], ['Ravi Iyer', 'ravi'], ['Chloé Dubois', 'chloe'], ['Yusuf Demir', 'ydemir'], ['Freya Nilsen', 'freya'], ['Zoe Clarke', 'zclarke']];
const KPIS = [
  ['activation-rate', 'Activation rate', 'adoption', '%', 'up', 'accounts that finish setup within 7 days / new accounts'],
  ['weekly-active-teams', 'Weekly active teams', 'adoption', 'teams', 'up', 'count(distinct team_id) with >= 1 action in 7 days'],
  ['logo-churn', 'Monthly logo churn', 'retention', '%', 'down', 'cancelled accounts / accounts at month start'],
  ['retention-12w', '12-week retention', 'retention', '%', 'up', 'accounts active in week 12 / accounts active in week 1'],
  ['checkout-conversion', 'Checkout conversion', 'engagement', '%', 'up', 'paid sessions / sessions that reached checkout'],
  ['weekly-sessions', 'Sessions per user per week', 'engagement', 'sessions', 'up', 'sessions / weekly active users'],
  ['nps', 'Net promoter score', 'satisfaction', 'score', 'up', '% promoters - % detractors (quarterly survey)'],
  ['csat', 'Support CSAT', 'satisfaction', '%', 'up', 'good ratings / all ratings on closed tickets'],
  ['net-revenue', 'Net new ARR', 'revenue', 'EUR', 'up', 'new + expansion - contraction - churned ARR'],
  ['arpa', 'Average revenue per account', 'revenue', 'EUR', 'up', 'MRR / paying accounts'],
  ['time-to-value', 'Time to first value', 'other', 'days', 'down', 'median days from sign-up to first report shared'],
  ['ticket-rate', 'Tickets per 100 accounts', 'other', 'tickets', 'down', 'tickets opened / active accounts x 100'],
];
const PERSONAS = [
  ['ops-manager', 'Operations manager', 'Runs the daily operation of a 20-200 person company'],
  ['team-lead', 'Team lead', 'Leads 4-12 people and reports upwards every week'],
  ['finance-admin', 'Finance admin', 'Owns invoices, refunds and the month-end close'],
  ['new-admin', 'New workspace admin', 'Set the product up this week, alone'],
  ['developer', 'Integration developer', 'Wires the product into in-house systems'],
  ['field-agent', 'Field agent', 'Works from a phone, often offline'],
];
const TOPICS = ['saved-filters', 'bulk-actions', 'audit-trail', 'saml-sso', 'smart-nudges', 'offline-sync', 'spend-alerts', 'doc-templates', 'webhooks-v2', 'custom-roles', 'setup-wizard', 'threaded-comments', 'global-search', 'csv-import', 'dark-theme', 'digest-email', 'passkeys', 'custom-fields', 'retention-rules', 'chat-connector', 'calendar-sync', 'approval-chains', 'usage-insights', 'dunning-emails', 'retry-logic', 'contact-book', 'launch-checklist', 'live-chat', 'share-links', 'version-diff', 'report-scheduler', 'bulk-edit', 'command-palette', 'sandbox', 'status-page', 'referrals', 'annual-plans', 'vat-handling', 'fx-pricing', 'open-banking'];
const USERS = ['admins', 'team leads', 'finance admins', 'new customers', 'field agents', 'developers', 'support agents', 'trial users', 'account owners', 'ops managers'];
const VERBS = ['re-key', 'export', 'reconcile', 'approve', 'review', 'share', 'hunt for', 'configure', 'update', 'chase'];
const THINGS = ['invoices', 'refunds', 'weekly reports', 'the dashboard', 'notifications', 'subscriptions', 'search results', 'API tokens', 'permissions', 'audit entries', 'shared views', 'customer records', 'bookings', 'approvals', 'timesheets', 'shipments'];
const ADJ = ['slow', 'confusing', 'manual', 'error-prone', 'brittle', 'hidden', 'inconsistent', 'tedious'];
const EMOJI = ['🚀', '✅', '⚠️', '🔥', '📈', '📉', '🟢', '🟡', '🔴', '💡', '🧪', '🎯', '👀', '🛑', '📌', '🙏', '🤝', '⏱️', '🐛', '✨'];
const RIVALS = ['Acme Suite', 'Northwind', 'Contoso', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const PERIODS = ['2026-Q4', '2026-Q3', '2027-Q1', '2026-Q2', '2026-H2', '2026-Q1', '2027-Q2', '2025-Q4'];
const TEAMS = ['growth', 'core', 'platform'];
const INITIATIVES = ['Faster onboarding', 'Enterprise readiness', 'Self-serve billing', 'Mobile parity', 'Reporting overhaul', 'Collaboration basics', 'Integrations wave', 'Trust and security', 'Retention push', 'Pricing refresh', 'International expansion', 'Support deflection', 'Power-user tools', 'Admin console', 'Reliability', 'Activation experiments'];

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const pad = (n, w) => String(n).padStart(w, '0');
/** GitHub's heading slug (lower case, punctuation dropped, spaces to dashes). */
const slug = (h) => h.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
/** A relative link between two workspace paths (`../large/…` is next to workspace/). */
const rel = (from, to) => path.posix.relative(path.posix.dirname(`/workspace/${from}`), `/workspace/${to}`);

function periodRange(p) {
  const y = Number(p.slice(0, 4));
  if (p.includes('-H')) return p.endsWith('1') ? { start: `${y}-01-01`, end: `${y}-06-30` } : { start: `${y}-07-01`, end: `${y}-12-31` };
  const q = Number(p.slice(-1));
  return { start: `${y}-${pad((q - 1) * 3 + 1, 2)}-01`, end: `${y}-${pad(q * 3, 2)}-${[31, 30, 30, 31][q - 1]}` };
}
function dateIn(r, y = 2026, m = 6, span = 12) {
  const m0 = m - 1 + r.int(0, span - 1);
  return `${y + Math.floor(m0 / 12)}-${pad((m0 % 12) + 1, 2)}-${pad(r.int(1, 28), 2)}`;
}

// ---------------------------------------------------------------------------------------------
// Inline text in the real-document style.

/**
 * A sentence with the inline constructs real authors use. `ctx` gives references: kpi(), feat(),
 * persona(), doc() return IDs; refLink() registers a reference-style link and returns its label;
 * note() registers a footnote and returns its label.
 */
function sentence(r, ctx) {
  const u = r.pick(USERS);
  const t = r.pick(THINGS);
  switch (r.int(0, 23)) {
    case 0: return `In the ${r.pick(MONTHS)} survey, **${r.int(12, 78)}%** of ${u} said they ${r.pick(VERBS)} ${t} by hand every week${ctx.note ? `[^${ctx.note(`Survey of ${r.int(80, 900)} ${u}, ${r.pick(MONTHS)} 2026.`)}]` : ''}.`;
    case 1: return `${cap(u)} ${r.pick(VERBS)} ${t} in a spreadsheet today — ~${r.int(5, 55)} min each time, and nobody trusts the result ${r.pick(EMOJI)}.`;
    case 2: return `Support closed ${r.int(120, 4200).toLocaleString('en-US')} tickets about ${t} last quarter (see the [ticket export][${ctx.refLink ? ctx.refLink(`https://support.example.com/reports/${r.int(1000, 9999)}`, 'Zendesk export') : 'x'}]).`;
    case 3: return ctx.kpi ? `This should move ${ctx.kpi()}, which the brief tracks for the whole product.` : `This should move the numbers in the brief.`;
    case 4: return `The @${r.pick(PEOPLE)[1]} squad owns ${t}; changes need their 👍 before ${r.pick(MONTHS)} ${r.int(1, 28)}.`;
    case 5: return ctx.feat ? `It builds on ${ctx.feat()} and must not ship before it.` : `It builds on work that shipped last year.`;
    case 6: return `See [the ${t.replace(/^the /, '')} research](https://research.example.com/${ctx.tag}/${r.int(100, 999)} "Dovetail board") for interview notes.`;
    case 7: return `Competitors like _${r.pick(RIVALS)}_ already ship ${t} with ${r.pick(['sensible', 'opinionated', 'configurable'])} defaults; prospects ask in ~${r.int(2, 9)}/10 demos.`;
    case 8: return `Until then \`${r.pick(['legacy_export', 'old-sync', 'v1/reports', 'batchJob', 'flags.get("beta")'])}\` stays behind the \`${ctx.tag}-${r.int(1, 9)}\` flag.`;
    case 9: return `**Evidence:** ${r.int(3, 40)} of ${r.int(41, 90)} accounts asked for it unprompted<sup>${r.int(1, 9)}</sup>.`;
    case 10: return `Press <kbd>${r.pick(['Ctrl', 'Cmd', 'Alt'])}</kbd> + <kbd>${r.pick(['K', 'E', 'Enter', '/'])}</kbd> to open it from anywhere.`;
    case 11: return ctx.persona ? `Built first for ${ctx.persona()}, who feels the pain daily.` : `Built first for the people who feel the pain daily.`;
    case 12: return `The ~~first~~ *second* iteration keeps scope small: one screen, no settings, a clear way back.`;
    case 13: return ctx.doc ? `Context lives in ${ctx.doc()}.` : `Context lives in last quarter's review.`;
    case 14: return `We measure for ${r.int(2, 8)} weeks after launch against a ${r.int(5, 20)}% holdout (p < 0.05, two-sided).`;
    case 15: return `Most ${u} never ${r.pick(VERBS)} ${t} at all, because the flow is ${r.pick(ADJ)} & hard to find <br> (and the docs say so).`;
    case 16: return `Revenue at risk: €${r.int(20, 900)}k ARR, ${r.int(3, 30)} logos, ${r.int(1, 4)}× the usual churn.`;
    case 17: return `Raw numbers: ${r.int(10, 99)} → ${r.int(100, 300)} (+${r.int(5, 80)}%), median ${r.int(2, 9)}.${r.int(0, 9)} s, p95 ${r.int(10, 30)} s.`;
    case 18: return `Slack thread: <https://chat.example.com/archives/C0${r.int(1000, 9999)}> — TL;DR "just make it work like ${r.pick(RIVALS)}".`;
    case 19: return `*Why now?* Because ${u} hit the ${r.pick(ADJ)} path ${r.int(2, 6)}× more often since the ${r.pick(MONTHS)} redesign.`;
    case 20: return `Open issue: [#${r.int(100, 9999)}](https://github.example.com/${ctx.tag}/issues/${r.int(100, 9999)}) — "${cap(t)} are ${r.pick(ADJ)}".`;
    case 21: return ctx.refLink ? `The [design spec][${ctx.refLink(`https://design.example.com/${ctx.tag}/${r.int(10, 99)}`, 'Figma')}] and the [API notes][api-notes] have the details.` : 'Details are in the design spec.';
    case 22: return `A 5 \\* 3 grid (not a \\_real\\_ table) is enough for v1; anything bigger waits.`;
    default: return `Ship it → learn → iterate ${r.pick(EMOJI)}; we review the numbers every 2nd Monday.`;
  }
}

function para(r, ctx, n, wrapIt = ctx.wrap) {
  const s = [];
  for (let i = 0; i < n; i++) s.push(sentence(r, ctx));
  const text = s.join(' ');
  return wrapIt ? wrapText(text, 100) : text;
}

function wrapText(text, width) {
  const words = text.split(' ');
  const lines = [];
  let cur = '';
  for (const w of words) {
    // Never start a wrapped line with something that would turn it into a block.
    const risky = /^([-+*>#|]|\d+[.)]|=+$|<)/.test(w);
    if (cur && cur.length + 1 + w.length > width && !risky) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.join('\n');
}

/** A nested list up to four levels, bullets and numbers mixed; `ind` is '  ' or '\t'. */
function nestedList(r, ctx, items, ind, ordered = false) {
  const out = [];
  const markerAt = (depth, i) => (depth % 2 === (ordered ? 0 : 1) ? `${i + 1}.` : r.pick(['-', '*', '-']));
  const walk = (depth, count, prefix) => {
    for (let i = 0; i < count; i++) {
      const m = markerAt(depth, i);
      const task = depth > 0 && r.chance(0.2) ? (r.chance(0.5) ? '[x] ' : '[ ] ') : '';
      out.push(`${prefix}${m} ${task}${para(r, ctx, 1, false)}`);
      if (depth < 3 && r.chance(depth === 0 ? 0.6 : 0.4)) {
        // The content of a numbered item starts after "N. ": indent to it (tabs count as 4).
        const width = ind === '\t' ? '\t' : ' '.repeat(m.length + 1);
        walk(depth + 1, r.int(1, 3), prefix + width);
      }
    }
  };
  walk(0, items, '');
  return out.join('\n');
}

function table(head, rows, align) {
  const sep = head.map((_, i) => (align?.[i] === 'c' ? ':---:' : align?.[i] === 'r' ? '---:' : '---'));
  return [`| ${head.join(' | ')} |`, `|${sep.join('|')}|`, ...rows.map((x) => `| ${x.join(' | ')} |`)].join('\n');
}

/** Reference definitions and footnotes collected while a document is written. */
function refs(r, tag) {
  const links = [];
  const notes = [];
  return {
    refLink(url, title) {
      const label = `${tag}-${links.length + 1}`;
      links.push(`[${label}]: ${url}${title && r.chance(0.5) ? ` "${title}"` : ''}`);
      return label;
    },
    note(text) {
      const label = notes.length + 1;
      notes.push(`[^${label}]: ${text}`);
      return label;
    },
    render() {
      let s = '';
      if (notes.length) s += `\n---\n\n${notes.join('\n')}\n`;
      s += `\n<!-- link references -->\n[api-notes]: https://developer.example.com/${tag}/api 'API notes'\n${links.join('\n')}\n`;
      return s;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The plan: products, OKR documents, PRDs, with IDs.

function plan(files) {
  const nProducts = Math.max(1, Math.round(files / 100));
  const nNotes = Math.max(1, Math.round(files * 0.02));
  const nOkrs = Math.max(1, Math.round(files * 0.12));
  const nPrds = Math.max(1, files - nProducts - nNotes - nOkrs);
  const products = [];
  for (let i = 0; i < nProducts; i++) {
    const name = i < PRODUCTS.length ? PRODUCTS[i] : `${PRODUCTS[i % PRODUCTS.length]}${Math.floor(i / PRODUCTS.length) + 1}`;
    products.push({
      i, name, title: `${cap(name)} ${KINDS[i % KINDS.length]}`, owner: PEOPLE[i % PEOPLE.length],
      briefId: `BRIEF-${name}`, briefPath: `product/${name}.brief.md`,
      kpis: KPIS.map((d) => ({ id: `KPI-${name}-${d[0]}`, d })),
      personas: PERSONAS.map((d) => ({ id: `PERSONA-${name}-${d[0]}`, d })),
      okrs: [], prds: [],
    });
  }
  const okrs = [];
  for (let i = 0; i < nOkrs; i++) {
    const p = products[i % nProducts];
    const team = TEAMS[Math.floor(i / nProducts) % TEAMS.length];
    const period = PERIODS[Math.floor(i / (nProducts * TEAMS.length)) % PERIODS.length];
    const round = Math.floor(i / (nProducts * TEAMS.length * PERIODS.length));
    const sfx = round ? `-r${round + 1}` : '';
    const { start, end } = periodRange(period);
    const status = end < AS_OF ? 'closed' : start > AS_OF ? 'draft' : 'active';
    const tag = `${p.name}-${team}-${period.replace('-', '')}${sfx}`;
    const o = { i, p, team, period, status, tag, id: `OKR-${tag}`, path: `okrs/${p.name}/${team}-${period}${sfx}.okr.md` };
    okrs.push(o);
    p.okrs.push(o);
  }
  const prds = [];
  const r = rng(files * 7 + 3);
  for (let i = 0; i < nPrds; i++) {
    const p = products[i % nProducts];
    const init = r.pick(INITIATIVES);
    const num = pad(i + 1, 5);
    const d = { i, p, num, title: `${init} — ${cap(p.name)} ${num}`, id: `PRD-${p.name}-${num}`, path: `prds/${p.name}/${num}-${slug(init)}.prd.md`, features: [] };
    prds.push(d);
    p.prds.push(d);
  }
  return { products, okrs, prds, nNotes };
}

// ---------------------------------------------------------------------------------------------
// Documents.

/** Front matter; sometimes with nested YAML (maps, lists of maps) and comments, as real ones have. */
function frontMatter(r, fields, style) {
  const lines = ['---'];
  for (const [k, v] of fields) {
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      if (r.chance(0.4)) lines.push(`${k}:`, ...v.map((x) => `  - ${x}`));
      else lines.push(`${k}: [${v.join(', ')}]`);
    } else if (k === 'title' && r.chance(0.5)) lines.push(`${k}: "${v.replace(/"/g, '\\"')}"`);
    else lines.push(`${k}: ${v}`);
  }
  if (style.nestedYaml) {
    lines.push('# review trail (not read by Northstar)');
    lines.push('reviewers:');
    for (const [name, handle] of r.sample(PEOPLE, r.int(1, 3))) lines.push(`  - name: ${name}`, `    handle: "@${handle}"`, `    approved: ${r.chance(0.7)}`, `    on: ${dateIn(r, 2026, 1, 10)}`);
    lines.push('links:', `  design: https://design.example.com/${r.int(1000, 9999)}`, `  tracker: https://tracker.example.com/browse/${r.pick(['PAY', 'OPS', 'CORE'])}-${r.int(100, 999)}`, '  dashboards:', `    - https://bi.example.com/d/${r.int(100, 999)}`, `    - https://bi.example.com/d/${r.int(100, 999)}`);
    style.counts.nestedYaml++;
  }
  lines.push('---');
  return lines.join('\n') + '\n';
}

function title(text, style) {
  if (style.setext) {
    style.counts.setext++;
    return `${text}\n${'='.repeat(Math.min(text.length, 60))}\n`;
  }
  return `# ${text}\n`;
}
function h2(text, style) {
  if (style.setext && style.rng.chance(0.3)) return `${text}\n${'-'.repeat(Math.min(text.length, 40))}\n`;
  return `## ${text}\n`;
}

/** The bold inline property line real PRDs put under a feature heading or a title. */
function inlineProps(pairs) {
  return pairs.map(([k, v]) => `**${k}:** ${v}`).join(' · ');
}

function quoteBlock(lines) {
  return lines.map((l) => (l ? `> ${l}` : '>')).join('\n');
}

function callout(r, ctx) {
  const kind = r.pick(['NOTE', 'WARNING', 'TIP', 'IMPORTANT']);
  return quoteBlock([`[!${kind}]`, para(r, ctx, r.int(1, 2), false), ...(r.chance(0.4) ? ['', `> ${para(r, ctx, 1, false)}`] : [])]);
}

function details(r, ctx, inner) {
  return `<details>\n<summary>${r.pick(['Raw numbers', 'Interview quotes', 'Query used', 'Earlier options'])} (click to expand)</summary>\n\n${inner}\n\n</details>`;
}

function image(r, ctx) {
  return r.chance(0.5)
    ? `![${r.pick(['Funnel', 'Mock-up', 'Flow', 'Heatmap'])} ${r.int(1, 9)}](./img/${ctx.tag}-${r.int(1, 9)}.png "${r.pick(['current flow', 'proposed flow', 'week 12'])}")`
    : `<img src="https://cdn.example.com/${ctx.tag}/${r.int(100, 999)}.png" alt="screenshot" width="${r.pick([480, 640, 720])}">`;
}

/** A table with inline code, links and escaped pipes. */
function apiTable(r, ctx) {
  const rows = [];
  for (let i = 0; i < r.int(3, 6); i++) {
    const res = r.pick(['views', 'exports', 'invoices', 'rules', 'events']);
    rows.push([`\`${r.pick(['GET', 'POST', 'PATCH', 'DELETE'])} /v2/${res}${r.chance(0.4) ? '?filter=a\\|b' : ''}\``, `${cap(r.pick(VERBS))} ${r.pick(THINGS)}${r.chance(0.3) ? ' (`a \\| b` means either)' : ''}`, r.chance(0.5) ? `[spec](https://developer.example.com/${ctx.tag}/${res}#${r.pick(['request', 'errors'])})` : '—', r.pick(['✅', '❌', '🚧', 'n/a'])]);
  }
  return table(['Endpoint', 'What it does', 'Docs', 'v1?'], rows, ['l', 'l', 'l', 'c']);
}

function codeBlock(r, ctx, id) {
  const fence = r.chance(0.3) ? '~~~' : '```';
  switch (r.int(0, 3)) {
    case 0: return `${fence}json\n{\n  "event": "${ctx.tag}.created",\n  "feature": "${id}",\n  "legacy": "FEAT-${ctx.tag}-v0",\n  "meta": { "account": "acc_${r.int(1000, 9999)}", "tags": ["a|b", "# not a heading"] }\n}\n${fence}`;
    case 1: return `${fence}yaml\n# ${id} rollout\nflags:\n  ${ctx.tag}:\n    enabled: false\n    cohort: ${r.int(5, 50)}%\n---\nnot: front matter\n${fence}`;
    case 2: return `${fence}sql\nSELECT team_id, count(*) AS n -- | not | a | table |\nFROM events WHERE name = '${ctx.tag}' AND ts > now() - interval '7 days'\nGROUP BY 1;\n${fence}`;
    default: return `${fence}mermaid\nflowchart LR\n  A[Sign up] --> B{Setup done?}\n  B -- yes --> C[First value]\n  B -- no --> D[Nudge ${r.pick(EMOJI)}]\n${fence}`;
  }
}

function tocList(sections) {
  return sections.map((s, i) => `${i + 1}. [${s}](#${slug(s)})`).join('\n');
}

function docStyle(r, counts) {
  const s = { rng: r, counts, setext: r.chance(0.15), crlf: r.chance(0.15), tabs: r.chance(0.2), wrap: r.chance(0.4), nestedYaml: r.chance(0.25), numbered: r.chance(0.3) };
  return s;
}

function finish(text, style) {
  if (style.crlf) {
    style.counts.crlf++;
    return text.replace(/\r?\n/g, '\r\n');
  }
  return text;
}

function renderBrief(p, r, target, counts) {
  const style = docStyle(r, counts);
  const R = refs(r, `${p.name}-b`);
  const ctx = { tag: p.name, wrap: style.wrap, kpi: () => r.pick(p.kpis).id, persona: () => r.pick(p.personas).id, ...R };
  const ind = style.tabs ? '\t' : '  ';
  let t = frontMatter(r, [['type', 'brief'], ['id', p.briefId], ['title', `${p.title} — product brief`], ['owner', p.owner[0]], ['status', 'approved'], ['stage', r.pick(['growth', 'launch', 'maturity', 'development'])], ['updated', dateIn(r, 2026, 1, 10)], ['product', p.title], ['tags', r.sample(['payments', 'b2b', 'smb', 'mobile', 'analytics', 'finance'], 3)]], style);
  t += `\n${title(`${p.title}`, style)}\n${quoteBlock([inlineProps([['Status', 'Approved ✅'], ['Owner', `@${p.owner[1]}`], ['Last review', dateIn(r, 2026, 1, 10)]]), `${para(r, ctx, 1, false)}`])}\n\n<!-- markdownlint-disable MD033 MD013 -->\n`;
  t += `\n${h2('Problem', style)}\n${para(r, ctx, 5)}\n\n${callout(r, ctx)}\n\n${para(r, ctx, 4)}\n`;
  t += `\n${h2('Target customers', style)}\n`;
  for (const { id, d } of p.personas) {
    t += `\n### ${id}: ${d[1]}\n- **Role:** ${d[2]}\n- **Segment:** ${r.pick(['Small', 'Mid-market', 'Enterprise'])} accounts, ${r.int(2, 50)}–${r.int(60, 900)} seats\n- **Goals:** ${para(r, ctx, 1, false)}\n- **Pains:** ${r.pick(ADJ)} ${r.pick(THINGS)}; ${r.pick(ADJ)} ${r.pick(THINGS)}\n\n${r.chance(0.5) ? `> "${para(r, ctx, 1, false)}" — interview #${r.int(1, 40)}\n\n` : ''}${para(r, ctx, 2)}\n`;
  }
  t += `\n${h2('Value proposition', style)}\n${nestedList(r, ctx, r.int(3, 5), ind)}\n`;
  const rows = p.kpis.map(({ id, d }) => {
    const fmt = (v) => (d[3] === '%' ? `${v}%` : d[3] === 'EUR' ? `€${v}k` : String(v));
    const b = r.int(10, 50);
    const tg = d[4] === 'up' ? b + r.int(5, 30) : Math.max(1, b - r.int(2, 9));
    return [id, d[1], d[2], `\`${d[5].replace(/\|/g, '\\|')}\``, d[3], d[4], fmt(b), fmt(tg), `@${r.pick(PEOPLE)[1]}`];
  });
  t += `\n${h2('Success metrics', style)}\nKPIs for the whole product; each quarter's OKRs pick a few and set interim targets.\n\n${table(['ID', 'Name', 'Category', 'Definition', 'Unit', 'Direction', 'Baseline', 'Target', 'Owner'], rows)}\n`;
  t += `\n${h2('Competitive landscape', style)}\n${table(['Competitor', 'Strength', 'Weakness', 'Link'], r.sample(RIVALS, 4).map((c) => [`**${c}**`, `${cap(r.pick(ADJ))} setup is *not* their problem`, `${cap(r.pick(THINGS))} are ${r.pick(ADJ)}`, `[site](https://${slug(c)}.example.com)`]))}\n`;
  t += `\n${h2('Go-to-market', style)}\n${nestedList(r, ctx, r.int(2, 4), ind, true)}\n`;
  let vision = `\n${h2('Vision', style)}\n${para(r, ctx, 4)}\n`;
  const tail = `\n${h2('Risks', style)}\n- [ ] ${para(r, ctx, 1, false)}\n- [x] ${para(r, ctx, 1, false)}\n`;
  while (t.length + vision.length + tail.length + 600 < target) {
    const x = r.int(0, 5);
    if (x === 0) vision += `\n${details(r, ctx, apiTable(r, ctx))}\n`;
    else if (x === 1) vision += `\n${image(r, ctx)}\n`;
    else if (x === 2) vision += `\n${nestedList(r, ctx, r.int(2, 4), ind)}\n`;
    else if (x === 3) vision += `\n${para(r, ctx, r.int(6, 12), false)}\n`;
    else vision += `\n${para(r, ctx, 5)}\n`;
  }
  return finish(t + vision + tail + R.render(), style);
}

function renderOkr(o, r, target, counts, mistakes) {
  const style = docStyle(r, counts);
  const p = o.p;
  const R = refs(r, `${o.tag}-o`);
  const ctx = { tag: o.tag, wrap: style.wrap, kpi: () => r.pick(p.kpis).id, doc: () => p.briefId, ...R };
  const { start, end } = periodRange(o.period);
  const briefRel = rel(o.path, p.briefPath);
  let t = frontMatter(r, [['type', 'okr'], ['id', o.id], ['title', `${cap(p.name)} ${o.team} OKRs — ${o.period}`], ['owner', r.pick(PEOPLE)[0]], ['period', o.period], ['status', o.status], ['updated', start]], style);
  t += `\n${title(`${cap(p.name)} ${o.team} OKRs — ${o.period}`, style)}\n${quoteBlock([inlineProps([['Period', o.period], ['Status', o.status === 'active' ? 'Active 🟢' : o.status], ['Owner', `@${r.pick(PEOPLE)[1]}`]]), `Scores are updated every other Monday; the KPIs are defined in the [product brief](${briefRel}#success-metrics).`])}\n`;
  t += `\n${para(r, ctx, 3)}\n`;
  const focus = p.kpis.filter((_, i) => (i + 4 * TEAMS.indexOf(o.team)) % p.kpis.length < 5);
  const tail = `\n${h2('Retrospective', style)}\n${details(r, ctx, para(r, ctx, 4))}\n`;
  let obj = 0;
  let kr = 0;
  do {
    obj++;
    const objId = `OBJ-${o.tag}-${obj}`;
    t += `\n## ${objId}: ${cap(r.pick(['make', 'grow', 'win', 'keep', 'simplify']))} ${r.pick(THINGS)} for ${r.pick(USERS)} ${r.chance(0.3) ? r.pick(EMOJI) : ''}\n`.replace(' \n', '\n');
    t += r.chance(0.5) ? `- **Owner:** ${r.pick(PEOPLE)[0]}\n- **Weight:** ${r.pick(['0.2', '0.3', '0.4', '1'])}\n` : `- owner: ${r.pick(PEOPLE)[0]}\n- weight: ${r.pick(['0.2', '0.3', '0.5'])}\n`;
    t += `\n${para(r, ctx, 3)}\n\n${quoteBlock([`**Why this matters:** ${para(r, ctx, 1, false)}`])}\n`;
    const n = r.int(2, 5);
    const asTable = r.chance(0.3);
    const rows = [];
    for (let k = 0; k < n; k++) {
      kr++;
      const krId = `KR-${o.tag}.${kr}`;
      const kpi = r.pick(focus);
      const [, name, , unit, dir] = kpi.d;
      const b = r.int(10, 60);
      const tg = dir === 'up' ? b + r.int(2, 15) : Math.max(1, b - r.int(2, 9));
      const cur = dir === 'up' ? r.int(b, tg) : r.int(tg, b);
      const u = unit === '%' ? '%' : '';
      let due = end;
      if (r.chance(0.01)) {
        due = `${Number(end.slice(0, 4)) + 1}-02-15`;
        mistakes.push({ file: o.path, kind: 'due-outside-period', id: krId });
      }
      const kpiLink = `[${kpi.id}](${briefRel}#success-metrics)`;
      // In a table cell the ID is mostly plain, sometimes a link to its definition.
      const kpiCell = r.chance(0.15) ? kpiLink : kpi.id;
      const title = `${cap(dir === 'up' ? 'lift' : 'cut')} ${name.toLowerCase()} from ${b}${u} to ${tg}${u}`;
      const dot = cur === tg ? '🟢' : r.pick(['🟢', '🟡', '🔴']);
      if (asTable) rows.push([krId, title, kpiCell, `${b}${u}`, `${tg}${u}`, `${cur}${u}`, r.pick(['High', 'Medium', 'Low', '0.6']), due]);
      else if (r.chance(0.5)) t += `\n### ${krId}: ${title}\n- **KPI:** ${kpi.id}\n- **Baseline:** ${b}${u}\n- **Target:** ${tg}${u}\n- **Current:** ${cur}${u} ${dot}\n- **Confidence:** ${r.pick(['High', 'Medium', 'Low'])}\n- **Due:** ${due}\n\n${inlineProps([['KPI', kpiLink], ['Owner', `@${r.pick(PEOPLE)[1]}`], ['Progress', `${Math.round(((cur - b) / (tg - b || 1)) * 100)}% ${dot}`]])}\n\n${para(r, ctx, 2)}\n`;
      else t += `\n### ${krId}: ${title}\n- kpi: ${kpi.id}\n- baseline: ${b}${u}\n- target: ${tg}${u}\n- current: ${cur}${u}\n- unit: ${unit}\n- confidence: ${r.pick(['0.5', '0.6', '0.7'])}\n- due: ${due}\n\n${para(r, ctx, 2)}\n`;
    }
    if (asTable) t += `\n${table(['ID', 'Title', 'KPI', 'Baseline', 'Target', 'Actual', 'Confidence', 'Due'], rows)}\n`;
    t += `\n**Check-ins**<br>\n\n${table(['Week', 'Status', 'Note'], Array.from({ length: r.int(3, 6) }, (_, w) => [String(w + 1), r.pick(['🟢 on track', '🟡 at risk', '🔴 off track']), `${cap(r.pick(THINGS))} ${r.pick(['improved', 'slipped', 'held'])} — \`${r.pick(['n=42', 'a|b test', 'p95'])}\`${r.chance(0.3) ? ' \\| see thread' : ''}`]), ['c', 'l', 'l'])}\n`;
    if (r.chance(0.3)) t += `\n- [ ] ${para(r, ctx, 1, false)}\n  - [ ] ${para(r, ctx, 1, false)}\n- [x] ${para(r, ctx, 1, false)}\n`;
  } while (t.length + tail.length + 2500 < target);
  return finish(t + tail + R.render(), style);
}

const PRIO_WORDS = { must: ['must', 'Must have', 'P0', 'must-have'], should: ['should', 'Should have', 'P1'], could: ['could', 'Nice to have', 'P2', 'Could have'], wont: ['wont', "Won't have"] };

function makeFeature(prd, k, r, earlier, mistakes, big) {
  const p = prd.p;
  const topic = r.pick(TOPICS);
  const taken = prd.taken ?? (prd.taken = new Set());
  let s = big ? `${pad(k, 5)}-${topic}` : topic;
  for (let n = 2; taken.has(s); n++) s = `${topic}-${n}`;
  taken.add(s);
  const id = `${prd.featPrefix}-${s}`;
  const prio = r.pick(['must', 'must', 'should', 'should', 'could', 'wont']);
  const status = r.pick(['planned', 'planned', 'in-progress', 'in-progress', 'shipped']);
  const kpis = prio === 'wont' && r.chance(0.7) ? [] : r.sample(p.kpis, r.int(1, 2)).map((x) => x.id);
  const release = status === 'shipped' ? dateIn(r, 2026, 1, 10) : dateIn(r, 2026, 11, 2);
  const depends = [];
  if (r.chance(0.25)) {
    const c = prd.features.filter((x) => x.release <= release);
    if (c.length) depends.push(r.pick(c).id);
  }
  if (r.chance(0.08)) {
    const c = earlier.filter((x) => x.release <= release);
    if (c.length) depends.push(r.pick(c).id);
  }
  const f = { id, slug: s, title: cap(topic.replace(/-/g, ' ')), prio, prioText: r.pick(PRIO_WORDS[prio]), status, release, kpis, depends, persona: r.chance(0.5) ? r.pick(p.personas).id : undefined };
  if (r.chance(0.7)) {
    const reach = r.int(1, 200) * 100;
    const impact = r.pick([0.25, 0.5, 1, 2, 3]);
    const confidence = r.pick([50, 80, 100]);
    const effort = r.int(1, 12);
    f.rice = { reach, impact, confidence, effort, score: Math.round((reach * impact * confidence) / 100 / effort) };
  }
  const roll = r.next();
  if (roll < 0.004 && f.kpis.length) {
    f.kpis[0] = `${f.kpis[0]}x`;
    mistakes.push({ file: prd.path, kind: 'unresolved-reference', id: f.kpis[0] });
  } else if (roll < 0.007) {
    f.prioText = r.pick(['mandatory', 'critical', 'urgent']);
    mistakes.push({ file: prd.path, kind: 'invalid-value', id: f.id });
  } else if (roll < 0.011 && f.rice) {
    f.rice.score = Math.round(f.rice.score * 1.5) + 10;
    mistakes.push({ file: prd.path, kind: 'rice-mismatch', id: f.id });
  }
  return f;
}

/** One feature in one of the real-world forms; every form carries the same properties. */
function renderFeature(f, r, ctx, style, briefRel) {
  const ind = style.tabs ? '\t' : '  ';
  const heading = r.chance(0.8) ? `### ${f.id}: ${f.title}` : r.chance(0.5) ? `### ${f.id} — ${f.title}` : `#### ${f.id}: ${f.title} ${r.pick(EMOJI)}`;
  const props = [['Priority', f.prioText]];
  if (f.kpis.length) props.push(['KPI', f.kpis.join(', ')]);
  props.push(['Status', f.status], ['Release', f.release]);
  if (f.persona) props.push(['Persona', f.persona]);
  if (f.depends.length) props.push(['Depends on', f.depends.join(', ')]);
  if (f.rice) props.push(['Reach', f.rice.reach.toLocaleString('en-US')], ['Impact', String(f.rice.impact)], ['Confidence', `${f.rice.confidence}%`], ['Effort', `${f.rice.effort} person-months`], ['RICE score', String(f.rice.score)]);
  const owner = `@${r.pick(PEOPLE)[1]}`;
  const summary = inlineProps([['Priority', f.prioText], ...(f.kpis.length ? [['KPI', f.kpis.map((k) => `[${k}](${briefRel}#success-metrics)`).join(', ')]] : []), ['Owner', owner]]);
  const out = [heading, ''];
  const form = r.int(0, 9);
  if (form <= 3) {
    // Bold keys in a bullet list, the inline summary as a quote after it.
    out.push(...props.map(([k, v]) => `- **${k}:** ${v}`), '', `> ${summary}`);
  } else if (form <= 5) {
    // Bold key lines in the first paragraph, with hard breaks (two spaces, or <br>).
    const br = r.chance(0.85) ? '  ' : '<br>';
    out.push(props.map(([k, v], i) => `**${k}**: ${v}${i < props.length - 1 ? br : ''}`).join('\n'), '', summary);
  } else if (form <= 8) {
    // Northstar's own form, plain keys.
    out.push(...props.map(([k, v]) => `- ${k.toLowerCase().replace(/ /g, '_').replace('rice_score', 'rice')}: ${k === 'Reach' ? v.replace(/,/g, '') : v}`), '', summary);
  } else {
    // A task-list box in front of each key, as some templates do.
    out.push(...props.map(([k, v]) => `- [${r.chance(0.5) ? 'x' : ' '}] ${k.toLowerCase()}: ${v}`));
  }
  out.push('', para(r, ctx, r.int(2, 5)));
  const extras = r.int(0, 99);
  if (extras < 35) out.push('', '**User stories**', '', ...Array.from({ length: r.int(2, 4) }, () => `- [${r.chance(0.3) ? 'x' : ' '}] As ${r.pick(['an', 'a'])} ${r.pick(USERS).replace(/s$/, '')}, I want to ${r.pick(VERBS)} ${r.pick(THINGS)} so that I ${r.pick(['save time', 'stop guessing', 'can close the month', 'trust the numbers'])}.`));
  else if (extras < 55) out.push('', '<details>', '<summary><b>Acceptance criteria</b></summary>', '', nestedList(r, ctx, r.int(2, 3), ind, true), '', '</details>');
  else if (extras < 65) out.push('', apiTable(r, ctx));
  else if (extras < 75) out.push('', codeBlock(r, ctx, f.id));
  else if (extras < 82) out.push('', image(r, ctx));
  else if (extras < 88) out.push('', callout(r, ctx));
  else if (extras < 91) out.push('', 'Legacy payload (indented code, kept for reference):', '', `    curl -X POST https://api.example.com/v1/${f.slug} \\`, `      -d '{"id": "${f.id}-legacy", "pipe": "a|b"}'`);
  if (r.chance(0.1)) out.push('', `<!-- TODO(@${r.pick(PEOPLE)[1]}): confirm ${f.id} scope with legal; FEAT-${f.slug}-draft is the old ID -->`);
  return out.join('\n') + '\n';
}

function renderPrd(prd, r, target, all, mistakes, counts, opts = {}) {
  const style = docStyle(r, counts);
  if (opts.big) Object.assign(style, { crlf: false, setext: false });
  const p = prd.p;
  const earlierPrds = p.prds.filter((x) => x.i < prd.i && !x.big);
  const earlier = earlierPrds.slice(-10).flatMap((x) => x.features);
  prd.featPrefix = `FEAT-${opts.big ? prd.tag : prd.num}`;
  const R = refs(r, `${p.name}-${prd.num}`);
  const ctx = {
    tag: `${p.name}-${prd.num}`, wrap: style.wrap, ...R,
    kpi: () => r.pick(p.kpis).id,
    persona: () => r.pick(p.personas).id,
    feat: () => (prd.features.length ? r.pick(prd.features).id : earlier.length ? r.pick(earlier).id : p.kpis[0].id),
    doc: () => (earlierPrds.length ? r.pick(earlierPrds).id : p.briefId),
  };
  const ind = style.tabs ? '\t' : '  ';
  const briefRel = rel(prd.path, p.briefPath);
  const current = p.okrs.filter((o) => o.status !== 'closed');
  const okrRefs = r.sample(current.length ? current : p.okrs, r.int(1, 2)).map((o) => o.id);
  const status = opts.big ? 'in-progress' : r.pick(['draft', 'review', 'approved', 'approved', 'in-progress', 'in-progress', 'shipped']);
  const owner = r.pick(PEOPLE);
  const n = (i, s) => (style.numbered ? `${i}. ${s}` : s);
  const sec = {
    problem: n(1, r.chance(0.3) ? 'Problem statement' : 'Problem'), goals: n(2, 'Goals'), non: n(3, r.chance(0.4) ? 'Out of scope' : 'Non-goals'), personas: n(4, 'Personas'),
    features: n(5, r.chance(0.3) ? 'Requirements' : 'Features'), metrics: n(6, 'Success metrics'), release: n(7, r.chance(0.3) ? 'Rollout plan' : 'Release plan'),
    deps: n(8, 'Dependencies'), risks: n(9, 'Risks and mitigations'), questions: n(10, 'Open questions'),
  };
  let head = frontMatter(r, [['type', 'prd'], ['id', prd.id], ['title', prd.title], ['owner', owner[0]], ['status', status], ['brief', p.briefId], ['release', r.pick(['2026-Q4', '2027-Q1', '2026-H2', dateIn(r, 2026, 11, 3)])], ['okrs', okrRefs], ['updated', dateIn(r, 2026, 6, 5)]], style);
  head += `\n${title(prd.title, style)}\n${quoteBlock([inlineProps([['Status', status], ['Owner', `@${owner[1]}`], ['Brief', `[${p.briefId}](${briefRel})`], ['OKRs', okrRefs.join(', ')]]), para(r, ctx, 1, false)])}\n`;
  head += `\n<!-- TOC start (generated; do not edit by hand) -->\n${tocList(Object.values(sec))}\n<!-- TOC end -->\n`;
  head += `\n${h2(sec.problem, style)}\n${para(r, ctx, 4)}\n\n${para(r, ctx, r.int(4, 9), false)}\n\n${callout(r, ctx)}\n\n${image(r, ctx)}\n\nThe product context is in the [brief][brief] and its [KPIs](${briefRel}#success-metrics).\n`;
  head += `\n${h2(sec.goals, style)}\n${nestedList(r, ctx, r.int(2, 4), ind, r.chance(0.5))}\n- Contribute to ${okrRefs[0]} this quarter.\n`;
  head += `\n${h2(sec.non, style)}\n- ${para(r, ctx, 1, false)}\n- Anything covered by ${ctx.doc()}.\n`;
  head += `\n${h2(sec.personas, style)}\nBuilt for ${ctx.persona()} first; ${ctx.persona()} benefits later.\n`;
  const ownKpis = [];
  const nOwn = opts.big ? 3 : r.chance(0.3) ? r.int(1, 2) : 0;
  for (let i = 0; i < nOwn; i++) {
    const d = KPIS[(prd.i + i * 5) % KPIS.length];
    ownKpis.push({ id: `KPI-${opts.big ? prd.tag : prd.num}-${d[0]}`, d });
  }
  prd.ownKpis = ownKpis;
  let tail = `\n${h2(sec.metrics, style)}\n${table(['KPI', 'Today', 'Target', 'Notes'], r.sample(p.kpis, 3).map((k) => [`[${k.id}][brief]`, `${r.int(10, 60)}%`, `**${r.int(61, 90)}%**`, r.chance(0.5) ? `\`${k.d[5].replace(/\|/g, '\\|').slice(0, 40)}\`` : r.pick(EMOJI)]))}\n`;
  if (ownKpis.length) tail += `\nGuardrails this PRD owns:\n\n${table(['ID', 'Name', 'Category', 'Unit', 'Direction', 'Baseline', 'Target'], ownKpis.map(({ id, d }) => [id, d[1], d[2], d[3], d[4], String(r.int(10, 40)), String(r.int(41, 80))]))}\n`;
  tail += `\n${h2(sec.release, style)}\n1. Beta with ${r.int(10, 80)} accounts in ${r.pick(MONTHS)}.\n   - [ ] ${para(r, ctx, 1, false)}\n   - [x] Feature flag \`${ctx.tag}\` created\n2. GA on ${dateIn(r)} 🚀\n3. Remove the flag two weeks later.\n`;
  if (r.chance(0.3)) tail += `\n${codeBlock(r, ctx, prd.id)}\n`;
  const links = [];
  if (earlierPrds.length) {
    const o = r.pick(earlierPrds);
    links.push(`- [${o.id}](${rel(prd.path, o.path)}): shares the release train.`);
  }
  links.push(`- Capacity review with @${r.pick(PEOPLE)[1]} ([notes](https://wiki.example.com/${p.name}/${prd.num}/capacity)).`);
  if (opts.forceMistakes || (!opts.big && r.chance(0.01))) {
    links.push(`- [Legal review](./${prd.num}-legal-review.md) is still open.`);
    mistakes.push({ file: prd.path, kind: 'broken-file-link', id: `./${prd.num}-legal-review.md` });
  }
  tail += `\n${h2(sec.deps, style)}\n${links.join('\n')}\n`;
  tail += `\n${h2(sec.risks, style)}\n${table(['Risk', 'Likelihood', 'Impact', 'Mitigation'], Array.from({ length: r.int(2, 4) }, () => [para(r, ctx, 1, false).replace(/\|/g, '\\|'), r.pick(['🟢 Low', '🟡 Medium', '🔴 High']), r.pick(['Low', 'Medium', 'High']), `${cap(r.pick(VERBS))} ${r.pick(THINGS)} weekly`]))}\n`;
  tail += `\n${h2(sec.questions, style)}\n- [ ] ${para(r, ctx, 1, false)}\n- [ ] ${para(r, ctx, 1, false)}\n`;
  const defs = `\n[brief]: ${briefRel} "Product brief"\n`;
  let feats = `\n${h2(sec.features, style)}\n${para(r, ctx, 2)}\n`;
  const refsBudget = 1200;
  let k = 0;
  while (head.length + feats.length + tail.length + refsBudget < target || k === 0) {
    k++;
    const f = makeFeature(prd, k, r, earlier, mistakes, opts.big);
    if (opts.forceMistakes && k === 2) {
      f.kpis = [opts.forceMistakes, ...f.kpis.slice(1)];
      f.prio = 'must';
      f.prioText = 'must';
      mistakes.push({ file: prd.path, kind: 'unresolved-reference', id: opts.forceMistakes, target: true });
    }
    prd.features.push(f);
    if (opts.big && k % 40 === 1) feats += `\n<a id="batch-${k}"></a>\n\n${para(r, ctx, r.int(8, 14), false)}\n`;
    feats += `\n${renderFeature(f, r, ctx, style, briefRel)}`;
  }
  return finish(head + feats + tail + defs + R.render(), style);
}

function renderNote(i, r, pl, target, counts) {
  const style = docStyle(r, counts);
  const p = pl.products[i % pl.products.length];
  const prds = p.prds.filter((x) => x.features.length);
  const ctx = { tag: `${p.name}-notes`, wrap: style.wrap, kpi: () => r.pick(p.kpis).id, feat: () => (prds.length ? r.pick(r.pick(prds).features).id : p.kpis[0].id), doc: () => (prds.length ? r.pick(prds).id : p.briefId) };
  const ind = style.tabs ? '\t' : '  ';
  const date = dateIn(r, 2026, 1, 11);
  let t = `${title(`${cap(p.name)} roadmap sync — ${date}`, style)}\n> Attendees: ${r.sample(PEOPLE, 5).map((x) => `@${x[1]}`).join(', ')} · Notes by @${r.pick(PEOPLE)[1]}\n\n`;
  t += `## Metrics snapshot\n\n${table(['Metric', 'Baseline', 'Now', 'Target'], r.sample(p.kpis, 4).map((k) => [k.id, `${r.int(10, 40)}%`, `${r.int(30, 50)}% ${r.pick(['📈', '📉'])}`, `${r.int(50, 70)}%`]))}\n\n## Discussion\n`;
  while (t.length + 600 < target) t += `\n- ${ctx.feat()}: ${para(r, ctx, r.int(1, 2), false)}\n${nestedList(r, ctx, r.int(1, 2), ind).split('\n').map((l) => ind + l).join('\n')}\n`;
  t += `\n## Action items\n\n- [ ] @${r.pick(PEOPLE)[1]} to update ${ctx.doc()} with the new dates\n- [x] Share the snapshot in [#${p.name}-product](https://chat.example.com/${p.name})\n`;
  return finish(t, style);
}

// ---------------------------------------------------------------------------------------------

export function stampFor(opts) {
  const src = fs.readFileSync(fileURLToPath(import.meta.url));
  return { version: GENERATOR_VERSION, style: 'real', files: opts.files, sizeKb: opts.sizeKb, largeMb: opts.largeMb, seed: opts.seed, asOf: AS_OF, hash: crypto.createHash('sha256').update(src).digest('hex').slice(0, 16) };
}

export function defaultOutDir(opts) {
  return path.join(HERE, '.corpus-real', `${opts.files}f-${opts.sizeKb}k-s${opts.seed}`);
}

/** Reuse the corpus at opts.out when its stamp matches; else (re)generate. Returns the manifest. */
export function ensureCorpus(opts, log = () => {}) {
  const out = opts.out ?? defaultOutDir(opts);
  return cachedCorpus({ opts, out, stamp: stampFor(opts), label: 'corpus (real-style)', generate: (o) => generateCorpus({ ...opts, out: o }) }, log);
}

export function generateCorpus(opts) {
  const { files, sizeKb, largeMb, seed } = opts;
  const out = opts.out ?? defaultOutDir(opts);
  fs.rmSync(out, { recursive: true, force: true });
  const ws = path.join(out, 'workspace');
  fs.mkdirSync(ws, { recursive: true });
  fs.mkdirSync(path.join(out, 'large'), { recursive: true });
  const pl = plan(files);
  const r = rng(seed);
  const target = sizeKb * 1024;
  const size = () => Math.round(target * (0.7 + 0.6 * r.next()));
  const mistakes = [];
  const counts = { crlf: 0, setext: 0, nestedYaml: 0 };
  const kinds = { brief: 0, prd: 0, okr: 0, note: 0 };
  let bytes = 0;
  let count = 0;
  const write = (relPath, text, kind) => {
    const full = path.join(ws, relPath);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    bytes += Buffer.byteLength(text);
    count++;
    if (kind) kinds[kind]++;
    return Buffer.byteLength(text);
  };
  for (const p of pl.products) write(p.briefPath, renderBrief(p, r, size(), counts), 'brief');
  for (const o of pl.okrs) write(o.path, renderOkr(o, r, size(), counts, mistakes), 'okr');
  const targetPrd = pl.prds[Math.floor(pl.prds.length / 2)];
  const unresolvedId = `${targetPrd.p.kpis[4].id}-typo`;
  for (const prd of pl.prds) {
    const isTarget = prd === targetPrd;
    const text = renderPrd(prd, r, isTarget ? target : size(), pl, mistakes, counts, isTarget ? { forceMistakes: unresolvedId } : {});
    const b = write(prd.path, text, 'prd');
    if (isTarget) targetPrd.bytes = b;
  }
  for (let i = 0; i < pl.nNotes; i++) write(`notes/${pad(i + 1, 4)}-roadmap-sync.md`, renderNote(i, r, pl, size(), counts), 'note');
  const large = [];
  for (const mb of largeMb) {
    const p = pl.products[0];
    const tag = `real${mb}mb`;
    const prd = { i: 1e7 + mb, p, num: tag, tag, big: true, title: `Platform rebuild — ${mb} MB PRD (real-document style)`, id: `PRD-${p.name}-${tag}`, path: `../large/${tag}.prd.md`, features: [] };
    const unresolved = `${p.kpis[4].id}-${tag}-typo`;
    const text = renderPrd(prd, r, Math.round(mb * 1024 * 1024), pl, mistakes, counts, { big: true, forceMistakes: unresolved });
    fs.writeFileSync(path.join(out, 'large', `${tag}.prd.md`), text);
    large.push({ mb, path: `large/${tag}.prd.md`, bytes: Buffer.byteLength(text), lines: text.split('\n').length, features: prd.features.length, unresolvedId: unresolved });
  }
  const manifest = {
    generator: stampFor(opts),
    style: 'real',
    asOf: AS_OF,
    workspace: { dir: 'workspace', files: count, bytes, kinds, products: pl.products.length, styleCounts: counts },
    targets: { prd15k: { path: `workspace/${targetPrd.path}`, bytes: targetPrd.bytes, unresolvedId }, large },
    mistakes: { total: mistakes.length, byKind: mistakes.reduce((a, x) => ((a[x.kind] = (a[x.kind] ?? 0) + 1), a), {}), list: mistakes },
  };
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  fs.writeFileSync(path.join(out, '.stamp.json'), JSON.stringify(stampFor(opts)));
  return manifest;
}

export function parseGenArgs(argv, defaults = {}) {
  const o = { files: 2000, sizeKb: 15, largeMb: [1, 5], seed: 1, out: undefined, force: false, ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--files') o.files = Number(v());
    else if (a === '--size-kb') o.sizeKb = Number(v());
    else if (a === '--large-mb') o.largeMb = v().split(',').filter(Boolean).map(Number);
    else if (a === '--seed') o.seed = Number(v());
    else if (a === '--out') o.out = path.resolve(v());
    else if (a === '--force') o.force = true;
    else if (a === '-h' || a === '--help') {
      console.log('node bench/generate-real.mjs [--files 2000] [--size-kb 15] [--large-mb 1,5] [--seed 1] [--out DIR] [--force]\n  --files 20000 --large-mb "" gives the scale workspace');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = parseGenArgs(process.argv.slice(2));
  const m = ensureCorpus(opts, (s) => console.log(s));
  console.log(JSON.stringify({ workspace: m.workspace, targets: m.targets, mistakes: m.mistakes.byKind }, null, 2));
}
