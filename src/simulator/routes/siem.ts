/**
 * GET /siem/v1/events/cg — the SIEM event stream (fixture siem-v1-events-cg.json's shape): events
 * that arrive over time, two in every 30-second slot of the simulator's clock (same-second events;
 * SimulatorOptions.siemEventsPer30s sets another number, for a large backlog),
 * served 24 hours back (the stream's retention) and up to now, oldest first. The first request
 * starts at dateRangeStartsAt (default: 24 hours ago); each answer's @nextPage continues after it,
 * and isCaughtUp says whether it reached now. Like Mimecast's, the cursor sometimes hands back part
 * of the previous page: every third page starts again at the last event of the page before, so a
 * reader that does not drop repeats delivers it twice. A cursor older than the retention resumes at
 * the oldest event still served (the events between are lost, as on a tenant).
 */
import { defineRoutes, type SimRequest, type SimResponse } from '../types.js';

const SLOT_MS = 30_000;
/** Events per slot unless the simulator was started with another number. */
const PER_SLOT = 2;
const RETENTION_MS = 24 * 3_600_000;

/** The time of event i (a global sequence number since the epoch): perSlot per 30-second slot. */
const timeOf = (i: number, perSlot: number) => Math.floor(i / perSlot) * SLOT_MS;
/** The first event at or after t. */
const firstAt = (t: number, perSlot: number) => Math.ceil(t / SLOT_MS) * perSlot;

const ACTIONS = ['Acc', 'Acc', 'Acc', 'Rej', 'Hld'];

/** Event i, as the stream serves it (no id of its own: readers hash the record). */
export function siemEvent(i: number, perSlot = PER_SLOT): Record<string, unknown> {
  const action = ACTIONS[i % ACTIONS.length];
  return {
    processingId: `sim_processing_${i}`,
    aggregateId: `sim_aggregate_${Math.floor(i / perSlot)}`,
    accountId: 'SIM_ACCOUNT',
    timestamp: timeOf(i, perSlot),
    eventType: action === 'Acc' ? 'receipt' : action === 'Hld' ? 'process' : 'receipt',
    action,
    subType: action,
    direction: i % 4 === 0 ? 'outbound' : 'inbound',
    senderEnvelope: `sender${i % 11}@partner.example.org`,
    senderHeader: `sender${i % 11}@partner.example.org`,
    senderIp: `192.0.2.${(i % 250) + 1}`,
    recipients: `user${(i % 9) + 1}@example.com`,
    subject: action === 'Rej' ? 'Invoice overdue' : `Weekly update ${i % 50}`,
    messageId: `<sim.${i}@partner.example.org>`,
    numberAttachments: String(i % 3),
    tlsVersion: 'TLSv1.3',
    rejectionType: action === 'Rej' ? 'Header Rejected' : null,
  };
}

const encode = (next: number, page: number) => Buffer.from(`siem:${next}:${page}`).toString('base64url');
function decode(cursor: string): { next: number; page: number } | undefined {
  const m = /^siem:(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? { next: Number(m[1]), page: Number(m[2]) } : undefined;
}

const badRequest = (message: string, code = 'err_validation'): SimResponse => ({ status: 400, json: { error: [{ code, message }] } });

function events(req: SimRequest, now: number, perSlot: number): SimResponse {
  const size = req.query.get('pageSize') === null ? 100 : Number(req.query.get('pageSize'));
  if (!Number.isInteger(size) || size < 1 || size > 100) return badRequest('pageSize must be 1..100');
  const oldest = firstAt(now - RETENTION_MS, perSlot);
  const newest = firstAt(now + 1, perSlot) - 1; // the last event at or before now
  let start: number;
  let page = 1;
  const cursor = req.query.get('nextPage');
  if (cursor) {
    const c = decode(cursor);
    if (!c) return badRequest('nextPage is not a valid cursor', 'err_audit_siem_invalid_token');
    start = c.next;
    page = c.page + 1;
  } else {
    const from = req.query.get('dateRangeStartsAt');
    const t = from === null ? now - RETENTION_MS : Date.parse(from);
    if (Number.isNaN(t)) return badRequest('dateRangeStartsAt is not a valid date');
    start = firstAt(t, perSlot);
  }
  start = Math.max(start, oldest);
  const end = Math.min(start + size - 1, newest);
  const value = [];
  for (let i = start; i <= end; i++) value.push(siemEvent(i, perSlot));
  // Every third page, the cursor points back at this page's last event: the next page repeats it.
  const next = value.length && page % 3 === 0 ? end : Math.max(start, end + 1);
  return {
    json: {
      value,
      '@nextPage': encode(next, page),
      '@nextLink': `/siem/v1/events/cg?nextPage=${encode(next, page)}`,
      pageSize: value.length,
      isCaughtUp: end >= newest,
    },
  };
}

export default defineRoutes({
  'GET /siem/v1/events/cg': (req, sim) => events(req, sim.now().getTime(), sim.siemEventsPer30s),
});
