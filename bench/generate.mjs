#!/usr/bin/env node
/**
 * Deterministic corpus generator for the Northstar benchmark.
 *
 *   node bench/generate.mjs [--files 2000] [--size-kb 15] [--large-mb 1,5] [--seed 1] [--out DIR] [--force]
 *
 * Writes, under DIR (default bench/.corpus/<files>f-<size>k-s<seed>/):
 *   workspace/            the workspace: briefs (product/), PRDs (prds/<product>/), OKR documents
 *                         (okrs/<product>/), plain meeting notes (notes/); `--files` files of about
 *                         `--size-kb` KB each on average (each file between 0.7x and 1.3x).
 *   large/                one PRD per `--large-mb` size (many features), e.g. big-1mb.prd.md.
 *                         They reference the workspace's KPIs, personas and OKRs: open them in a
 *                         server whose workspace folder is workspace/.
 *   manifest.json         what was generated: counts, sizes, the deliberate mistakes, and the
 *                         "targets" the benchmark uses (the 15 KB PRD, the large PRDs, the ID whose
 *                         unresolved reference proves workspace diagnostics arrived).
 *   .stamp.json           the parameters and the generator's hash (a corpus is reused while they match).
 *
 * Same parameters and seed => byte-identical output. IDs are unique across the corpus; references
 * resolve except for the deliberate mistakes listed in the manifest (typos in KPI references,
 * invalid priorities, RICE mismatches, unknown keys, a duplicate ID, broken links).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

export const GENERATOR_VERSION = 4;
/** The as-of date the corpus is written around (the benchmark passes it to the server and CLI). */
export const AS_OF = '2026-11-15';

const HERE = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// Seeded randomness (sfc32 seeded through splitmix32): the only source of variation.

function makeRng(seed) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
    sample(arr, n) {
      const copy = arr.slice();
      const out = [];
      for (let i = 0; i < n && copy.length; i++) out.push(copy.splice(Math.floor(next() * copy.length), 1)[0]);
      return out;
    },
    weighted(pairs) {
      const total = pairs.reduce((s, [, w]) => s + w, 0);
      let x = next() * total;
      for (const [v, w] of pairs) if ((x -= w) < 0) return v;
      return pairs[pairs.length - 1][0];
    },
  };
  return r;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary.

const PRODUCT_NAMES = ['parcel', 'ledger', 'beacon', 'harbor', 'atlas', 'meadow', 'quill', 'summit', 'orbit', 'pylon', 'cobalt', 'juniper', 'lattice', 'nimbus', 'prism', 'relay', 'sable', 'tundra', 'vertex', 'willow'];
const PRODUCT_KIND = ['Checkout', 'Invoicing', 'Analytics', 'Scheduling', 'Helpdesk', 'Payroll', 'Inventory', 'Field Service', 'Subscriptions', 'Team Chat', 'Docs', 'Expenses', 'Hiring', 'Learning', 'Bookings', 'Logistics', 'Marketplace', 'Security', 'Forms', 'CRM'];
const TEAMS = ['growth', 'core', 'platform'];
const PEOPLE = ['Maya Chen', 'Lena Fischer', 'Omar Haddad', 'Priya Raman', 'Daniel Okafor', 'Jonas Berg', 'Tomás Silva', 'Aiko Tanaka', 'Sofia Rossi', 'Kwame Mensah', 'Elena Petrova', 'Lucas Martin', 'Amara Nwosu', 'Noah Kim', 'Isabel García', 'Ravi Iyer', 'Hannah Vogel', 'Mateo López', 'Chloé Dubois', 'Yusuf Demir', 'Freya Nilsen', 'Arjun Mehta', 'Zoe Clarke', 'Ines Costa', 'Mika Laine', 'Sara Haddad', 'Leo Novak', 'Nia Brown', 'Felix Wagner', 'Emma Jansen'];
const KPI_DEFS = [
  ['activation-rate', 'Activation rate', 'adoption', '%', 'up', [30, 45], [50, 65]],
  ['weekly-active-accounts', 'Weekly active accounts', 'adoption', 'accounts', 'up', [1200, 9000], [10000, 20000]],
  ['monthly-churn', 'Monthly churn', 'retention', '%', 'down', [2, 5], [1, 2]],
  ['retention-8w', '8-week retention', 'retention', '%', 'up', [35, 50], [52, 65]],
  ['conversion', 'Conversion', 'engagement', '%', 'up', [40, 60], [62, 75]],
  ['feature-usage', 'Weekly feature usage', 'engagement', 'sessions', 'up', [3, 6], [7, 10]],
  ['nps', 'Net promoter score', 'satisfaction', 'score', 'up', [20, 35], [40, 55]],
  ['csat', 'Support satisfaction', 'satisfaction', '%', 'up', [70, 82], [85, 92]],
  ['arr', 'Annual recurring revenue', 'revenue', 'EUR', 'up', [4, 20], [25, 60]],
  ['revenue-per-account', 'Revenue per account', 'revenue', 'EUR', 'up', [30, 90], [100, 160]],
  ['time-to-value', 'Time to first value', 'other', 'days', 'down', [4, 9], [1, 3]],
  ['support-tickets', 'Support tickets per 100 accounts', 'other', 'tickets', 'down', [8, 20], [3, 7]],
];
const PERSONA_DEFS = [
  ['admin', 'Workspace admin', 'Sets up the product for the whole company', 'Set up once and never touch it again', 'Permission requests; unclear billing'],
  ['team-lead', 'Team lead', 'Leads a team of 3 to 12 people', 'See what everyone is working on without asking', 'Status meetings; work lost in chat'],
  ['analyst', 'Operations analyst', 'Builds the weekly numbers for leadership', 'Trustworthy numbers without spreadsheets', 'Exports that break; numbers that disagree'],
  ['new-customer', 'New customer', 'Signed up this week from a free trial', 'Get a first result on day one', 'Empty screens; too many settings'],
  ['finance-manager', 'Finance manager', 'Owns invoices, payouts and the month-end close', 'Close the month in a day', 'Manual reconciliation; late payouts'],
  ['developer', 'Integration developer', 'Connects the product to in-house systems', 'A stable API with clear errors', 'Breaking changes; rate limits'],
];
const FEATURE_TOPICS = ['saved-views', 'bulk-export', 'audit-log', 'sso', 'smart-reminders', 'mobile-offline', 'usage-alerts', 'templates', 'api-webhooks', 'role-permissions', 'guided-setup', 'inline-comments', 'search-filters', 'csv-import', 'dark-mode', 'weekly-digest', 'two-factor', 'custom-fields', 'data-retention', 'slack-integration', 'calendar-sync', 'approval-flows', 'usage-dashboard', 'invoice-reminders', 'smart-retries', 'address-book', 'onboarding-checklist', 'in-app-chat', 'public-links', 'version-history', 'scheduled-reports', 'bulk-edit', 'keyboard-shortcuts', 'sandbox-mode', 'status-page', 'referral-credits', 'annual-billing', 'tax-handling', 'multi-currency', 'pay-by-bank'];
const TOPIC_TITLES = {
  'saved-views': 'Saved views', 'bulk-export': 'Bulk export', 'audit-log': 'Audit log', sso: 'Single sign-on', 'smart-reminders': 'Smart reminders', 'mobile-offline': 'Offline mode on mobile', 'usage-alerts': 'Usage alerts', templates: 'Templates', 'api-webhooks': 'Webhooks in the public API', 'role-permissions': 'Role-based permissions', 'guided-setup': 'Guided setup', 'inline-comments': 'Inline comments', 'search-filters': 'Search filters', 'csv-import': 'CSV import', 'dark-mode': 'Dark mode', 'weekly-digest': 'Weekly digest email', 'two-factor': 'Two-factor sign-in', 'custom-fields': 'Custom fields', 'data-retention': 'Data retention rules', 'slack-integration': 'Chat integration', 'calendar-sync': 'Calendar sync', 'approval-flows': 'Approval flows', 'usage-dashboard': 'Usage dashboard', 'invoice-reminders': 'Invoice reminders', 'smart-retries': 'Smart retries', 'address-book': 'Address book', 'onboarding-checklist': 'Onboarding checklist', 'in-app-chat': 'In-app chat', 'public-links': 'Public share links', 'version-history': 'Version history', 'scheduled-reports': 'Scheduled reports', 'bulk-edit': 'Bulk edit', 'keyboard-shortcuts': 'Keyboard shortcuts', 'sandbox-mode': 'Sandbox mode', 'status-page': 'Status page', 'referral-credits': 'Referral credits', 'annual-billing': 'Annual billing', 'tax-handling': 'Automatic tax handling', 'multi-currency': 'Multi-currency prices', 'pay-by-bank': 'Pay by bank',
};
const INITIATIVES = ['Faster onboarding', 'Enterprise readiness', 'Self-serve billing', 'Mobile parity', 'Reporting overhaul', 'Collaboration basics', 'Integrations wave', 'Trust and security', 'Retention push', 'Pricing refresh', 'International expansion', 'Support deflection', 'Power-user tools', 'Admin console', 'Performance and reliability', 'Activation experiments'];
const USERS = ['admins', 'team leads', 'analysts', 'new customers', 'finance managers', 'developers', 'support agents', 'returning customers', 'trial users', 'account owners'];
const VERBS = ['re-enter', 'export', 'reconcile', 'approve', 'review', 'share', 'search for', 'set up', 'update', 'track'];
const THINGS = ['invoices', 'payouts', 'reports', 'the dashboard', 'notifications', 'refunds', 'subscriptions', 'search results', 'API keys', 'permissions', 'audit logs', 'shared views', 'the weekly numbers', 'customer records', 'bookings', 'approvals'];
const ADJ = ['slow', 'confusing', 'manual', 'error-prone', 'fragile', 'hidden', 'inconsistent', 'tedious'];
const COMPETITORS = ['Acme Suite', 'Northwind', 'Contoso Cloud', 'Globex', 'Initech', 'Umbrella Apps', 'Hooli', 'Vandelay Systems'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const PERIODS = ['2026-Q4', '2026-Q3', '2027-Q1', '2026-Q2', '2026-Q1', '2027-Q2', '2025-Q4', '2025-Q3'];

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const pad = (n, w) => String(n).padStart(w, '0');
const compact = (period) => period.replace('-', '');

function periodRange(p) {
  const [y, q] = p.split('-Q').map(Number);
  const start = `${y}-${pad((q - 1) * 3 + 1, 2)}-01`;
  const endMonth = q * 3;
  const endDay = [31, 30, 30, 31][q - 1];
  return { start, end: `${y}-${pad(endMonth, 2)}-${endDay}` };
}

// ---------------------------------------------------------------------------------------------
// Prose.

function prose(r, ctx, sentences) {
  const out = [];
  for (let i = 0; i < sentences; i++) {
    const t = r.int(0, 15);
    const user = r.pick(USERS);
    const thing = r.pick(THINGS);
    switch (t) {
      case 0: out.push(`In our last survey, ${r.int(12, 78)}% of ${user} said they ${r.pick(VERBS)} ${thing} by hand at least once a week.`); break;
      case 1: out.push(`${cap(user)} currently ${r.pick(VERBS)} ${thing} in a spreadsheet, which takes ${r.int(5, 55)} minutes on average and goes wrong often enough that nobody trusts the result.`); break;
      case 2: out.push(`Support handled ${r.int(120, 4200).toLocaleString('en-US')} tickets about ${thing} last quarter; ${r.int(20, 70)}% of them were about ${r.pick(ADJ)} ${r.pick(THINGS)}.`); break;
      case 3: out.push(ctx.kpi ? `We expect this to move ${ctx.kpi()}, which the brief tracks for the whole product.` : `We expect this to move the numbers the brief tracks.`); break;
      case 4: out.push(`The ${r.pick(TEAMS)} team owns ${thing}; changes need their review before the end of ${r.pick(MONTHS)}.`); break;
      case 5: out.push(ctx.feat ? `This builds on ${ctx.feat()} and should not ship before it.` : `This builds on work that already shipped last year.`); break;
      case 6: out.push(`See [the ${thing.replace(/^the /, '')} research](https://research.example.com/${ctx.slug}/${r.int(100, 999)}) for the interview notes and the raw numbers.`); break;
      case 7: out.push(`Competitors such as ${r.pick(COMPETITORS)} already offer ${thing} with ${r.pick(['sensible', 'opinionated', 'configurable', 'minimal'])} defaults, and prospects ask about it in almost every sales call.`); break;
      case 8: out.push(`Until then, \`${r.pick(['legacy_export', 'old-sync', 'v1/reports', 'batchJob'])}\` stays behind the \`${ctx.slug}-${r.int(1, 9)}\` flag.`); break;
      case 9: out.push(`**Evidence:** ${r.int(3, 40)} of the ${r.int(41, 90)} accounts we interviewed asked for it without being prompted.`); break;
      case 10: out.push(`A ${r.pick(ADJ)} experience here costs us trust: ${user} who hit it in their first week are ${r.int(2, 4)} times more likely to leave.`); break;
      case 11: out.push(ctx.persona ? `It is built first for ${ctx.persona()}, who feels the pain every day.` : `It is built first for the people who feel the pain every day.`); break;
      case 12: out.push(`The _${r.pick(['first', 'second', 'final'])}_ iteration keeps the scope small: one screen, no settings, and a clear way back.`); break;
      case 13: out.push(ctx.doc ? `The context is in ${ctx.doc()}.` : `The context is in last quarter's review.`); break;
      case 14: out.push(`We will measure it for ${r.int(2, 8)} weeks after launch and compare against a holdout of ${r.int(5, 20)}% of accounts.`); break;
      default: out.push(`Most ${user} never ${r.pick(VERBS)} ${thing} at all, because the current flow is ${r.pick(ADJ)} and hard to find.`);
    }
  }
  return ctx.nowrap ? out.join(' ') : wrap(out.join(' '));
}

/** Wrap at ~100 columns, as people (and formatters) do. */
function wrap(text, width = 100) {
  const words = text.split(' ');
  const lines = [];
  let cur = '';
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.join('\n');
}

function dateIn(r, fromYear = 2026, fromMonth = 6, months = 12) {
  const m0 = fromMonth - 1 + r.int(0, months - 1);
  const y = fromYear + Math.floor(m0 / 12);
  const m = (m0 % 12) + 1;
  return `${y}-${pad(m, 2)}-${pad(r.int(1, 28), 2)}`;
}

function slugify(heading) {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/g, '-');
}

// ---------------------------------------------------------------------------------------------
// The plan: who exists, with which IDs.

function planCorpus(files, seed) {
  const r = makeRng(seed ^ 0x5eed);
  const nProducts = Math.max(1, Math.round(files / 100));
  const nNotes = Math.max(1, Math.round(files * 0.015));
  const nOkrs = Math.max(1, Math.round(files * 0.125));
  const nPrds = Math.max(1, files - nProducts - nNotes - nOkrs);
  const products = [];
  for (let i = 0; i < nProducts; i++) {
    const name = i < PRODUCT_NAMES.length ? PRODUCT_NAMES[i] : `${PRODUCT_NAMES[i % PRODUCT_NAMES.length]}${Math.floor(i / PRODUCT_NAMES.length) + 1}`;
    const kind = PRODUCT_KIND[i % PRODUCT_KIND.length];
    products.push({
      index: i,
      name,
      title: `${cap(name)} ${kind}`,
      owner: PEOPLE[i % PEOPLE.length],
      briefId: `BRIEF-${name}`,
      briefPath: `product/${name}.brief.md`,
      kpis: KPI_DEFS.map((d) => ({ id: `KPI-${name}-${d[0]}`, def: d })),
      personas: PERSONA_DEFS.map((d) => ({ id: `PERSONA-${name}-${d[0]}`, def: d })),
      okrs: [],
      prds: [],
    });
  }
  // OKR documents: product x team x period, the current quarters first.
  const okrs = [];
  for (let i = 0; i < nOkrs; i++) {
    const p = products[i % nProducts];
    const team = TEAMS[Math.floor(i / nProducts) % TEAMS.length];
    const period = PERIODS[Math.floor(i / (nProducts * TEAMS.length)) % PERIODS.length];
    const round = Math.floor(i / (nProducts * TEAMS.length * PERIODS.length));
    const suffix = round ? `-r${round + 1}` : '';
    const { start, end } = periodRange(period);
    const status = end < AS_OF ? 'closed' : start > AS_OF ? 'draft' : 'active';
    const o = { index: i, product: p, team, period, status, id: `OKR-${p.name}-${team}-${compact(period)}${suffix}`, path: `okrs/${p.name}/${team}-${period}${suffix}.okr.md`, tag: `${p.name}-${team}-${compact(period)}${suffix}` };
    okrs.push(o);
    p.okrs.push(o);
  }
  const prds = [];
  for (let i = 0; i < nPrds; i++) {
    const p = products[i % nProducts];
    const initiative = INITIATIVES[r.int(0, INITIATIVES.length - 1)];
    const num = pad(i + 1, 4);
    const slug = slugify(initiative);
    const d = { index: i, product: p, num, slug, title: `${initiative} (${cap(p.name)} ${num})`, id: `PRD-${p.name}-${num}`, path: `prds/${p.name}/${num}-${slug}.prd.md`, features: [] };
    prds.push(d);
    p.prds.push(d);
  }
  return { products, okrs, prds, nNotes };
}

// ---------------------------------------------------------------------------------------------
// Documents.

function frontMatter(fields) {
  return `---\n${fields.filter(Boolean).join('\n')}\n---\n`;
}

function kpiTable(kpis, r, withDefinition) {
  const head = withDefinition
    ? '| ID | Name | Category | Definition | Unit | Direction | Baseline | Target | Owner |\n|----|------|----------|------------|------|-----------|----------|--------|-------|'
    : '| ID | Name | Category | Unit | Direction | Baseline | Target | Owner |\n|----|------|----------|------|-----------|----------|--------|-------|';
  const rows = kpis.map(({ id, def }) => {
    const [, name, cat, unit, dir, b, t] = def;
    const base = r.int(b[0], b[1]);
    const target = r.int(t[0], t[1]);
    const fmt = (v) => (unit === '%' ? `${v}%` : unit === 'EUR' ? `€${v}k` : String(v));
    const cells = [id, name, cat, ...(withDefinition ? [`${name} measured weekly over all paying accounts`] : []), unit, dir, fmt(base), fmt(target), r.pick(PEOPLE)];
    return `| ${cells.join(' | ')} |`;
  });
  return `${head}\n${rows.join('\n')}`;
}

function renderBrief(p, r, targetBytes) {
  const ctx = { slug: p.name, kpi: () => r.pick(p.kpis).id, persona: () => r.pick(p.personas).id, nowrap: r.chance(0.5) };
  const parts = [];
  parts.push(frontMatter(['type: brief', `id: ${p.briefId}`, `title: ${p.title} — product brief`, `owner: ${p.owner}`, 'status: approved', `updated: 2026-${pad(r.int(1, 10), 2)}-${pad(r.int(1, 28), 2)}`, `product: ${p.title}`, `tags: [${r.sample(['payments', 'teams', 'b2b', 'smb', 'mobile', 'analytics', 'finance'], 3).join(', ')}]`]));
  parts.push(`\n# ${p.title}\n\n${prose(r, ctx, 4)}\n`);
  parts.push(`\n## Problem\n\n${prose(r, ctx, 5)}\n\n${prose(r, ctx, 4)}\n`);
  let personas = '\n## Target customers\n';
  for (const { id, def } of p.personas) {
    personas += `\n### ${id}: ${def[1]}\n- role: ${def[2]}\n- segment: ${r.pick(['Small accounts', 'Mid-market accounts', 'Enterprise accounts'])} with ${r.int(2, 50)} to ${r.int(60, 900)} seats\n- goals: ${def[3]}\n- pains: ${def[4]}\n\n${prose(r, ctx, 2)}\n`;
  }
  parts.push(personas);
  parts.push(`\n## Value proposition\n\n${prose(r, ctx, 4)}\n`);
  parts.push(`\n## Success metrics\n\nThe company-level KPIs for ${p.title}. Each quarter's OKRs pick the ones that matter and set interim targets.\n\n${kpiTable(p.kpis, r, true)}\n`);
  parts.push(`\n## Competitive landscape\n\n| Competitor | Strength | Weakness |\n|------------|----------|----------|\n${r.sample(COMPETITORS, 4).map((c) => `| ${c} | ${cap(r.pick(ADJ).replace(/./, (x) => x))} onboarding is not their problem | ${cap(r.pick(THINGS))} are ${r.pick(ADJ)} |`).join('\n')}\n`);
  parts.push(`\n## Go-to-market\n\n${prose(r, ctx, 3)}\n`);
  let text = parts.join('');
  let vision = `\n## Vision\n\n${prose(r, ctx, 4)}\n`;
  while (text.length + vision.length + 400 < targetBytes) vision += `\n${prose(r, ctx, 5)}\n`;
  text += vision;
  text += `\n## Risks\n\n- ${prose(r, { ...ctx, nowrap: true }, 1)}\n- ${prose(r, { ...ctx, nowrap: true }, 1)}\n`;
  return text;
}

function renderOkr(o, r, targetBytes, mistakes) {
  const p = o.product;
  const ctx = { slug: o.tag, kpi: () => r.pick(p.kpis).id, doc: () => p.briefId, nowrap: r.chance(0.5) };
  const { start, end } = periodRange(o.period);
  let text = frontMatter(['type: okr', `id: ${o.id}`, `title: ${cap(p.name)} ${o.team} OKRs — ${o.period}`, `owner: ${r.pick(PEOPLE)}`, `period: ${o.period}`, `status: ${o.status}`, `updated: ${start}`]);
  text += `\n# ${cap(p.name)} ${o.team} OKRs — ${o.period}\n\n${prose(r, ctx, 4)}\n`;
  let objIndex = 0;
  // A team focuses on a few of the product's KPIs.
  const t = TEAMS.indexOf(o.team);
  const focus = p.kpis.filter((_, i) => (i + 4 * t) % p.kpis.length < 5);
  let krIndex = 0;
  const tail = `\n## Retrospective\n\n${prose(r, ctx, 3)}\n`;
  do {
    objIndex++;
    const objId = `OBJ-${o.tag}-${objIndex}`;
    let s = `\n## ${objId}: ${cap(r.pick(['make', 'grow', 'win', 'keep', 'simplify']))} ${r.pick(THINGS)} for ${r.pick(USERS)}\n- owner: ${r.pick(PEOPLE)}\n- weight: ${r.pick(['0.2', '0.3', '0.4', '1'])}\n\n${prose(r, ctx, 5)}\n\n${prose(r, ctx, 4)}\n`;
    const nKr = r.int(2, 5);
    const asTable = r.chance(0.25);
    const tableRows = [];
    for (let k = 0; k < nKr; k++) {
      krIndex++;
      const krId = `KR-${o.tag}.${krIndex}`;
      const kpi = r.pick(focus);
      const [, name, , unit, dir] = kpi.def;
      const b = r.int(10, 60);
      const t = dir === 'up' ? b + r.int(2, 15) : Math.max(1, b - r.int(2, 9));
      const cur = dir === 'up' ? r.int(b, t) : r.int(t, b);
      const u = unit === '%' ? '%' : '';
      let due = end;
      if (r.chance(0.01)) {
        due = `${Number(end.slice(0, 4)) + 1}-02-15`;
        mistakes.push({ file: o.path, kind: 'due-outside-period', id: krId });
      }
      const kpiRef = kpi.id;
      if (asTable) tableRows.push(`| ${krId} | ${cap(dir === 'up' ? 'lift' : 'cut')} ${name.toLowerCase()} from ${b}${u} to ${t}${u} | ${kpiRef} | ${b}${u} | ${t}${u} | ${cur}${u} | ${r.pick(['High', 'Medium', 'Low', '0.5', '70%'])} | ${due} |`);
      else s += `\n### ${krId}: ${cap(dir === 'up' ? 'lift' : 'cut')} ${name.toLowerCase()} from ${b}${u} to ${t}${u}\n- kpi: ${kpiRef}\n- baseline: ${b}${u}\n- target: ${t}${u}\n- current: ${cur}${u}\n- unit: ${unit}\n- confidence: ${r.pick(['0.4', '0.5', '0.6', '0.7', 'Medium'])}\n- due: ${due}\n\n${prose(r, ctx, 3)}\n`;
    }
    if (asTable) s += `\n| ID | Title | KPI | Baseline | Target | Actual | Confidence | Due |\n|----|-------|-----|----------|--------|--------|------------|-----|\n${tableRows.join('\n')}\n`;
    s += `\n**Check-ins**\n\n| Week | Status | Note |\n|------|--------|------|\n${Array.from({ length: r.int(3, 6) }, (_, w) => `| ${w + 1} | ${r.pick(['on track', 'at risk', 'off track', 'on track'])} | ${cap(r.pick(THINGS))} ${r.pick(['improved', 'slipped', 'held steady'])} |`).join('\n')}\n`;
    text += s;
  } while (text.length + tail.length + 2500 < targetBytes);
  return text + tail;
}

function riceOf(reach, impact, confidencePct, effort) {
  return Math.round((reach * impact * (confidencePct / 100)) / effort);
}

/** One feature, heading form (sometimes with the tolerant bold-key form). */
function renderFeature(f, r, ctx, opts) {
  const lines = [`### ${f.id}: ${f.title}`];
  const props = [];
  props.push(['priority', f.priorityText]);
  if (f.kpis.length) props.push(['kpi', f.kpis.join(', ')]);
  props.push(['status', f.status]);
  props.push(['release', f.release]);
  if (f.persona) props.push(['persona', f.persona]);
  if (f.depends.length) props.push(['depends_on', f.depends.join(', ')]);
  if (f.rice) {
    props.push(['reach', String(f.rice.reach)]);
    props.push(['impact', String(f.rice.impact)]);
    props.push(['confidence', `${f.rice.confidence}%`]);
    props.push(['effort', String(f.rice.effort)]);
    props.push(['rice', String(f.rice.score)]);
  }
  if (f.boldForm) {
    lines.push('');
    lines.push(props.map(([k, v]) => `**${cap(k.replace('_', ' '))}**: ${v}`).join('\n'));
  } else {
    for (const [k, v] of props) lines.push(`- ${k}: ${v}`);
  }
  lines.push('');
  lines.push(prose(r, ctx, r.int(3, 6)));
  if (opts.acceptance) {
    lines.push('');
    lines.push('**Acceptance criteria**');
    lines.push('');
    for (let i = 0; i < r.int(2, 4); i++) lines.push(`- [ ] ${cap(r.pick(USERS))} can ${r.pick(VERBS)} ${r.pick(THINGS)} in under ${r.int(2, 30)} seconds.`);
  }
  if (opts.code) {
    const fence = r.pick(['json', 'http', 'yaml']);
    lines.push('');
    if (fence === 'json') lines.push('```json', '{', `  "event": "${f.slug}.created",`, `  "feature": "${f.id}",`, `  "legacy_id": "FEAT-${f.slug}-v0",`, `  "account": "acc_${r.int(1000, 9999)}"`, '}', '```');
    else if (fence === 'http') lines.push('```http', `POST /v2/${f.slug} HTTP/1.1`, 'Content-Type: application/json', '', `{"dryRun": true, "note": "see ${f.id}"}`, '```');
    else lines.push('```yaml', `# ${f.id} rollout flags`, `${f.slug}:`, `  enabled: false`, `  cohort: ${r.int(5, 50)}%`, '```');
  }
  if (opts.link) {
    lines.push('');
    lines.push(opts.link);
  }
  return lines.join('\n') + '\n';
}

function makeFeature(prd, k, r, p, earlierFeatures, mistakes, relPath, big) {
  let topic = r.pick(FEATURE_TOPICS);
  const taken = new Set(prd.features.map((f) => f.slug));
  let slug = topic;
  for (let n = 2; taken.has(slug); n++) slug = `${topic}-${n}`;
  const id = `${prd.featPrefix}-${slug}`;
  const priority = r.weighted([['must', 4], ['should', 4], ['could', 2], ['wont', 1]]);
  const priorityText = r.chance(0.08) ? { must: 'Must have', should: 'Should have', could: 'Nice to have', wont: "Won't have" }[priority] : priority;
  const status = r.weighted([['planned', 5], ['in-progress', 3], ['shipped', 2], ['dropped', 0.3]]);
  const kpis = priority === 'wont' && r.chance(0.7) ? [] : r.sample(p.kpis, r.int(1, 3)).map((x) => x.id);
  if (prd.ownKpis.length && r.chance(0.2)) kpis.push(r.pick(prd.ownKpis).id);
  const persona = r.chance(0.6) ? r.pick(p.personas).id : undefined;
  let rice;
  if (r.chance(0.75)) {
    const reach = r.int(1, 200) * 100;
    const impact = r.pick([0.25, 0.5, 1, 2, 3]);
    const confidence = r.pick([50, 70, 80, 100]);
    const effort = r.int(1, 12);
    rice = { reach, impact, confidence, effort, score: riceOf(reach, impact, confidence, effort) };
  }
  // Shipped work shipped this year; planned work lands before the end of the current quarter,
  // a few items slip into next year (and get alignment warnings, as they would).
  const release = status === 'shipped' ? dateIn(r, 2026, 1, 10) : r.chance(0.005) ? dateIn(r, 2027, 1, 3) : dateIn(r, 2026, 11, 2);
  // Dependencies ship first (mostly: a dependency can still be dropped).
  const depends = [];
  const before = (list) => list.filter((x) => x.release <= release);
  if (r.chance(0.3)) {
    const c = before(prd.features);
    if (c.length) depends.push(r.pick(c).id);
  }
  if (r.chance(0.1)) {
    const c = before(earlierFeatures);
    if (c.length) depends.push(r.pick(c).id);
  }
  const f = { id, slug, title: TOPIC_TITLES[topic] ?? cap(topic.replace(/-/g, ' ')), priority, priorityText, status, release, kpis, depends, persona, rice, boldForm: r.chance(0.05) };
  // Deliberate mistakes, a few per hundred features.
  const roll = r.next();
  if (roll < 0.004 && f.kpis.length) {
    const bad = f.kpis[0].replace(/([a-z])([a-z])(?=[a-z]*$)/, '$2$1');
    if (bad !== f.kpis[0]) {
      f.kpis[0] = bad;
      mistakes.push({ file: relPath, kind: 'unresolved-reference', id: bad });
    }
  } else if (roll < 0.007) {
    f.priorityText = r.pick(['mandatory', 'critical', 'urgent']);
    mistakes.push({ file: relPath, kind: 'invalid-value', id: f.id });
  } else if (roll < 0.012 && f.rice) {
    f.rice.score = Math.round(f.rice.score * 1.5) + 10;
    mistakes.push({ file: relPath, kind: 'rice-mismatch', id: f.id });
  } else if (roll < 0.014 && !big && f.depends.length === 0 && prd.features.length) {
    f.depends.push(`${prd.featPrefix}-${slug}-old`);
    mistakes.push({ file: relPath, kind: 'unresolved-reference', id: f.depends[0] });
  }
  return f;
}

/**
 * A PRD. `opts.big` makes the large single files (features numbered, many of them);
 * `opts.forceMistakes` puts a known unresolved reference and broken links in (the target PRD).
 */
function renderPrd(prd, r, targetBytes, ctxAll, mistakes, opts = {}) {
  const p = prd.product;
  const { prdsByProduct } = ctxAll;
  const earlierPrds = prdsByProduct.get(p.name).filter((x) => x.index < prd.index && !x.big);
  const earlierFeatures = earlierPrds.slice(-12).flatMap((x) => x.features.filter((f) => !f.duplicate));
  prd.featPrefix = opts.big ? `FEAT-${prd.bigTag}` : `FEAT-${prd.num}`;
  prd.ownKpis = [];
  const relPath = prd.path;
  const ctx = {
    slug: `${p.name}-${prd.num}`,
    kpi: () => r.pick(p.kpis).id,
    persona: () => r.pick(p.personas).id,
    feat: () => (prd.features.length ? r.pick(prd.features).id : earlierFeatures.length ? r.pick(earlierFeatures).id : p.kpis[0].id),
    doc: () => (earlierPrds.length ? r.pick(earlierPrds).id : p.briefId),
    // Half the authors wrap their paragraphs, half write one line per paragraph.
    nowrap: r.chance(0.5),
  };
  const bullet = { ...ctx, nowrap: true };
  const currentOkrs = p.okrs.filter((o) => o.status !== 'closed');
  const okrRefs = r.sample(currentOkrs.length ? currentOkrs : p.okrs, r.int(1, 2)).map((o) => o.id);
  const status = opts.big ? 'in-progress' : r.weighted([['draft', 2], ['review', 2], ['approved', 3], ['in-progress', 3], ['shipped', 2], ['archived', 0.2]]);
  const fm = ['type: prd', `id: ${prd.id}`, `title: ${prd.title}`, `owner: ${r.pick(PEOPLE)}`, `status: ${status}`, `brief: ${p.briefId}`, `release: ${r.pick(['2026-Q4', '2027-Q1', '2026-H2', dateIn(r)])}`, okrRefs.length ? `okrs: [${okrRefs.join(', ')}]` : '', `updated: 2026-${pad(r.int(6, 11), 2)}-${pad(r.int(1, 28), 2)}`];
  if (!opts.big && r.chance(0.005)) {
    fm.splice(4, 0, `ownr: ${r.pick(PEOPLE)}`);
    mistakes.push({ file: relPath, kind: 'unknown-key', id: 'ownr' });
  }
  const variant = r.chance(0.15);
  const briefRel = path.posix.relative(path.posix.dirname(relPath), p.briefPath);
  const head = [];
  head.push(frontMatter(fm));
  head.push(`\n# ${prd.title}\n\n${prose(r, ctx, 3)}\n`);
  head.push(`\n## ${variant ? '1. Problem statement' : 'Problem'}\n\n${prose(r, ctx, 5)}\n\nThe product context is in the [product brief](${briefRel}#problem) and its [KPIs](${briefRel}#success-metrics).\n`);
  head.push(`\n## Goals\n\n${Array.from({ length: r.int(2, 4) }, () => `- ${cap(r.pick(['move', 'grow', 'protect', 'cut time on']))} ${ctx.kpi()} for ${r.pick(USERS)}.`).join('\n')}\n- Contribute to ${okrRefs[0] ?? p.briefId} this quarter.\n`);
  head.push(`\n## ${variant ? 'Out of scope' : 'Non-goals'}\n\n- ${prose(r, bullet, 1)}\n- Anything covered by ${ctx.doc()}.\n`);
  head.push(`\n## Personas\n\nBuilt for ${ctx.persona()} first; ${ctx.persona()} benefits later.\n`);
  const links = [];
  if (earlierPrds.length) {
    const other = r.pick(earlierPrds);
    links.push(`- [${other.id}](${path.posix.relative(path.posix.dirname(relPath), other.path)}#features): shares the release train.`);
  }
  links.push(`- Platform capacity review with the ${r.pick(TEAMS)} team ([notes](https://wiki.example.com/${p.name}/${prd.num}/capacity)).`);
  if (opts.forceMistakes || (!opts.big && r.chance(0.01))) {
    links.push(`- [Legal review](./${prd.num}-legal-review.md) is still open.`);
    mistakes.push({ file: relPath, kind: 'broken-file-link', id: `./${prd.num}-legal-review.md` });
  }
  if (opts.forceMistakes || (!opts.big && r.chance(0.005))) {
    links.push(`- See also the [rollout section](#roll-out-plan) above.`);
    mistakes.push({ file: relPath, kind: 'broken-fragment-link', id: '#roll-out-plan' });
  }
  // PRD-owned KPIs (defined under Success metrics).
  const ownKpiCount = opts.big ? 3 : r.chance(0.3) ? r.int(1, 2) : 0;
  for (let i = 0; i < ownKpiCount; i++) {
    const def = KPI_DEFS[(prd.index + i * 5) % KPI_DEFS.length];
    prd.ownKpis.push({ id: `KPI-${opts.big ? prd.bigTag : prd.num}-${def[0]}`, def });
  }
  const tail = [];
  tail.push(`\n## Success metrics\n\n| KPI | Today | Target |\n|-----|-------|--------|\n${r.sample(p.kpis, 3).map((k) => `| ${k.id} | ${r.int(10, 60)}% | ${r.int(61, 90)}% |`).join('\n')}\n`);
  if (prd.ownKpis.length) tail.push(`\nThis PRD also watches guardrails of its own:\n\n${kpiTable(prd.ownKpis, r, false)}\n`);
  let release = `\n## ${variant ? 'Rollout' : 'Release plan'}\n\n1. Beta with ${r.int(10, 80)} accounts in ${r.pick(MONTHS)}.\n2. General availability on ${dateIn(r)}.\n3. Remove the flag two weeks later.\n`;
  if (r.chance(0.3)) release += `\n\`\`\`mermaid\ngantt\n  title ${prd.id}\n  dateFormat YYYY-MM-DD\n  section Build\n  Beta :a1, ${dateIn(r)}, 30d\n  GA :after a1, 14d\n\`\`\`\n`;
  tail.push(release);
  tail.push(`\n## Dependencies\n\n${links.join('\n')}\n`);
  if (r.chance(0.4)) tail.push(`\n## Alternatives considered\n\n| Option | Cost | Why not |\n|--------|------|---------|\n| Buy from ${r.pick(COMPETITORS)} | €${r.int(20, 200)}k a year | ${cap(r.pick(ADJ))} integration |\n| Build in-house | ${r.int(2, 9)} person-months | Chosen |\n`);
  tail.push(`\n## Risks\n\n- ${prose(r, bullet, 1)}\n- ${prose(r, bullet, 1)}\n`);
  tail.push(`\n## Open questions\n\n- ${prose(r, bullet, 1)}\n`);
  const headText = head.join('');
  const tailText = tail.join('');
  let features = `\n## ${variant ? 'Requirements' : 'Features'}\n\n${prose(r, ctx, 2)}\n`;
  const tableForm = !opts.big && r.chance(0.05);
  const tableRows = [];
  let k = 0;
  while (headText.length + features.length + tailText.length + (tableForm ? tableRows.join('\n').length : 0) < targetBytes - 300 || k === 0) {
    k++;
    const f = makeFeature(prd, k, r, p, earlierFeatures, mistakes, relPath, opts.big);
    if (opts.big) {
      f.slug = `${pad(k, 5)}-${f.slug.replace(/-\d+$/, '')}`;
      f.id = `${prd.featPrefix}-${f.slug}`;
      f.depends = f.depends.filter((d) => !d.startsWith(prd.featPrefix) || prd.features.some((x) => x.id === d));
    }
    if (opts.forceMistakes && k === 2) {
      f.kpis = [opts.forceMistakes, ...f.kpis.slice(1)];
      f.priority = 'must';
      f.priorityText = 'must';
      mistakes.push({ file: relPath, kind: 'unresolved-reference', id: opts.forceMistakes, target: true });
    }
    if (ctxAll.duplicateFrom && !opts.big && k === 1 && prd.index === ctxAll.duplicateAt) {
      f.id = ctxAll.duplicateFrom;
      f.duplicate = true;
      mistakes.push({ file: relPath, kind: 'duplicate-id', id: f.id });
    }
    prd.features.push(f);
    if (tableForm && k > 1 && k < 8) {
      tableRows.push(`| ${f.id} | ${f.title} | ${f.priorityText} | ${f.kpis.join(', ')} | ${f.status} | ${f.release} |`);
      if (k === 7) features += `\nSmaller items, one row each:\n\n| ID | Title | Priority | KPI | Status | Release |\n|----|-------|----------|-----|--------|---------|\n${tableRows.join('\n')}\n`;
      continue;
    }
    const link = r.chance(0.15) ? `Design: [${f.title.toLowerCase()} mock-ups](https://design.example.com/${p.name}/${f.slug}) and the [goals](#goals) above.` : undefined;
    features += `\n${renderFeature(f, r, ctx, { acceptance: r.chance(0.35), code: r.chance(0.12), link })}`;
  }
  if (tableForm && tableRows.length && tableRows.length < 6) features += `\n| ID | Title | Priority | KPI | Status | Release |\n|----|-------|----------|-----|--------|---------|\n${tableRows.join('\n')}\n`;
  return headText + features + tailText;
}

function renderNote(i, r, plan, targetBytes) {
  const p = plan.products[i % plan.products.length];
  const prds = p.prds.filter((x) => x.features.length);
  const feat = () => (prds.length ? r.pick(r.pick(prds).features).id : p.kpis[0].id);
  const ctx = { slug: `${p.name}-notes`, kpi: () => r.pick(p.kpis).id, feat, doc: () => (prds.length ? r.pick(prds).id : p.briefId) };
  const date = dateIn(r, 2026, 1, 11);
  let text = `# ${cap(p.name)} roadmap sync — ${date}\n\nAttendees: ${r.sample(PEOPLE, 5).map((x) => x.split(' ')[0]).join(', ')}. Working notes, not a spec document.\n`;
  text += `\n## Metrics snapshot\n\n| Metric | Baseline | Now | Target |\n|--------|----------|-----|--------|\n${r.sample(p.kpis, 4).map((k) => `| ${k.id} | ${r.int(10, 40)}% | ${r.int(30, 50)}% | ${r.int(50, 70)}% |`).join('\n')}\n`;
  text += `\n## Discussion\n`;
  while (text.length + 600 < targetBytes) text += `\n- ${feat()}: ${prose(r, ctx, r.int(1, 3)).replace(/\n/g, '\n  ')}`;
  text += `\n\n## Action items\n\n- [ ] ${r.pick(PEOPLE)} to update ${ctx.doc()} with the new dates.\n- [x] Share the snapshot in the [team channel](https://chat.example.com/${p.name}).\n`;
  return text;
}

// ---------------------------------------------------------------------------------------------

function writeFile(root, rel, text) {
  const full = path.join(root, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  return Buffer.byteLength(text);
}

export function stampFor(opts) {
  const src = fs.readFileSync(fileURLToPath(import.meta.url));
  return { version: GENERATOR_VERSION, files: opts.files, sizeKb: opts.sizeKb, largeMb: opts.largeMb, seed: opts.seed, asOf: AS_OF, hash: crypto.createHash('sha256').update(src).digest('hex').slice(0, 16) };
}

export function defaultOutDir(opts) {
  return path.join(HERE, '.corpus', `${opts.files}f-${opts.sizeKb}k-s${opts.seed}`);
}

/**
 * Reuse the corpus at `out` when its `.stamp.json` equals `stamp`; else (re)generate it with
 * `generate(out)`. Returns the manifest. Shared by both generators (generate-real.mjs too).
 */
export function cachedCorpus({ opts, out, stamp, label, generate }, log = () => {}) {
  try {
    const old = JSON.parse(fs.readFileSync(path.join(out, '.stamp.json'), 'utf8'));
    if (!opts.force && JSON.stringify(old) === JSON.stringify(stamp)) {
      log(`${label}: reusing ${path.relative(process.cwd(), out) || out}`);
      return JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    }
  } catch {
    /* no stamp: generate */
  }
  log(`${label}: generating ${opts.files} files of ~${opts.sizeKb} KB${opts.largeMb.length ? ` + ${opts.largeMb.map((m) => `${m} MB`).join(', ')}` : ''} into ${path.relative(process.cwd(), out) || out}`);
  const started = Date.now();
  const m = generate(out);
  log(`${label}: ${m.workspace.files} files, ${(m.workspace.bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return m;
}

/** Reuse the corpus at opts.out when its stamp matches; else (re)generate. Returns the manifest. */
export function ensureCorpus(opts, log = () => {}) {
  const out = opts.out ?? defaultOutDir(opts);
  return cachedCorpus({ opts, out, stamp: stampFor(opts), label: 'corpus', generate: (o) => generateCorpus({ ...opts, out: o }) }, log);
}

export function generateCorpus(opts) {
  const { files, sizeKb, largeMb, seed } = opts;
  const out = opts.out ?? defaultOutDir(opts);
  fs.rmSync(out, { recursive: true, force: true });
  const ws = path.join(out, 'workspace');
  const large = path.join(out, 'large');
  fs.mkdirSync(ws, { recursive: true });
  fs.mkdirSync(large, { recursive: true });
  const plan = planCorpus(files, seed);
  const r = makeRng(seed);
  const mistakes = [];
  const target = sizeKb * 1024;
  const size = () => Math.round(target * (0.7 + 0.6 * r.next()));
  let bytes = 0;
  let count = 0;
  const kinds = { brief: 0, prd: 0, okr: 0, note: 0 };
  const add = (rel, text, kind) => {
    bytes += writeFile(ws, rel, text);
    count++;
    kinds[kind]++;
  };
  for (const p of plan.products) add(p.briefPath, renderBrief(p, r, size()), 'brief');
  for (const o of plan.okrs) add(o.path, renderOkr(o, r, size(), mistakes), 'okr');
  const prdsByProduct = new Map(plan.products.map((p) => [p.name, p.prds]));
  const targetPrd = plan.prds[Math.floor(plan.prds.length / 2)];
  const unresolvedId = `${targetPrd.product.kpis[4].id}-typo`;
  const ctxAll = { prdsByProduct, duplicateAt: plan.prds.length > 10 ? 9 : -1, duplicateFrom: undefined };
  for (const prd of plan.prds) {
    if (prd.index === ctxAll.duplicateAt) {
      const donor = plan.prds.find((x) => x.index < prd.index && x.product !== prd.product && x.features.length);
      ctxAll.duplicateFrom = donor?.features[0].id;
    }
    const isTarget = prd === targetPrd;
    const text = renderPrd(prd, r, isTarget ? target : size(), ctxAll, mistakes, isTarget ? { forceMistakes: unresolvedId } : {});
    add(prd.path, text, 'prd');
    if (isTarget) targetPrd.bytes = Buffer.byteLength(text);
  }
  for (let i = 0; i < plan.nNotes; i++) add(`notes/${pad(i + 1, 3)}-roadmap-sync.md`, renderNote(i, r, plan, size()), 'note');

  // The large single PRDs: product 0, many features, a known unresolved reference.
  const largeFiles = [];
  for (const mb of largeMb) {
    const p = plan.products[0];
    const tag = `big${mb}mb`;
    const prd = { index: 1e6 + mb, product: p, num: tag, slug: tag, bigTag: tag, big: true, title: `Platform rebuild — ${mb} MB PRD`, id: `PRD-${p.name}-${tag}`, path: `large/${tag}.prd.md`, features: [] };
    const unresolved = `${p.kpis[4].id}-${tag}-typo`;
    const text = renderPrd(prd, r, Math.round(mb * 1024 * 1024), ctxAll, mistakes, { big: true, forceMistakes: unresolved });
    fs.writeFileSync(path.join(out, prd.path), text);
    largeFiles.push({ mb, path: prd.path, bytes: Buffer.byteLength(text), lines: text.split('\n').length, features: prd.features.length, unresolvedId: unresolved });
  }
  const manifest = {
    generator: stampFor(opts),
    asOf: AS_OF,
    workspace: { dir: 'workspace', files: count, bytes, kinds, products: plan.products.length },
    targets: {
      prd15k: { path: `workspace/${targetPrd.path}`, bytes: targetPrd.bytes, unresolvedId },
      large: largeFiles,
    },
    mistakes: {
      total: mistakes.length,
      byKind: mistakes.reduce((acc, x) => ((acc[x.kind] = (acc[x.kind] ?? 0) + 1), acc), {}),
      list: mistakes,
    },
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
      console.log('node bench/generate.mjs [--files 2000] [--size-kb 15] [--large-mb 1,5] [--seed 1] [--out DIR] [--force]');
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
