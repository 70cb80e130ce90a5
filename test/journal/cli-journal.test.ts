/**
 * The journal across processes, through the built CLI (dist/cli.js) against a simulator over
 * loopback: parallel steps append whole lines, the file is owner-only, `journal` lists the runs,
 * and `undo` (dry run first) reverses one run once.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, simEnv, tmpDir, useCliSimulator } from '../helpers/cli.js';

const cli = useCliSimulator();

describe('journal and undo through the CLI', () => {
  it('parallel steps append one whole line each to an owner-only journal; journal lists them', async () => {
    const journalDir = tmpDir('mc-journal-');
    const env = { ...simEnv(cli.sim), MIMECAST_JOURNAL_DIR: journalDir };
    // Long lines (a long comment per entry) from several processes at once.
    const steps = Array.from({ length: 6 }, (_, i) =>
      runCli(
        [
          'run',
          'create_managed_url',
          '--input',
          JSON.stringify({ url_information: [{ url: `https://step-${i}.example.net/`, action: 'block', comment: `step ${i} `.repeat(700) }] }),
        ],
        {
          env,
        },
      ),
    );
    const results = await Promise.all(steps);
    for (const r of results) expect(r.code).toBe(0);
    const file = join(journalDir, 'journal.ndjson');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(6);
    const records = lines.map((l) => JSON.parse(l));
    expect(new Set(records.map((r) => r.run_id))).toEqual(new Set(results.map((r) => r.json.meta.run_id)));
    expect(readFileSync(file, 'utf8')).not.toContain(cli.sim.credentials.client_secret);

    const listed = await runCli(['journal', '--json'], { env });
    expect(listed.code).toBe(0);
    expect(listed.json.map((r: { run_id: string }) => r.run_id).sort()).toEqual(records.map((r) => r.run_id).sort());
    const table = await runCli(['journal', '--since', '24h'], { env: { ...env, MIMECAST_SIMULATOR_NOW: cli.sim.now().toISOString() } });
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^TIME\s+RUN ID\s+ACTION\s+STATUS\s+OK\s+FAILED\s+UNDO$/);
    expect(table.stdout).toContain('delete_managed_url (1 step)');
  });

  it('undo: a dry run sends nothing, the undo deletes the created entry, a second undo is refused (exit 2)', async () => {
    const journalDir = tmpDir('mc-journal-');
    const env = { ...simEnv(cli.sim), MIMECAST_JOURNAL_DIR: journalDir };
    const created = await runCli(
      ['run', 'create_managed_url', '--input', JSON.stringify({ url_information: [{ url: 'https://cli-journal.example.net/', action: 'block' }] })],
      {
        env,
      },
    );
    const runId = created.json.meta.run_id as string;
    const id = created.json.data[0].id as string;
    const before = cli.sim.stats.api_requests;

    const dry = await runCli(['undo', runId, '--dry-run'], { env });
    expect(dry.code).toBe(0);
    expect(dry.json.data.steps[0].result.data.requests).toEqual([
      expect.objectContaining({ method: 'POST', url: `${cli.sim.url}/api/ttp/url/delete-managed-url`, body: { data: [{ id }] } }),
    ]);
    expect(cli.sim.stats.api_requests).toBe(before);

    const undone = await runCli(['undo', runId], { env });
    expect(undone.code).toBe(0);
    expect(undone.json).toMatchObject({ status: 'success', action: 'undo', data: { undone_run_id: runId } });
    const sent = cli.sim.requests.filter((r) => r.path === '/api/ttp/url/delete-managed-url');
    expect(sent.at(-1)!.body).toEqual({ data: [{ id }] });

    const after = cli.sim.stats.api_requests;
    const again = await runCli(['undo', runId], { env });
    expect(again.code).toBe(2);
    expect(again.json.error).toMatchObject({ type: 'input_error', field: 'run_id' });
    expect(again.json.error.message).toMatch(/already undone/);
    expect(cli.sim.stats.api_requests).toBe(after);
  });

  it('refuses a run id that is not one, before reading anything', async () => {
    const r = await runCli(['undo', 'not-a-run'], { env: { ...simEnv(cli.sim), MIMECAST_JOURNAL_DIR: tmpDir('mc-journal-') } });
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({ type: 'input_error', field: 'run_id' });
  });
});
