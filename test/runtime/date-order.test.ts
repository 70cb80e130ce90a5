/**
 * One rule for every action with a date window: an end before the start is an input_error naming
 * the end, and nothing is sent. The actions are found in the manifest (every input with a start/end
 * or from/to date pair), so an action added later is covered without a line here.
 */
import manifest from '../../src/generated/manifest.js';
import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import { actionExample } from '../helpers/cli.js';

// Port 9 on loopback: were anything sent, the run would fail with a transport error, not an input error.
const config = { base_url: 'http://127.0.0.1:9', client_id: 'cid', client_secret: 'date-order-secret-01' };
const opts = { tokenCache: 'memory' as const };

const PAIRS = [
  ['start', 'end'],
  ['from', 'to'],
];
const windowed = Object.entries(manifest.actions).flatMap(([id, m]) =>
  PAIRS.filter(([a, b]) => m.input.properties?.[a]?.['x-format'] === 'mimecast-date' && m.input.properties?.[b]?.['x-format'] === 'mimecast-date').map(
    ([a, b]) => [id, a, b] as const,
  ),
);

/** The action's documented example with the window set (the rest of it valid). */
const inputWith = (id: string, window: Record<string, string>): Record<string, unknown> => {
  const example = actionExample(id)[0] ?? {};
  return { ...example, ...window };
};

it('finds the windowed actions in the manifest', () => {
  expect(windowed.map(([id]) => id)).toEqual(
    expect.arrayContaining(['get_ttp_url_logs', 'get_audit_events', 'search', 'list_messages', 'get_email_queues', 'create_remediation_incident']),
  );
  expect(windowed.length).toBeGreaterThanOrEqual(10);
});

describe.each(windowed)('%s', (id, from, to) => {
  it(`refuses ${to} before ${from}: input_error naming ${to}, nothing sent, exit 2`, async () => {
    const r = await runAction(id, inputWith(id, { [from]: '2024-10-12T18:30:00Z', [to]: '2024-10-12T18:29:59+00:00' }), config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      type: 'input_error',
      field: to,
      message: `${to} (2024-10-12T18:29:59+0000) is before ${from} (2024-10-12T18:30:00+0000); give an ${to} at or after the ${from}`,
    });
    expect(r.meta.requests).toBe(0);
    expect(exitCodeFor(r)).toBe(2);
  });

  it(`compares the moments, not the text: a later ${to} in another zone is taken`, async () => {
    // 20:00+02:00 is 18:00Z, before 18:30Z; 21:00+02:00 is 19:00Z, after it.
    const refused = await runAction(id, inputWith(id, { [from]: '2024-10-12T18:30:00Z', [to]: '2024-10-12T20:00:00+02:00' }), config, {
      ...opts,
      dryRun: true,
    });
    expect(refused.error?.field).toBe(to);
    const taken = await runAction(id, inputWith(id, { [from]: '2024-10-12T18:30:00Z', [to]: '2024-10-12T21:00:00+02:00' }), config, { ...opts, dryRun: true });
    expect(taken.error).toBeUndefined();
    expect(taken.status).toBe('success');
  });
});

describe('a date past the default of the other one', () => {
  const now = () => Date.UTC(2024, 9, 12, 12, 0, 0);

  it('an end before the default start (today 00:00 UTC) is refused, saying the start was the default', async () => {
    const r = await runAction('get_ttp_url_logs', { end: '2024-10-11T23:00:00Z' }, config, { ...opts, now, dryRun: true });
    expect(r.error).toEqual({
      type: 'input_error',
      field: 'end',
      message: 'end (2024-10-11T23:00:00+0000) is before the default start (2024-10-12T00:00:00+0000, when start is not given); give a start too',
    });
    expect(r.meta.requests).toBe(0);
  });

  it('a start after the default end (now) is refused, saying the end was the default', async () => {
    const r = await runAction('get_audit_events', { start: '2024-10-12T13:00:00Z' }, config, { ...opts, now, dryRun: true });
    expect(r.error).toMatchObject({ type: 'input_error', field: 'start' });
    expect(r.error?.message).toBe(
      'start (2024-10-12T13:00:00+0000) is after the default end (2024-10-12T12:00:00+0000, when end is not given); give an end too',
    );
  });

  it('a start alone before the default end is taken', async () => {
    const r = await runAction('get_ttp_url_logs', { start: '2024-10-12T06:00:00Z' }, config, { ...opts, now, dryRun: true });
    expect(r.status).toBe('success');
  });
});
