/**
 * The simulator's SIEM stream over real HTTP: events that arrive with its clock, two per 30-second
 * slot, served 24 hours back; @nextPage continues, every third page repeats the last event of the
 * page before (as Mimecast's cursor may), and isCaughtUp says it reached now.
 */
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { http } from '../helpers/cli.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
let now = NOW;
let sim: Simulator;
let bearer: string;

beforeAll(async () => {
  sim = await startSimulator({ now: () => new Date(now) });
  const body = new URLSearchParams({ grant_type: 'client_credentials', ...sim.credentials }).toString();
  const r = await http('POST', `${sim.url}/oauth/token`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  bearer = r.json.access_token;
});
afterAll(() => sim.close());

const get = async (query: string) => {
  const r = await http('GET', `${sim.url}/siem/v1/events/cg?${query}`, { headers: { authorization: `Bearer ${bearer}` } });
  return { status: r.status, json: r.json };
};

test('pages follow @nextPage, every third page repeats the last event of the page before, isCaughtUp at now', async () => {
  now = NOW;
  const from = new Date(NOW - 10 * 60_000).toISOString(); // 10 minutes: 20 slots, 42 events (both ends)
  const seen: string[] = [];
  let r = await get(`pageSize=10&dateRangeStartsAt=${from}`);
  const pages = [r.json];
  while (!r.json.isCaughtUp) {
    r = await get(`pageSize=10&nextPage=${r.json['@nextPage']}`);
    pages.push(r.json);
  }
  for (const p of pages) for (const e of p.value) seen.push(e.processingId);
  // Page 3's last event opens page 4.
  expect(pages[3].value[0]).toEqual(pages[2].value.at(-1));
  expect(new Set(seen).size).toBe(42);
  expect(seen.length).toBeGreaterThan(42);
  expect(pages.at(-1).value.at(-1).timestamp).toBe(NOW);
  // Same-second events: two per slot.
  expect(pages[0].value[0].timestamp).toBe(pages[0].value[1].timestamp);
  // Time moves on: new events after the caught-up cursor.
  now = NOW + 60_000;
  const later = await get(`pageSize=10&nextPage=${pages.at(-1)['@nextPage']}`);
  expect(later.json.value.map((e: { timestamp: number }) => e.timestamp)).toContain(NOW + 60_000);
});

test('a bad cursor or page size is a 400 with the REST error envelope', async () => {
  expect((await get('nextPage=bogus')).status).toBe(400);
  expect((await get('pageSize=500')).json.error[0].message).toMatch(/pageSize/);
});
