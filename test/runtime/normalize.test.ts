/**
 * Input normalisation: what SOAR forms and playbooks send ("10", "True", one value for a list,
 * enum values in any case, label-form aliases, empty strings, ISO dates in many spellings)
 * becomes the typed input handlers see; what cannot be read is an input_error naming the field.
 */
import { formatMimecastDate, oneCalendarMonthBefore, parseIsoDate } from '../../src/runtime/dates.js';
import { ConnectorError } from '../../src/base/errors.js';
import { normalize } from '../../src/runtime/normalize.js';
import { prepareInput, runAction } from '../../src/runtime/run.js';

// Nothing is sent in this file (input errors stop before the client); no nock.
const config = { base_url: 'https://127.0.0.1:9443', client_id: 'id', client_secret: 'normalize-secret-123456' };

const GROUP_ID = 'eNoVzrsOgjAUANB_uasklqIgJA74ppIGo6AkLpUWq';

function inputError(action: string, input: unknown): ConnectorError {
  try {
    prepareInput(action, input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConnectorError);
    expect((e as ConnectorError).type).toBe('input_error');
    return e as ConnectorError;
  }
  throw new Error(`${action} accepted ${JSON.stringify(input)}`);
}

describe('scalar coercion', () => {
  it('reads "10" as 10, "True"/"false" as booleans and enum values in any case; fills defaults', () => {
    expect(prepareInput('get_ttp_url_logs', { page_size: '10', no_of_pages: ' 3 ', oldest_first: 'True', route: 'INBOUND', scan_result: 'Malicious' })).toEqual(
      {
        page_size: 10,
        no_of_pages: 3,
        oldest_first: true,
        route: 'inbound',
        scan_result: 'malicious',
      },
    );
    expect(prepareInput('get_ttp_url_logs', { oldest_first: 'false' })).toEqual({ oldest_first: false, route: 'all', scan_result: 'all', page_size: 100 });
    expect(prepareInput('get_ttp_url_logs', { oldest_first: 'FALSE', route: 'Outbound' })).toEqual({
      oldest_first: false,
      route: 'outbound',
      scan_result: 'all',
      page_size: 100,
    });
  });

  it.each([
    [{ page_size: 'ten' }, 'page_size must be an integer'],
    [{ page_size: '0' }, 'page_size must be >= 1'],
    [{ page_size: 501 }, 'page_size must be <= 500'],
    [{ oldest_first: 'maybe' }, 'oldest_first must be a boolean'],
    [{ route: 'sideways' }, 'route must be one of: inbound, outbound, internal, all'],
    [{ colour: 'red' }, 'input has an unknown key "colour" (allowed: scan_result, route, oldest_first, start, end, page_size, no_of_pages, page_token)'],
  ])('refuses %j with an input_error naming the field', (input, message) => {
    const e = inputError('get_ttp_url_logs', input);
    expect(e.message).toBe(message);
  });

  it('drops empty strings and nulls (Mimecast rejects them) instead of sending them', () => {
    expect(prepareInput('search_groups', { query: '', source: null, page_size: '' })).toEqual({ page_size: 100 });
    expect(prepareInput('get_ttp_url_logs', { start: '', end: null })).toEqual({ oldest_first: false, route: 'all', scan_result: 'all', page_size: 100 });
  });
});

describe('lists', () => {
  const item = { id: GROUP_ID, emailAddress: 'a@example.com' };

  it('wraps a single value where a list is expected', () => {
    expect(prepareInput('remove_group_member', { member_information: item })).toEqual({ member_information: [item] });
  });

  it('reads a list given as JSON text', () => {
    expect(prepareInput('remove_group_member', { member_information: JSON.stringify([item, { id: GROUP_ID, domain: 'example.com' }]) })).toEqual({
      member_information: [item, { id: GROUP_ID, domain: 'example.com' }],
    });
  });

  it('refuses JSON text that does not parse, naming the field', () => {
    const e = inputError('remove_group_member', { member_information: '[{"id": ' });
    expect(e.message).toBe('member_information must be a list; the text given is not valid JSON');
    expect(e.field).toBe('member_information');
  });

  it('normalises enum values inside list items', () => {
    expect(prepareInput('permit_or_block_sender', { permit_block_information: { sender: 'a@x.example', to: 'b@y.example', action: 'BLOCK' } })).toEqual({
      permit_block_information: [{ sender: 'a@x.example', to: 'b@y.example', action: 'block' }],
    });
  });
});

describe('aliases', () => {
  it('accepts the label form (start_date, end_date, number_of_pages) for the canonical key', () => {
    expect(prepareInput('get_ttp_url_logs', { start_date: '2024-10-12T18:30:00Z', end_date: '2024-10-13T00:00:00Z', number_of_pages: '2' })).toEqual({
      start: '2024-10-12T18:30:00+0000',
      end: '2024-10-13T00:00:00+0000',
      no_of_pages: 2,
      page_size: 100,
      oldest_first: false,
      route: 'all',
      scan_result: 'all',
    });
  });

  it('refuses a parameter given both ways', () => {
    const e = inputError('get_ttp_url_logs', { start: '2024-10-12T18:30:00Z', start_date: '2024-10-12T18:30:00Z' });
    expect(e.message).toBe('start was given twice (as "start" and as "start_date"); give it once');
    expect(e.field).toBe('start');
  });

  it('accepts both ways when one of them is empty', () => {
    expect(prepareInput('get_ttp_url_logs', { start: '', start_date: '2024-10-12T18:30:00Z' })).toMatchObject({ start: '2024-10-12T18:30:00+0000' });
  });
});

describe('dates', () => {
  it.each([
    '2024-10-12T18:30:00Z',
    '2024-10-12T18:30:00+00:00',
    '2024-10-12T18:30:00+0000',
    '2024-10-12T18:30Z',
    '2024-10-12T18:30',
    '2024-10-12t18:30:00z',
    '2024-10-12 18:30:00',
    '2024-10-12T18:30:00.999Z',
    '2024-10-12T20:30:00+02:00',
    '2024-10-12T13:30:00-0500',
    '2024-10-12T19:30:00+01',
    ' 2024-10-12T18:30:00Z ',
  ])('%s → 2024-10-12T18:30:00+0000', (value) => {
    expect(prepareInput('get_ttp_url_logs', { start: value }).start).toBe('2024-10-12T18:30:00+0000');
  });

  it('reads a date without a time as midnight UTC', () => {
    expect(prepareInput('get_ttp_url_logs', { end: '2024-10-12' }).end).toBe('2024-10-12T00:00:00+0000');
  });

  it.each(['yesterday', '2024-02-31T00:00:00Z', '2024-13-01T00:00:00Z', '2024-10-12T25:00:00Z', '12/10/2024', '2024-10-12T18:30:00+25:00', '1728757800'])(
    'refuses %j with an input_error naming the field',
    (value) => {
      const e = inputError('get_ttp_url_logs', { end_date: value });
      expect(e.field).toBe('end');
      expect(e.message).toBe(`end is not a valid ISO 8601 date-time: "${value}" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)`);
    },
  );

  it('an unparseable date fails the action before anything is sent', async () => {
    const r = await runAction('get_ttp_url_logs', { start: 'last tuesday' }, config);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      type: 'input_error',
      field: 'start',
      message: 'start is not a valid ISO 8601 date-time: "last tuesday" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)',
    });
    expect(r.meta.requests).toBe(0);
  });

  it('formats in UTC and computes one calendar month before, clamped to the month end', () => {
    expect(formatMimecastDate(new Date(Date.UTC(2024, 0, 5, 3, 4, 5)))).toBe('2024-01-05T03:04:05+0000');
    expect(formatMimecastDate(oneCalendarMonthBefore(new Date(Date.UTC(2024, 2, 31, 10, 0, 0))))).toBe('2024-02-29T10:00:00+0000');
    expect(formatMimecastDate(oneCalendarMonthBefore(new Date(Date.UTC(2024, 0, 15, 0, 0, 0))))).toBe('2023-12-15T00:00:00+0000');
    expect(parseIsoDate('2023-02-29')).toBeNull();
    expect(parseIsoDate('2024-02-29')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });
});

describe('normalize (schema level)', () => {
  it('turns numbers and booleans into strings for string fields', () => {
    expect(normalize({ type: 'object', properties: { id: { type: 'string' } } }, { id: 12345 })).toEqual({ id: '12345' });
  });

  it('reads a Key Value field given as JSON text', () => {
    expect(normalize({ type: 'object', properties: { kv: { type: 'object' } } }, { kv: '{"a": 1}' })).toEqual({ kv: { a: 1 } });
  });
});

describe('unknown action', () => {
  it('is an input_error', async () => {
    const r = await runAction('no_such_action', {}, config);
    expect(r.error).toMatchObject({ type: 'input_error', message: 'unknown action "no_such_action"' });
  });
});
