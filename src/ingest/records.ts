/**
 * One record of a stream as poll delivers it: its dedupe id (Mimecast's own where the stream has
 * one, else a hash of the record's canonical JSON, so the same record always gets the same id) and
 * its time, or why it cannot be read (it then goes to the quarantine file, and the stream goes on).
 */
import { createHash } from 'node:crypto';
import type { StreamManifest } from '../base/manifest-types.js';

/** The line poll writes per event (docs/ingestion.md). */
export interface StreamEvent {
  stream: string;
  id: string;
  /** ISO 8601 UTC. */
  time: string;
  event: Record<string, unknown>;
}

/** JSON with object keys sorted at every level: the same record, whatever its key order, hashes the same. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** A Mimecast time: epoch milliseconds, or a date string (2026-03-10T12:00:00+0000 has no colon in its offset). */
export function parseTime(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || !v) return undefined;
  const t = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(t) ? undefined : t;
}

export type Read = { ok: true; event: StreamEvent; t: number } | { ok: false; reason: string };

export function readRecord(s: StreamManifest, record: unknown): Read {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return { ok: false, reason: 'the record is not an object' };
  const r = record as Record<string, unknown>;
  const t = parseTime(r[s.time_field]);
  if (t === undefined) return { ok: false, reason: `the record has no readable time (${s.time_field}: ${JSON.stringify(r[s.time_field]) ?? 'missing'})` };
  let id: string;
  if (s.id_field === 'hash') id = `sha256:${createHash('sha256').update(canonicalJson(r)).digest('hex')}`;
  else if (typeof r[s.id_field] === 'string' && r[s.id_field]) id = r[s.id_field] as string;
  else return { ok: false, reason: `the record has no ${s.id_field}` };
  return { ok: true, t, event: { stream: s.name, id, time: new Date(t).toISOString(), event: r } };
}
