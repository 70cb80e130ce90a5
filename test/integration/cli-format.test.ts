/**
 * `run --format table|csv` with the built CLI, against the simulator (--simulator, and over
 * loopback): the acceptance runs, the declared columns, failed and partial runs, array input, the
 * terminal width, and exit codes that do not change with the format.
 */
import { DEMO_FALSE_POSITIVE_HELD_ID } from '../../src/simulator/routes/gateway-hold.js';
import { runCli, simEnv, useCliSimulator } from '../helpers/cli.js';

const cli = useCliSimulator();

/** The hold summary as JSON: what the table and the CSV must show. */
async function holdSummary(): Promise<{ policyInfo: string; numberOfItems: number }[]> {
  const r = await runCli(['run', 'get_held_message_list', '--simulator']);
  expect(r.code).toBe(0);
  expect(r.json.data.length).toBeGreaterThan(1);
  return r.json.data;
}

describe('acceptance', () => {
  it('run get_held_message_list --format table prints a table: the declared columns, one row per item', async () => {
    const items = await holdSummary();
    const r = await runCli(['run', 'get_held_message_list', '--simulator', '--format', 'table']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^┌─+┬─+┐$/);
    expect(lines[1]).toMatch(/^│ policyInfo +│ numberOfItems │$/);
    expect(lines[2]).toMatch(/^├─+┼─+┤$/);
    const rows = lines.slice(3, -1).map((l) =>
      l
        .split('│')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
    expect(rows).toEqual(items.map((i) => [i.policyInfo, String(i.numberOfItems)]));
    expect(lines.at(-1)).toMatch(/^└─+┴─+┘$/);
    expect(r.stderr).toBe('');
  });

  it('run get_held_message_list --format csv prints a header and one line per item', async () => {
    const items = await holdSummary();
    for (const i of items) expect(i.policyInfo).not.toMatch(/[",\r\n]/); // so each line is the plain values
    const r = await runCli(['run', 'get_held_message_list', '--simulator', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(['policyInfo,numberOfItems', ...items.map((i) => `${i.policyInfo},${i.numberOfItems}`), ''].join('\n'));
  });
});

describe('--format', () => {
  it('csv of a list with declared columns over loopback: those first, then every other key (IDs included)', async () => {
    const json = await runCli(['run', 'search_groups', '--input', '{"source":"cloud"}'], { env: simEnv(cli.sim) });
    const r = await runCli(['run', 'search_groups', '--input', '{"source":"cloud"}', '--format', 'csv'], { env: simEnv(cli.sim) });
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toBe('description,source,userCount,folderCount,parentId,id');
    expect(rows).toHaveLength(json.json.data.length);
    expect(rows[0].endsWith(`,${json.json.data[0].id}`)).toBe(true);
  });

  it('a table fits $COLUMNS when stdout is not a terminal', async () => {
    const r = await runCli(['run', 'get_hold_message_list', '--simulator', '--input', '{"admin":true}', '--format', 'table'], { env: { COLUMNS: '70' } });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(4);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(70);
    expect(lines[1]).toMatch(/^│ dateReceiv… +│ from\.email… +│ subject +│ reason +│ route +│$/);
    expect(r.stdout).toContain('…');
  });

  it('a failed run prints its error as key/value rows, with the same exit code as JSON', async () => {
    const r = await runCli(['run', 'search_groups', '--simulator', '--input', '{"source":"nowhere"}', '--format', 'csv']);
    expect(r.code).toBe(2);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual(['key,value', 'status,failed', 'action,search_groups', 'error.type,input_error']);
    expect(lines[4]).toMatch(/^error\.message,.*source/);
  });

  it('a partial run: exit 3; the table adds the failed items, the CSV has the rows and stderr says what it left out', async () => {
    const input = JSON.stringify({ id: [DEMO_FALSE_POSITIVE_HELD_ID, 'not-a-held-message'] });
    const table = await runCli(['run', 'release_held_message', '--simulator', '--input', input, '--format', 'table'], { env: { COLUMNS: '200' } });
    expect(table.code).toBe(3);
    expect(table.stdout).toMatch(/│ id +│ release │/);
    expect(table.stdout).toContain(DEMO_FALSE_POSITIVE_HELD_ID);
    expect(table.stdout).toMatch(/│ code +│ message +│ field │ key +│/);
    expect(table.stdout).toContain('not-a-held-message');

    const csv = await runCli(['run', 'release_held_message', '--simulator', '--input', input, '--format', 'csv']);
    expect(csv.code).toBe(3);
    expect(csv.stdout).toBe(`id,release\n${DEMO_FALSE_POSITIVE_HELD_ID},true\n`);
    expect(csv.stderr).toBe('warning: 1 item failure is not in the CSV (exit code 3); --format json or table shows them\n');
  });

  it('array input prints one table per run', async () => {
    const r = await runCli(['run', 'get_held_message_list', '--simulator', '--input', '[{}, {}]', '--format', 'table']);
    expect(r.code).toBe(0);
    const tables = r.stdout.trimEnd().split('\n\n');
    expect(tables).toHaveLength(2);
    expect(tables[0]).toBe(tables[1]);
  });

  it('a dry run shows the requests it would send', async () => {
    const r = await runCli(['run', 'search_groups', '--dry-run', '--input', '{"query":"x"}', '--format', 'csv']);
    expect(r.code).toBe(0);
    const [header, row] = r.stdout.trimEnd().split('\n');
    expect(header).toBe('method,url,body,headers');
    expect(row.startsWith('POST,https://api.services.mimecast.com/api/directory/find-groups,')).toBe(true);
  });

  it('an unknown format is refused before anything runs', async () => {
    const r = await runCli(['run', 'get_held_message_list', '--simulator', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({ type: 'input_error', message: '--format "xml" is not available; allowed values: json, table, csv' });
  });
});
