/**
 * /api/ttp/remediation/* — threat remediation, stateful: an incident created by create is found
 * by find-incidents (answered as data[0].incidents[], paged) and returned by get-incident. search-hash knows a few detected hashes and
 * reports malformed ones in failedHashes. Seeded from fixtures/api-ttp-remediation-get-incident.json.
 */
import getIncident from '../fixtures/api-ttp-remediation-get-incident.json' with { type: 'json' };
import { defineRoutes, defineState, type FailEntry, type SimContext } from '../types.js';
import { trackedEmails } from './message-finder.js';
import { formatMimecastDate, parseMimecastDate } from '../clock.js';

/** A SHA-256 the simulator reports as detected (the seed's Search File Hash example). */
export const DEMO_MALICIOUS_SHA256 = '9566f8d8c7842c14f2d60a035790f7dd85511d8a60e5ebb587573ea28a8e4ddb';

/** An incident the simulator knows from the start (the Get Remediation Incident example). */
export const DEMO_INCIDENT_ID =
  'eNoVjdEKgjAYRt9lt4qb2rSCbgYVRVFQ9AB_OmvkNt1mZdG7t6_L7_BxzhfpnLb6ZpuKbdsrXTOiuPWFr8ZlurRh5fu5kP4X4R3HlpDBr0BaHVw6JKbw9KxjCqQ4t6Rs1z7XGrjQ0Zw4bpUhXKgN5fSZv3DNjJ_tjk_3gvEa06e-0y_ZfbuWdGaBJYTyJGHGwVqbqLjJGs';

/** Hashes found in the simulated account (lower case): the demo SHA-256 and EICAR's MD5 / SHA-1 / SHA-256. */
export const DETECTED_HASHES = new Set([
  DEMO_MALICIOUS_SHA256,
  '44d88612fea8a8f36de82e1278abb02f',
  '3395856ce81f2b7382dee72602f798b642f14140',
  '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
]);

const MAX_HASHES = 100;
const HASH = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/i;
const SEARCH_BY = ['hash', 'messageId', 'url'];

export interface SimIncident {
  id: string;
  code: string;
  type: string;
  reason: string;
  create: string;
  modified: string;
  identified: number;
  successful: number;
  failed: number;
  restored: number;
  searchCriteria: Record<string, string>;
}

export const incidents = defineState('remediation.incidents', (sim): Map<string, SimIncident> => {
  const now = sim.now().getTime();
  const demo: SimIncident = {
    id: DEMO_INCIDENT_ID,
    code: 'TR-CSIM0A1B2C-00001-M',
    type: 'manual',
    reason: 'Phishing campaign: fake invoice attachment',
    create: formatMimecastDate(new Date(now - 2 * 86_400_000)),
    modified: formatMimecastDate(new Date(now - 2 * 86_400_000)),
    identified: 3,
    successful: 3,
    failed: 0,
    restored: 0,
    searchCriteria: {
      start: formatMimecastDate(new Date(now - 32 * 86_400_000)),
      end: formatMimecastDate(new Date(now - 2 * 86_400_000)),
      fileHash: DEMO_MALICIOUS_SHA256,
    },
  };
  const fixture = getIncident.data.map((i) => ({ ...i, searchCriteria: { ...i.searchCriteria } }) as SimIncident);
  return new Map([demo, ...fixture].map((i) => [i.id, i]));
});

const codeCounter = defineState('remediation.counter', () => ({ n: 1 }));

function nextCode(sim: SimContext): string {
  const counter = codeCounter(sim);
  counter.n++;
  return `TR-CSIM0A1B2C-${String(counter.n).padStart(5, '0')}-M`;
}

function create(sim: SimContext, item: Record<string, unknown>): { data?: SimIncident; fail?: FailEntry } {
  const reason = typeof item.reason === 'string' ? item.reason.trim() : '';
  if (item.reason === null) return { fail: sim.failItem(item, 'err_validation_null', 'reason must not be null', 'reason') };
  if (!reason) return { fail: sim.failItem(item, 'err_validation_blank', 'reason must not be blank', 'reason') };
  const searchBy = item.searchBy === undefined ? undefined : String(item.searchBy);
  if (searchBy !== undefined && !SEARCH_BY.includes(searchBy)) {
    return { fail: sim.failItem(item, 'err_validation_invalid_value', `searchBy must be one of ${SEARCH_BY.join(', ')}`, 'searchBy') };
  }
  const value = typeof item.hashOrMessageId === 'string' ? item.hashOrMessageId.trim() : '';
  const url = typeof item.url === 'string' ? item.url.trim() : '';
  if ((searchBy === 'url' || (!searchBy && !value)) && !url)
    return { fail: sim.failItem(item, 'err_validation_blank', 'url is required when searching by url', 'url') };
  if (searchBy !== 'url' && !value) return { fail: sim.failItem(item, 'err_validation_blank', 'hashOrMessageId must not be blank', 'hashOrMessageId') };
  const kind = searchBy ?? (url && !value ? 'url' : HASH.test(value) ? 'hash' : 'messageId');
  if (kind === 'hash' && !HASH.test(value))
    return { fail: sim.failItem(item, 'err_validation_invalid_hash', 'hashOrMessageId is not a valid MD5, SHA-1 or SHA-256 hash', 'hashOrMessageId') };
  if (kind === 'messageId' && !/^<[^<>\s]+>$/.test(value)) {
    return { fail: sim.failItem(item, 'err_validation_invalid_message_id', 'A message id must be enclosed in angle brackets: <id@host>', 'hashOrMessageId') };
  }
  const start = parseMimecastDate(item.start);
  const end = parseMimecastDate(item.end);
  if ((item.start !== undefined && Number.isNaN(start)) || (item.end !== undefined && Number.isNaN(end))) {
    return {
      fail: sim.failItem(
        item,
        'err_validation_invalid_date',
        'start and end must be dates like 2024-10-12T18:30:00+0000',
        Number.isNaN(start) ? 'start' : 'end',
      ),
    };
  }
  const now = sim.now();
  const criteria: Record<string, string> = {
    start: formatMimecastDate(Number.isNaN(start) ? new Date(now.getTime() - 30 * 86_400_000) : new Date(start)),
    end: formatMimecastDate(Number.isNaN(end) ? now : new Date(end)),
  };
  if (kind === 'hash') criteria.fileHash = value;
  else if (kind === 'messageId') criteria.messageId = value;
  else criteria.url = url;
  const identified = kind === 'hash' ? (DETECTED_HASHES.has(value.toLowerCase()) ? 3 : 0) : mailboxCopies(sim, kind, kind === 'url' ? url : value);
  const incident: SimIncident = {
    id: sim.newId(),
    code: nextCode(sim),
    type: 'manual',
    reason,
    create: formatMimecastDate(now),
    modified: formatMimecastDate(now),
    identified,
    successful: identified,
    failed: 0,
    restored: 0,
    searchCriteria: criteria,
  };
  incidents(sim).set(incident.id, incident);
  return { data: incident };
}

/** The mailbox copies a message-id or URL remediation finds: one per recipient of each tracked message (0 for one the tenant never saw). */
function mailboxCopies(sim: SimContext, kind: string, value: string): number {
  const id = (s: string) => s.trim().replace(/^<|>$/g, '').toLowerCase();
  const hits = trackedEmails(sim).filter((t) => (kind === 'messageId' ? id(t.messageId) === id(value) : t.urls.includes(value)));
  return hits.reduce((n, t) => n + Math.max(1, t.record.to?.length ?? 0), 0);
}

function matches(i: SimIncident, fieldName: string, value: string): boolean {
  const v = value.toLowerCase();
  const has = (s: string | undefined) => (s ?? '').toLowerCase().includes(v);
  switch (fieldName) {
    case 'code':
      return has(i.code);
    case 'file_hash':
      return has(i.searchCriteria.fileHash);
    case 'reason':
      return has(i.reason);
    default:
      return has(i.code) || has(i.reason) || has(i.searchCriteria.fileHash) || has(i.searchCriteria.messageId) || has(i.searchCriteria.url);
  }
}

export default defineRoutes({
  'POST /api/ttp/remediation/search-hash': (req, sim) => {
    const data: unknown[] = [];
    const fail: FailEntry[] = [];
    for (const item of sim.items(req)) {
      if (!Array.isArray(item.hashes) || item.hashes.length === 0) {
        fail.push(sim.failItem(item, 'err_validation_blank', 'hashes must not be empty', 'hashes'));
        continue;
      }
      if (item.hashes.length > MAX_HASHES) {
        fail.push(sim.failItem(item, 'err_validation_max_items', `At most ${MAX_HASHES} hashes can be searched per request`, 'hashes'));
        continue;
      }
      const hashStatus: { hash: string; detected: boolean }[] = [];
      const failedHashes: string[] = [];
      for (const h of item.hashes as unknown[]) {
        if (typeof h === 'string' && HASH.test(h)) hashStatus.push({ hash: h, detected: DETECTED_HASHES.has(h.toLowerCase()) });
        else failedHashes.push(String(h));
      }
      data.push({ hashStatus, failedHashes });
    }
    return sim.ok(data, fail);
  },
  'POST /api/ttp/remediation/create': (req, sim) => {
    const data: unknown[] = [];
    const fail: FailEntry[] = [];
    for (const item of sim.items(req)) {
      const r = create(sim, item);
      if (r.fail) fail.push(r.fail);
      else data.push(r.data);
    }
    return sim.ok(data, fail);
  },
  'POST /api/ttp/remediation/find-incidents': (req, sim) => {
    const item = (sim.items(req)[0] ?? {}) as Record<string, unknown>;
    if (Object.keys(item).length === 0) return sim.ok([], [sim.failItem(item, 'err_validation_blank', 'At least one search field must be supplied')]);
    const start = parseMimecastDate(item.start);
    const end = parseMimecastDate(item.end);
    if ((item.start !== undefined && Number.isNaN(start)) || (item.end !== undefined && Number.isNaN(end))) {
      return sim.ok(
        [],
        [sim.failItem(item, 'err_validation_invalid_date', 'start and end must be dates like 2024-10-12T18:30:00+0000', Number.isNaN(start) ? 'start' : 'end')],
      );
    }
    let rows = [...incidents(sim).values()].filter((i) => {
      const t = parseMimecastDate(i.create);
      return (Number.isNaN(start) || t >= start) && (Number.isNaN(end) || t <= end);
    });
    const searchBy = item.searchBy as { fieldName?: string; value?: string } | undefined;
    if (searchBy?.value) rows = rows.filter((i) => matches(i, searchBy.fieldName ?? 'all', String(searchBy.value)));
    // filterBy: an array on the 1.0 page, one object in a production 2.0 client (mimecast-api.md §8): both apply.
    const filters = Array.isArray(item.filterBy) ? item.filterBy : item.filterBy ? [item.filterBy] : [];
    for (const f of filters as { fieldName?: string; value?: string }[]) {
      if (f?.fieldName === 'type' && f.value) rows = rows.filter((i) => i.type === f.value);
    }
    rows.sort((a, b) => parseMimecastDate(b.create) - parseMimecastDate(a.create));
    // 2.0 answers one level down, data[0].incidents[], and pages with meta.pagination.next.
    return sim.page(req, rows, (page) => [{ incidents: page }]);
  },
  'POST /api/ttp/remediation/get-incident': (req, sim) => {
    const data: unknown[] = [];
    const fail: FailEntry[] = [];
    for (const item of sim.items(req)) {
      const id = typeof item.id === 'string' ? item.id : '';
      const incident = incidents(sim).get(id);
      if (!id) fail.push(sim.failItem(item, 'err_validation_blank', 'id must not be blank', 'id'));
      else if (!incident) fail.push(sim.failItem(item, 'err_remediation_incident_not_found', 'The remediation incident was not found', 'id'));
      else data.push(incident);
    }
    return sim.ok(data, fail);
  },
});
