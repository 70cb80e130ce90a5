/**
 * An undo that failed part-way can be run again: the journal holds each step's outcome, a second
 * undo sends only the steps that did not succeed, and once all did, undo is refused.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJournal, undo } from '../../src/index.js';
import { useSimulator } from '../helpers/sim.js';

const h = useSimulator();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mc-journal-retry-'));
});

const config = () => ({ base_url: h.sim.url, ...h.sim.credentials });
const opts = () => ({
  tokenCache: 'memory' as const,
  retry: { minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 },
  now: () => h.sim.now().getTime(),
  journal: { dir },
});
const DELETE = '/api/ttp/url/delete-managed-url';
const apiCalls = () => h.sim.requests.filter((r) => r.path !== '/oauth/token').map((r) => [r.path, r.body]);
const listedIds = async () => ((await h.run('get_managed_urls', {}, { ...opts(), journal: false })).data as { id: string }[]).map((u) => u.id);

describe('undo retried for the steps that did not succeed', () => {
  it('runs only the open step again, then refuses a third undo with nothing sent', async () => {
    const r = await h.run(
      'create_managed_url',
      {
        url_information: [
          { url: 'https://first-mistake.example.com/', action: 'block' },
          { url: 'https://second-mistake.example.com/', action: 'block' },
        ],
      },
      opts(),
    );
    expect(r.status).toBe('success');
    const [first, second] = r.data.map((u: { id: string }) => u.id);
    const runId = r.meta.run_id!;

    // The first delete goes through; Mimecast refuses the second.
    h.sim.fault({ kind: 'status', path: DELETE, status: 400, after: 1 });
    h.sim.requests.length = 0;
    const u1 = await undo(config(), runId, opts());
    expect(u1.status).toBe('partial');
    expect(u1.data!.steps.map((s) => [s.step, s.result.status])).toEqual([
      [0, 'success'],
      [1, 'failed'],
    ]);
    expect(u1.summary).toContain('Run undo again');
    expect(apiCalls()).toEqual([
      [DELETE, { data: [{ id: first }] }],
      [DELETE, { data: [{ id: second }] }],
    ]);
    const ids = await listedIds();
    expect(ids).not.toContain(first);
    expect(ids).toContain(second);

    // Each step's outcome is in the journal, with its place in the plan.
    const steps = readJournal(undefined, { dir }).filter((x) => x.undo_of === runId);
    expect(steps.map((x) => [x.undo_step, x.status])).toEqual([
      [0, 'success'],
      [1, 'failed'],
    ]);

    // The dry run of the retry shows the open step only.
    h.sim.requests.length = 0;
    const dry = await undo(config(), runId, { ...opts(), dryRun: true });
    expect(dry.status).toBe('success');
    expect(dry.data!.steps.map((s) => [s.step, s.input])).toEqual([[1, { id: second }]]);
    expect(h.sim.requests).toEqual([]);

    const u2 = await undo(config(), runId, opts());
    expect(u2.status).toBe('success');
    expect(u2.data).toMatchObject({ done_before: 1 });
    expect(u2.summary).toContain('1 of 1 remaining step succeeded; 1 had succeeded in an earlier undo');
    expect(apiCalls()).toEqual([[DELETE, { data: [{ id: second }] }]]);
    expect(await listedIds()).not.toContain(second);

    h.sim.requests.length = 0;
    const u3 = await undo(config(), runId, opts());
    expect(u3.status).toBe('failed');
    expect(u3.error).toMatchObject({ type: 'input_error', field: 'run_id' });
    expect(u3.error!.message).toMatch(/already undone/);
    expect(h.sim.requests).toEqual([]);
  });

  it('an undo whose only step failed can be run again whole', async () => {
    const r = await h.run('create_managed_url', { url_information: [{ url: 'https://only-mistake.example.com/', action: 'block' }] }, opts());
    const id = r.data[0].id;
    h.sim.fault({ kind: 'status', path: DELETE, status: 400 });
    const u1 = await undo(config(), r.meta.run_id!, opts());
    expect(u1.status).toBe('failed');
    expect(u1.meta.requests).toBeGreaterThan(0);
    h.sim.requests.length = 0;
    const u2 = await undo(config(), r.meta.run_id!, opts());
    expect(u2.status).toBe('success');
    expect(apiCalls()).toEqual([[DELETE, { data: [{ id }] }]]);
  });

  describe('an undo that another process holds', () => {
    const created = async () => {
      const r = await h.run('create_managed_url', { url_information: [{ url: 'https://held-claim.example.com/', action: 'block' }] }, opts());
      return { runId: r.meta.run_id!, id: r.data[0].id as string };
    };
    const claimBy = (runId: string, pid: number) => {
      mkdirSync(join(dir, 'undone'), { recursive: true, mode: 0o700 });
      writeFileSync(join(dir, 'undone', runId), String(pid), { mode: 0o600 });
      return join(dir, 'undone', runId);
    };

    it('while it runs: refused, naming its process; nothing sent', async () => {
      const { runId } = await created();
      claimBy(runId, process.pid); // a process that runs
      h.sim.requests.length = 0;
      const u = await undo(config(), runId, opts());
      expect(u.status).toBe('failed');
      expect(u.error).toMatchObject({
        type: 'input_error',
        field: 'run_id',
        message: `run ${runId} is being undone by another process (pid ${process.pid}); an undo is applied once`,
      });
      expect(h.sim.requests).toEqual([]);
    });

    it('once its process is gone (killed mid-undo): refused with the open steps and how to go on; after the check, removing the claim lets undo run them', async () => {
      const { runId, id } = await created();
      const gone = spawnSync(process.execPath, ['-e', '0']).pid!; // exited: its pid runs no process now
      const file = claimBy(runId, gone);
      h.sim.requests.length = 0;
      const u = await undo(config(), runId, opts());
      expect(u.status).toBe('failed');
      expect(u.error!.message).toBe(
        `an earlier undo of run ${runId} (pid ${gone}) stopped before it finished; open step: 0 (delete_managed_url ${JSON.stringify({ id })})`,
      );
      expect(u.error!.hint).toContain(`Check in Mimecast whether the open steps took effect; then remove ${file} and run undo again`);
      expect(h.sim.requests).toEqual([]);
      expect(existsSync(file)).toBe(true); // never taken over silently

      rmSync(file);
      const again = await undo(config(), runId, opts());
      expect(again.status).toBe('success');
      expect(apiCalls()).toEqual([[DELETE, { data: [{ id }] }]]);
    });
  });
});
