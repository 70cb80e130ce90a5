/**
 * /api/audit/get-audit-events — the account's audit log (synthetic, deterministic): 144 events,
 * one every 10 minutes over the last 24 hours, newest first, filtered by the startDateTime /
 * endDateTime window, query and categories, and paged. Each event has the fields Mimecast returns
 * in its flat data[]: id, auditType, user, eventTime, eventInfo, category.
 */
import { createHash } from 'node:crypto';
import { defineRoutes, defineState } from '../types.js';
import { formatMimecastDate, parseMimecastDate, recentTimes } from '../clock.js';
import { ADMINISTRATORS } from '../tenant.js';
import { defineOrigin, withLive, type LiveHost } from './live.js';

export interface AuditEvent {
  id: string;
  auditType: string;
  user: string;
  eventTime: string;
  eventInfo: string;
  category: string;
}

/** What each kind of event looks like: category, auditType and its eventInfo. */
const KINDS: { category: string; auditType: string; info: (user: string, d: Date, i: number) => string }[] = [
  {
    category: 'authentication_logs',
    auditType: 'User Logged On',
    info: (user, d, i) =>
      `Successful authentication for ${user}, Date: ${d.toISOString().slice(0, 10)}, Time: ${d.toISOString().slice(11, 19)} GMT, IP: 198.51.100.${(i % 200) + 1}, Application: Web, Method: Cloud`,
  },
  {
    category: 'authentication_logs',
    auditType: 'Logon Authentication Failed',
    info: (user, d, i) =>
      `Failed authentication for ${user}, Date: ${d.toISOString().slice(0, 10)}, Time: ${d.toISOString().slice(11, 19)} GMT, IP: 203.0.113.${(i % 200) + 1}, Application: Web, Method: Cloud`,
  },
  {
    category: 'account_logs',
    auditType: 'Managed URL Created',
    info: (user, _d, i) => `${user} added https://login-verify-${i}.example.net/ to the managed URLs (block)`,
  },
  {
    category: 'account_logs',
    auditType: 'Held Message Released',
    info: (user, _d, i) => `${user} released held message ${i} to finance${(i % 4) + 1}@example.com`,
  },
  { category: 'policy_logs', auditType: 'Policy Changed', info: (user) => `${user} changed the Blocked Senders policy "Block lookalike domains"` },
  { category: 'directory_logs', auditType: 'Group Member Added', info: (user, _d, i) => `${user} added user${(i % 9) + 1}@example.com to the group "VIP"` },
];

/** 144 events, oldest first: half since 00:00 UTC today (the action's default window), half in the day before (recentTimes). */
export const auditEvents = defineState('audit.events', (sim): AuditEvent[] => {
  const n = 144;
  const times = recentTimes(sim.now(), n);
  return Array.from({ length: n }, (_, i) => {
    const kind = KINDS[i % KINDS.length];
    const user = ADMINISTRATORS[i % ADMINISTRATORS.length];
    const when = times[i];
    return {
      id: `eNoSimAudit${createHash('sha256').update(`sim-audit-${i}`).digest('hex').slice(0, 40)}`,
      auditType: kind.auditType,
      user,
      eventTime: formatMimecastDate(when),
      eventInfo: kind.info(user, when, i),
      category: kind.category,
    };
  });
});

const auditOrigin = defineOrigin('audit.events.origin');
/** A live audit event every 40 s of the simulator's clock (live.ts). */
export const LIVE_AUDIT_PERIOD_MS = 40_000;

/** The audit events now, oldest first: the seeded 144 and the live ones that have arrived. */
export function auditEventList(sim: LiveHost): AuditEvent[] {
  return withLive(
    sim,
    auditEvents(sim),
    auditOrigin,
    LIVE_AUDIT_PERIOD_MS,
    (a) => {
      const kind = KINDS[a.n % KINDS.length];
      const user = ADMINISTRATORS[a.n % ADMINISTRATORS.length];
      const when = new Date(a.time);
      return {
        id: `eNoSimAuditLive${createHash('sha256').update(`sim-audit-live-${a.n}`).digest('hex').slice(0, 36)}`,
        auditType: kind.auditType,
        user,
        eventTime: formatMimecastDate(when),
        eventInfo: kind.info(user, when, a.n),
        category: kind.category,
      };
    },
    (e) => parseMimecastDate(e.eventTime),
  );
}

export default defineRoutes({
  'POST /api/audit/get-audit-events': (req, sim) => {
    const item = (sim.items(req)[0] ?? {}) as Record<string, unknown>;
    const from = parseMimecastDate(item.startDateTime);
    const to = parseMimecastDate(item.endDateTime);
    for (const [key, t] of [
      ['startDateTime', from],
      ['endDateTime', to],
    ] as const) {
      if (item[key] !== undefined && Number.isNaN(t)) return sim.ok([], [sim.failItem(item, 'err_validation_invalid_date', `${key} is not a valid date`, key)]);
    }
    let rows = auditEventList(sim).filter((e) => {
      const t = parseMimecastDate(e.eventTime);
      return (Number.isNaN(from) || t >= from) && (Number.isNaN(to) || t <= to);
    });
    if (typeof item.query === 'string' && item.query) {
      const q = item.query.toLowerCase();
      rows = rows.filter((e) => [e.user, e.auditType, e.eventInfo].some((f) => f.toLowerCase().includes(q)));
    }
    const categories = Array.isArray(item.categories) ? (item.categories as unknown[]).map(String) : [];
    if (categories.length) rows = rows.filter((e) => categories.includes(e.category));
    return sim.page(req, [...rows].reverse());
  },
});
