/**
 * Per-call caps: a call with more data[] items than its route takes is refused whole, as Mimecast
 * does (HTTP 200, every item in fail[] with err_validation_max_items, nothing applied), and the
 * connector's chunk sizes (the manifest's chunk_size) fit within them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CALL_CAPS } from '../../src/simulator/caps.js';
import { DEMO_GROUP_ID, members } from '../../src/simulator/routes/directory.js';
import { useSimulator } from '../helpers/sim.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const actions = readdirSync(join(root, 'manifest/actions')).map(
  (f) => JSON.parse(readFileSync(join(root, 'manifest/actions', f), 'utf8')) as { id: string; routes: string[]; chunk_size?: number },
);

describe('per-call caps', () => {
  const h = useSimulator();

  async function post(route: string, data: unknown[]) {
    const token = await fetch(`${h.sim.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...h.sim.credentials }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const [method, path] = route.split(' ');
    const res = await fetch(`${h.sim.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
      body: JSON.stringify({ data }),
    });
    return { status: res.status, body: (await res.json()) as { data: unknown[]; fail: { key: unknown; errors: { code: string }[] }[] } };
  }
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `eNoCapCheck${i}`, emailAddress: `cap${i}@example.com` }));

  it.each(Object.entries(CALL_CAPS))('%s takes at most %i items a call: one more and every item is refused', async (route, cap) => {
    const over = await post(route, items(cap + 1));
    expect(over.status).toBe(200);
    expect(over.body.data).toEqual([]);
    expect(over.body.fail).toEqual(
      items(cap + 1).map((key) => ({ key, errors: [expect.objectContaining({ code: 'err_validation_max_items', field: 'data' })] })),
    );
    const at = await post(route, items(cap));
    expect(at.body.fail.flatMap((f) => f.errors.map((e) => e.code))).not.toContain('err_validation_max_items');
  });

  it('a refused call applies none of its items', async () => {
    const before = members(h.sim).get(DEMO_GROUP_ID)!.length;
    const over = Array.from({ length: 11 }, (_, i) => ({ id: DEMO_GROUP_ID, emailAddress: `user${i + 1}@example.com` }));
    const r = await post('POST /api/directory/remove-group-member', over);
    expect(r.body.fail).toHaveLength(11);
    expect(members(h.sim).get(DEMO_GROUP_ID)).toHaveLength(before);
  });

  it("every action that splits its items into calls fits the route's cap (search_file_hash splits hashes inside one item)", () => {
    const chunked = actions.filter((a) => a.chunk_size !== undefined && a.chunk_size > 1 && a.id !== 'search_file_hash');
    expect(chunked.length).toBeGreaterThan(0);
    const misfits = chunked.flatMap((a) =>
      a.routes
        .filter((r) => !(CALL_CAPS[r] !== undefined && a.chunk_size! <= CALL_CAPS[r]))
        .map((r) => `${a.id} (${a.chunk_size}) → ${r}: ${CALL_CAPS[r] ?? 'no cap'}`),
    );
    expect(misfits).toEqual([]);
  });
});
