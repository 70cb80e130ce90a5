/**
 * /api/ttp/attachment/get-logs and /api/ttp/impersonation/get-logs — TTP attachment and
 * impersonation protection logs (synthetic, deterministic, over the last 24 hours, filtered and paged).
 */
import { createHash } from 'node:crypto';
import { defineRoutes, defineState, type SimContext, type SimRequest } from '../types.js';
import { formatMimecastDate, parseMimecastDate, recentTimes } from '../clock.js';
import { DEMO_MALICIOUS_SHA256 } from './remediation.js';
import { defineOrigin, withLive, type LiveHost } from './live.js';

export interface AttachmentLog {
  result: string;
  date: string;
  senderAddress: string;
  recipientAddress: string;
  fileName: string;
  fileType: string;
  fileHash: string;
  actionTriggered: string;
  route: string;
  details: string;
}

export interface ImpersonationLog {
  id: string;
  eventTime: string;
  hits: number;
  taggedMalicious: boolean;
  taggedExternal: boolean;
  senderAddress: string;
  senderIpAddress: string;
  recipientAddress: string;
  subject: string;
  identifiers: string[];
  action: string;
  definition: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** 192 attachment logs: half since 00:00 UTC today (the action's default window), half in the day before (recentTimes). */
export const attachmentLogs = defineState('ttp.attachmentLogs', (sim): AttachmentLog[] => {
  const times = recentTimes(sim.now(), 192);
  const results = ['safe', 'safe', 'safe', 'malicious', 'safe', 'unsafe', 'safe', 'timeout', 'safe', 'error'];
  const routes = ['inbound', 'inbound', 'outbound', 'internal'];
  const files = [
    ['quarterly-report.pdf', 'application/pdf'],
    ['invoice_2291.docm', 'application/vnd.ms-word.document.macroEnabled.12'],
    ['photos.zip', 'application/zip'],
    ['budget.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ];
  const n = 192;
  return Array.from({ length: n }, (_, i) => {
    const result = results[i % results.length];
    const [fileName, fileType] = result === 'malicious' ? files[1] : files[i % files.length];
    return {
      result,
      date: formatMimecastDate(times[i]),
      senderAddress: result === 'malicious' ? `billing@invoices-${i % 5}.example.net` : `colleague${(i % 6) + 1}@partner.example.org`,
      recipientAddress: `user${(i % 9) + 1}@example.com`,
      fileName,
      fileType,
      fileHash: result === 'malicious' ? DEMO_MALICIOUS_SHA256 : sha256(`sim-attachment-${i}`),
      actionTriggered: result === 'malicious' || result === 'unsafe' ? 'message held for review' : 'none',
      route: routes[i % routes.length],
      details:
        result === 'malicious'
          ? 'Malicious: macro downloader detected in sandbox'
          : result === 'unsafe'
            ? 'Unsafe: encrypted archive could not be scanned'
            : result === 'timeout'
              ? 'Sandbox analysis timed out'
              : result === 'error'
                ? 'Sandbox analysis failed'
                : 'Safe',
    };
  });
});

const IDENTIFIER_SETS = [
  ['similar_internal_domain', 'reply_address_mismatch'],
  ['newly_observed_domain', 'internal_user_name'],
  ['targeted_threat_dictionary', 'internal_user_name', 'reply_address_mismatch'],
  ['custom_external_domain'],
  ['mimecast_external_domain', 'newly_observed_domain'],
  ['advanced_similar_internal_domain', 'custom_name_list'],
];

/** 120 impersonation logs: half since 00:00 UTC today (the action's default window), half in the day before (recentTimes). */
export const impersonationLogs = defineState('ttp.impersonationLogs', (sim): ImpersonationLog[] => {
  const times = recentTimes(sim.now(), 120);
  const actions = ['hold', 'none', 'bounce', 'hold', 'none'];
  const subjects = ['Urgent wire transfer', 'Updated bank details', 'Quick favour - are you at your desk?', 'Invoice overdue', 'Gift cards for the team'];
  const n = 120;
  return Array.from({ length: n }, (_, i) => {
    const identifiers = IDENTIFIER_SETS[i % IDENTIFIER_SETS.length];
    const action = actions[i % actions.length];
    return {
      id: `eNoSimImpersonation${sha256(`sim-imp-${i}`).slice(0, 40)}`,
      eventTime: formatMimecastDate(times[i]),
      hits: identifiers.length,
      taggedMalicious: action !== 'none',
      taggedExternal: true,
      senderAddress: `ceo.${['smith', 'jones', 'brown'][i % 3]}@examp1e-${i % 4}.com`,
      senderIpAddress: `203.0.113.${(i % 250) + 1}`,
      recipientAddress: `finance${(i % 4) + 1}@example.com`,
      subject: subjects[i % subjects.length],
      identifiers: [...identifiers],
      action,
      definition: action === 'none' ? 'Default Impersonation Definition' : 'Strict Impersonation Definition',
    };
  });
});

const attachmentOrigin = defineOrigin('ttp.attachmentLogs.origin');
const impersonationOrigin = defineOrigin('ttp.impersonationLogs.origin');
/** A live attachment log every 30 s and impersonation log every 45 s of the simulator's clock (live.ts). */
export const LIVE_ATTACHMENT_PERIOD_MS = 30_000;
export const LIVE_IMPERSONATION_PERIOD_MS = 45_000;

/** The attachment logs now, oldest first: the seeded 192 and the live ones that have arrived. */
export function attachmentLogList(sim: LiveHost): AttachmentLog[] {
  return withLive(
    sim,
    attachmentLogs(sim),
    attachmentOrigin,
    LIVE_ATTACHMENT_PERIOD_MS,
    (a) => {
      const malicious = a.n % 3 === 0;
      return {
        result: malicious ? 'malicious' : 'safe',
        date: formatMimecastDate(new Date(a.time)),
        senderAddress: malicious ? `billing@invoices-live-${a.n % 5}.example.net` : `colleague${(a.n % 6) + 1}@partner.example.org`,
        recipientAddress: `user${(a.n % 9) + 1}@example.com`,
        fileName: malicious ? 'invoice_live.docm' : `notes-${a.n}.pdf`,
        fileType: malicious ? 'application/vnd.ms-word.document.macroEnabled.12' : 'application/pdf',
        fileHash: sha256(`sim-attachment-live-${a.n}`),
        actionTriggered: malicious ? 'message held for review' : 'none',
        route: 'inbound',
        details: malicious ? 'Malicious: macro downloader detected in sandbox' : 'Safe',
      };
    },
    (l) => parseMimecastDate(l.date),
  );
}

/** The impersonation logs now, oldest first: the seeded 120 and the live ones that have arrived. */
export function impersonationLogList(sim: LiveHost): ImpersonationLog[] {
  return withLive(
    sim,
    impersonationLogs(sim),
    impersonationOrigin,
    LIVE_IMPERSONATION_PERIOD_MS,
    (a) => {
      const identifiers = IDENTIFIER_SETS[a.n % IDENTIFIER_SETS.length];
      return {
        id: `eNoSimImpersonationLive${sha256(`sim-imp-live-${a.n}`).slice(0, 36)}`,
        eventTime: formatMimecastDate(new Date(a.time)),
        hits: identifiers.length,
        taggedMalicious: true,
        taggedExternal: true,
        senderAddress: `ceo.live@examp1e-${a.n % 4}.com`,
        senderIpAddress: `203.0.113.${(a.n % 250) + 1}`,
        recipientAddress: `finance${(a.n % 4) + 1}@example.com`,
        subject: 'Urgent wire transfer',
        identifiers: [...identifiers],
        action: 'hold',
        definition: 'Strict Impersonation Definition',
      };
    },
    (l) => parseMimecastDate(l.eventTime),
  );
}

const SEARCH_FIELDS: Record<string, (keyof ImpersonationLog)[]> = {
  senderAddress: ['senderAddress'],
  recipientAddress: ['recipientAddress'],
  subject: ['subject'],
  policy: ['definition'],
  all: ['senderAddress', 'recipientAddress', 'subject', 'definition'],
};

function window(req: SimRequest, sim: SimContext): { item: Record<string, unknown>; from: number; to: number; bad?: ReturnType<SimContext['ok']> } {
  const item = (sim.items(req)[0] ?? {}) as Record<string, unknown>;
  const from = parseMimecastDate(item.from);
  const to = parseMimecastDate(item.to);
  for (const [key, t] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (item[key] !== undefined && Number.isNaN(t))
      return { item, from, to, bad: sim.ok([], [sim.failItem(item, 'err_validation_invalid_date', `${key} is not a valid date`, key)]) };
  }
  return { item, from, to };
}

const within = (date: string, from: number, to: number) => {
  const t = parseMimecastDate(date);
  return (Number.isNaN(from) || t >= from) && (Number.isNaN(to) || t <= to);
};

export default defineRoutes({
  'POST /api/ttp/attachment/get-logs': (req, sim) => {
    const { item, from, to, bad } = window(req, sim);
    if (bad) return bad;
    let rows = attachmentLogList(sim).filter((l) => within(l.date, from, to));
    if (item.route && item.route !== 'all') rows = rows.filter((l) => l.route === item.route);
    if (item.result && item.result !== 'all') rows = rows.filter((l) => l.result === item.result);
    if (item.oldestFirst !== true) rows = [...rows].reverse();
    return sim.page(req, rows, (page) => [{ attachmentLogs: page }]);
  },
  'POST /api/ttp/impersonation/get-logs': (req, sim) => {
    const { item, from, to, bad } = window(req, sim);
    if (bad) return bad;
    let rows = impersonationLogList(sim).filter((l) => within(l.eventTime, from, to));
    const actions = Array.isArray(item.actions) ? (item.actions as string[]) : [];
    if (actions.length) rows = rows.filter((l) => actions.includes(l.action));
    const identifiers = Array.isArray(item.identifiers) ? (item.identifiers as string[]) : [];
    if (identifiers.length) rows = rows.filter((l) => l.identifiers.some((x) => identifiers.includes(x)));
    if (typeof item.taggedMalicious === 'boolean') rows = rows.filter((l) => l.taggedMalicious === item.taggedMalicious);
    if (typeof item.query === 'string' && item.query) {
      const q = item.query.toLowerCase();
      const field = typeof item.searchField === 'string' ? item.searchField : 'all';
      // Mimecast's searchField values; "policy" searches the log's definition.
      const fields = Object.hasOwn(SEARCH_FIELDS, field) ? SEARCH_FIELDS[field] : undefined;
      if (!fields)
        return sim.ok(
          [],
          [sim.failItem(item, 'err_validation_invalid_value', `searchField must be one of ${Object.keys(SEARCH_FIELDS).join(', ')}`, 'searchField')],
        );
      rows = rows.filter((l) => fields.some((f) => String(l[f]).toLowerCase().includes(q)));
    } else if (item.searchField !== undefined) {
      return sim.ok([], [sim.failItem(item, 'err_validation_blank', 'query is required when searchField is given', 'query')]);
    }
    if (item.oldestFirst !== true) rows = [...rows].reverse();
    return sim.page(req, rows, (page) => [{ impersonationLogs: page }]);
  },
});
