/**
 * Faults queued through the simulator's HTTP control endpoint (POST /__sim/faults), met by the
 * built CLI in a child process: rate limits, expired tokens, gateway HTML, truncated bodies,
 * dropped connections and slow answers. Reads are retried; a write is never re-sent once it may
 * have reached Mimecast (429 excepted: Mimecast did not run it).
 */
import { DEMO_GROUP_ID } from '../../src/simulator/routes/directory.js';
import { postFault, requestsTo, runCli, simEnv, simMembers, tmpDir, useCliSimulator } from '../helpers/cli.js';

const MEMBERS = '/api/directory/get-group-members';
const ADD = '/api/directory/add-group-member';
const readMembers = JSON.stringify({ group_id: DEMO_GROUP_ID });
const addMember = (email: string) => JSON.stringify({ member_information: [{ id: DEMO_GROUP_ID, emailAddress: email }] });

const cli = useCliSimulator();

const run = (action: string, input: string, cacheHome?: string) => runCli(['run', action, '--input', input], { env: simEnv(cli.sim), cacheHome });

describe('rate limits (429)', () => {
  it('a read waits what X-RateLimit-Reset asks and succeeds on the second call', async () => {
    await postFault(cli.sim, { kind: 'rate_limit', path: MEMBERS, resetMs: 1500 });
    const r = await run('get_group_members', readMembers);
    expect(r.code).toBe(0);
    expect(r.json.status).toBe('success');
    expect(requestsTo(cli.sim, MEMBERS)).toHaveLength(2);
    expect(r.json.meta.requests).toBe(3); // token + 429 + success
    expect(r.json.meta.duration_ms).toBeGreaterThanOrEqual(1400);
  });

  it('a write is retried after a 429 (Mimecast did not run it) and applied once', async () => {
    await postFault(cli.sim, { kind: 'rate_limit', path: ADD, resetMs: 200 });
    const r = await run('add_group_member', addMember('ratelimited@example.com'));
    expect(r.code).toBe(0);
    expect(requestsTo(cli.sim, ADD)).toHaveLength(2);
    const members = await run('get_group_members', readMembers);
    expect(members.json.data.filter((m: { emailAddress: string }) => m.emailAddress === 'ratelimited@example.com')).toHaveLength(1);
  });

  it('a wait longer than the action can afford fails at once as rate_limited (exit 1)', async () => {
    await postFault(cli.sim, { kind: 'rate_limit', path: MEMBERS, resetMs: 600_000 });
    const r = await run('get_group_members', readMembers);
    expect(r.code).toBe(1);
    expect(r.json.error.type).toBe('rate_limited');
    expect(requestsTo(cli.sim, MEMBERS)).toHaveLength(1);
    expect(r.json.meta.duration_ms).toBeLessThan(5_000);
  });
});

describe('tokens', () => {
  it('an expired token is refreshed and the call replayed, and the new token is cached for the next process', async () => {
    const cacheHome = tmpDir('mc-cache-expire-');
    const first = await run('get_group_members', readMembers, cacheHome);
    expect(first.code).toBe(0);
    expect(cli.sim.stats.token_requests).toBe(1);

    await postFault(cli.sim, { kind: 'expire_token', path: MEMBERS });
    const second = await run('get_group_members', readMembers, cacheHome);
    expect(second.code).toBe(0);
    expect(second.json.status).toBe('success');
    expect(cli.sim.stats.token_requests).toBe(2);
    const calls = requestsTo(cli.sim, MEMBERS);
    expect(calls).toHaveLength(3); // first run, the refused call, the replay
    expect(calls[1].headers.authorization).toBe(calls[0].headers.authorization);
    expect(calls[2].headers.authorization).not.toBe(calls[1].headers.authorization);

    const third = await run('get_group_members', readMembers, cacheHome);
    expect(third.code).toBe(0);
    expect(cli.sim.stats.token_requests).toBe(2);
    expect(requestsTo(cli.sim, MEMBERS)[3].headers.authorization).toBe(calls[2].headers.authorization);
  });

  it('an expired token on a write is refreshed and replayed (a 401 means it did not run), applied once', async () => {
    await postFault(cli.sim, { kind: 'expire_token', path: ADD });
    const r = await run('add_group_member', addMember('expired.token@example.com'));
    expect(r.code).toBe(0);
    expect(requestsTo(cli.sim, ADD)).toHaveLength(2);
    expect(cli.sim.stats.token_requests).toBe(2);
  });
});

describe('server and transport faults', () => {
  it('an HTML 502 page on a read is retried and the read succeeds', async () => {
    await postFault(cli.sim, { kind: 'html', status: 502, path: MEMBERS, times: 1 });
    const r = await run('get_group_members', readMembers);
    expect(r.code).toBe(0);
    expect(r.json.data).toHaveLength(simMembers(cli.sim, DEMO_GROUP_ID).length);
    expect(requestsTo(cli.sim, MEMBERS)).toHaveLength(2);
  });

  it('an HTML 502 page on a write is not re-sent: failed, exit 1, with a hint to check the state', async () => {
    await postFault(cli.sim, { kind: 'html', status: 502, path: ADD, times: 1 });
    const r = await run('add_group_member', addMember('maybe.applied@example.com'));
    expect(r.code).toBe(1);
    expect(r.json.error).toMatchObject({ type: 'api_error', http_status: 502 });
    expect(r.json.error.message).not.toMatch(/<html/i);
    expect(r.json.error.hint).toMatch(/not re-sent/);
    expect(requestsTo(cli.sim, ADD)).toHaveLength(1);
  });

  it('a truncated JSON body on a read is retried and the read succeeds', async () => {
    await postFault(cli.sim, { kind: 'truncated', path: MEMBERS });
    const r = await run('get_group_members', readMembers);
    expect(r.code).toBe(0);
    expect(r.json.data).toHaveLength(simMembers(cli.sim, DEMO_GROUP_ID).length);
    expect(requestsTo(cli.sim, MEMBERS)).toHaveLength(2);
  });

  it('a dropped connection on a read is retried and the read succeeds', async () => {
    await postFault(cli.sim, { kind: 'reset', path: MEMBERS });
    const r = await run('get_group_members', readMembers);
    expect(r.code).toBe(0);
    expect(requestsTo(cli.sim, MEMBERS)).toHaveLength(2);
  });

  it('a dropped connection on a write is not re-sent: failed, exit 1', async () => {
    await postFault(cli.sim, { kind: 'reset', path: ADD });
    const r = await run('add_group_member', addMember('dropped@example.com'));
    expect(r.code).toBe(1);
    expect(r.json.status).toBe('failed');
    expect(['transport_error', 'timeout']).toContain(r.json.error.type);
    expect(requestsTo(cli.sim, ADD)).toHaveLength(1);
  });

  it('two 503s in a row on a read are retried with backoff and the third call succeeds', async () => {
    await postFault(cli.sim, { kind: 'status', status: 503, path: MEMBERS, times: 2 });
    const ok = await run('get_group_members', readMembers);
    expect(ok.code).toBe(0);
    expect(requestsTo(cli.sim, MEMBERS)).toHaveLength(3);
  });

  it('a slow answer within the timeout just completes', async () => {
    await postFault(cli.sim, { kind: 'slow', delayMs: 250, path: MEMBERS });
    const r = await run('get_group_members', readMembers);
    expect(r.code).toBe(0);
    expect(r.json.status).toBe('success');
    expect(requestsTo(cli.sim, MEMBERS)).toHaveLength(1);
    expect(r.json.meta.duration_ms).toBeGreaterThanOrEqual(240);
  });
});
