/**
 * `run --format table|csv` with the built CLI, against the simulator (--simulator, and over
 * loopback): the acceptance runs, the primary fields and declared columns, identifiers never cut,
 * a failed run's whole hint, what stderr says a view leaves out, hostile answers (formula cells,
 * terminal escapes), failed and partial runs, array input, the terminal width, and exit codes that
 * do not change with the format.
 */
import { groups } from '../../src/simulator/routes/directory.js';
import { DEMO_FALSE_POSITIVE_HELD_ID } from '../../src/simulator/routes/gateway-hold.js';
import { postFault, runCli, simEnv, useCliSimulator } from '../helpers/cli.js';

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
  it('csv of a list over loopback: the primary fields (the id first), the declared columns, then every other key', async () => {
    const json = await runCli(['run', 'search_groups', '--input', '{"source":"cloud"}'], { env: simEnv(cli.sim) });
    const r = await runCli(['run', 'search_groups', '--input', '{"source":"cloud"}', '--format', 'csv'], { env: simEnv(cli.sim) });
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toBe('id,description,source,userCount,folderCount,parentId');
    expect(rows).toHaveLength(json.json.data.length);
    expect(rows.map((row) => row.split(',')[0])).toEqual(json.json.data.map((g: { id: string }) => g.id));
    expect(r.stderr).toBe('');
  });

  it('a table fits $COLUMNS except the identifiers: every id whole, the other columns cut or left out, and stderr names them', async () => {
    const input = '{"admin":true}';
    const json = await runCli(['run', 'get_hold_message_list', '--simulator', '--input', input]);
    const r = await runCli(['run', 'get_hold_message_list', '--simulator', '--input', input, '--format', 'table'], { env: { COLUMNS: '70' } });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^│ id +│ from\.emailAddress +│ subject +│$/);
    const cells = lines.slice(3, -1).map((l) =>
      l
        .split('│')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
    const held = json.json.data as { id: string; from: { emailAddress: string } }[];
    expect(cells.map((c) => [c[0], c[1]])).toEqual(held.map((m) => [m.id, m.from.emailAddress]));
    expect(r.stdout).toContain('…'); // subjects are cut to the room left
    expect(r.stderr).toBe(
      'note: the table leaves out fields dateReceived, reason, route, reasonId, reasonCode, hasAttachments, size, policyInfo; nested fields fromHeader, to; the end of long cells in subject (cut with …): --format json shows everything\n',
    );
  });

  it("a failed run's table shows the whole hint, wrapped to the width", async () => {
    await postFault(cli.sim, { kind: 'status', status: 403, path: '/api/directory/find-groups' });
    const r = await runCli(['run', 'search_groups', '--input', '{"query":"x"}', '--format', 'table'], { env: { ...simEnv(cli.sim), COLUMNS: '60' } });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    for (const l of lines) expect([...l].length).toBe(60);
    // The value cells of the error.hint row and the continuation rows under it.
    const start = lines.findIndex((l) => l.startsWith('│ error.hint '));
    const end = lines.findIndex((l, i) => i > start && !l.startsWith('│                   │'));
    const hint = lines
      .slice(start, end)
      .map((l) => l.split('│')[2].trim())
      .join(' ');
    expect(hint).toBe('Give the API application\'s role the "Directories | Groups | Edit" permission in Mimecast (Administration → Roles).');
  });

  it('a hostile answer: CSV header cells and values cannot start a formula, and no terminal escape or bidi control reaches stdout', async () => {
    // A group record as a hostile or compromised server could send it: formula keys and values, an OSC 52 clipboard write, a bidi override.
    groups(cli.sim).set('eNoHOSTILE1', {
      id: 'eNoHOSTILE1',
      description: '=HYPERLINK("http://evil.example","quarterly")',
      source: 'cloud',
      parentId: '@SUM(1+1)',
      userCount: 0,
      folderCount: 0,
      '=HYPERLINK("http://evil.example/x")': '-2+3',
      '@SUM(1+1)': '\u001b]52;c;ZWNobyBwd25lZA==\u0007pasted',
      note: 'invoice\u202eexe.pdf\rhidden',
    } as never);
    const r = await runCli(['run', 'search_groups', '--input', '{"query":"quarterly"}', '--format', 'csv'], { env: simEnv(cli.sim) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `id,description,source,userCount,folderCount,parentId,"'=HYPERLINK(""http://evil.example/x"")",'@SUM(1+1),note`,
        `eNoHOSTILE1,"'=HYPERLINK(""http://evil.example"",""quarterly"")",cloud,0,0,'@SUM(1+1),'-2+3,\ufffd]52;c;ZWNobyBwd25lZA==\ufffdpasted,invoice\ufffdexe.pdf\ufffdhidden`,
        '',
      ].join('\n'),
    );
    const table = await runCli(['run', 'search_groups', '--input', '{"query":"quarterly"}', '--format', 'table'], { env: simEnv(cli.sim) });
    expect(table.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- what must not be there
    expect(table.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(table.stdout).toContain('│ eNoHOSTILE1 │ =HYPERLINK("http://evil.example","quarterly") │');
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
