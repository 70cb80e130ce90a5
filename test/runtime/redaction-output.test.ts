/**
 * A masked result keeps an answer's own "__proto__" key as data: the JSON shows it, and the table
 * and CSV views show no field inherited from it.
 */
import manifest from '../../src/generated/manifest.js';
import { formatResults } from '../../src/cli/format.js';
import { REDACTED } from '../../src/base/log.js';
import { runAction } from '../../src/runtime/run.js';
import { CLIENT_SECRET, config, fast, mimecast, setupNock } from '../helpers/nock.js';

const fieldsOf = (id: string) => {
  const a = manifest.actions[id];
  return a && { primary: a.primary, columns: a.columns, contains: Object.keys(a.contains ?? {}) };
};

describe('masking an answer with its own __proto__ key', () => {
  setupNock();

  it('keeps it as data in the JSON, the table and the CSV, with no inherited field in any column', async () => {
    // The answer echoes the secret (so the result is copied masked) and carries a "__proto__" key.
    const body = `{"meta":{"status":200,"pagination":{}},"fail":[],"data":[{"folders":[{"__proto__":{"source":"inherited-source","userCount":999},"id":"g1","description":"echo ${CLIENT_SECRET}","parentId":"root"}]}]}`;
    mimecast().post('/api/directory/find-groups').reply(200, body, { 'content-type': 'application/json' });
    const r = await runAction('search_groups', {}, config, fast);
    expect(r.status).toBe('success');
    expect(JSON.stringify(r.data)).toBe(
      `[{"__proto__":{"source":"inherited-source","userCount":999},"id":"g1","description":"echo ${REDACTED}","parentId":"root"}]`,
    );
    const folder = (r.data as Record<string, unknown>[])[0];
    expect([folder.source, folder.userCount]).toEqual([undefined, undefined]);

    const table = formatResults(r, 'table', { fieldsOf, width: 200 }).text;
    expect(table).not.toMatch(/inherited-source|999/);
    expect(table).toContain(`echo ${REDACTED}`);
    expect(formatResults(r, 'csv', { fieldsOf, width: 200 }).text).toBe(
      [
        'id,description,source,userCount,folderCount,parentId,__proto__',
        `g1,echo ${REDACTED},,,,root,"{""source"":""inherited-source"",""userCount"":999}"`,
        '',
      ].join('\n'),
    );
  });
});
