/**
 * `check`'s route rule: every documented example's dry-run requests must be on the action's
 * declared routes. Dry runs send nothing, so no server is involved.
 */
import { checkManifest, parameterExampleProblems, recordFieldProblems, routeMatches } from '../../src/cli/check.js';
import manifest from '../../src/generated/manifest.js';
import type { Manifest } from '../../src/base/manifest-types.js';

describe('routeMatches', () => {
  it('a route "METHOD /path" matches that method and exactly that path', () => {
    expect(routeMatches('POST /api/directory/find-groups', 'POST', '/api/directory/find-groups')).toBe(true);
    expect(routeMatches('POST /api/directory/find-groups', 'GET', '/api/directory/find-groups')).toBe(false);
    expect(routeMatches('POST /api/directory/find-groups', 'POST', '/api/directory/find-groups/x')).toBe(false);
    expect(routeMatches('POST /api/directory/find-groups', 'POST', '/api/directory/find-group')).toBe(false);
  });

  it("the Generic Action's * {base_url}/* matches any method and any path on the base URL", () => {
    for (const [method, path] of [
      ['POST', '/api/policy/blockedsenders/get-policy'],
      ['GET', '/siem/v1/events/cg'],
      ['DELETE', '/'],
    ]) {
      expect(routeMatches('* {base_url}/*', method, path)).toBe(true);
    }
  });

  it('a path ending in /* matches only paths under it', () => {
    expect(routeMatches('GET /api/ttp/*', 'GET', '/api/ttp/url/get-logs')).toBe(true);
    expect(routeMatches('GET /api/ttp/*', 'GET', '/api/ttpx/url')).toBe(false);
  });
});

describe('checkManifest', () => {
  it('the bundled manifest has no problems', async () => {
    const r = await checkManifest();
    expect(r.problems).toEqual([]);
    expect(r.actions).toBe(Object.keys(manifest.actions).length);
  });

  it("reports an example whose request is not on the action's declared routes", async () => {
    const search = manifest.actions.search;
    const doctored: Manifest = {
      ...manifest,
      actions: { search: { ...search, routes: ['POST /api/message-finder/get-message-info', 'GET /api/message-finder/search'] } },
    };
    const r = await checkManifest(doctored);
    expect(r).toEqual({
      actions: 1,
      examples: search.example!.length,
      problems: [
        'search: example 1 sends POST /api/message-finder/search, which is not among its routes (POST /api/message-finder/get-message-info, GET /api/message-finder/search)',
      ],
    });
  });

  it('a route on the right path passes; the generic wildcard passes any path', async () => {
    const generic = manifest.actions.generic_action;
    const ok = await checkManifest({ ...manifest, actions: { generic_action: generic, search: manifest.actions.search } });
    expect(ok.problems).toEqual([]);
    const narrowed = await checkManifest({ ...manifest, actions: { generic_action: { ...generic, routes: ['* {base_url}/siem/*'] } } });
    expect(narrowed.problems).toEqual([
      'generic_action: example 1 sends POST /api/policy/blockedsenders/get-policy, which is not among its routes (* {base_url}/siem/*)',
    ]);
  });
});

describe('parameterExampleProblems', () => {
  it("reads every parameter example as the runtime reads input: a date that does not parse is named, the manifest's own pass", () => {
    const input = manifest.actions.get_ttp_url_logs.input;
    expect(parameterExampleProblems('get_ttp_url_logs', input)).toEqual([]);
    const doctored = {
      ...input,
      properties: { ...input.properties, start: { ...input.properties!.start, examples: ['2024-10-12T18:30:00Z', '2024-02-31T00:00:00Z'] } },
    };
    expect(parameterExampleProblems('get_ttp_url_logs', doctored)).toEqual([
      'get_ttp_url_logs: parameter start example 2 is not read as given: start is not a valid ISO 8601 date-time: "2024-02-31T00:00:00Z" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)',
    ]);
  });
});

describe('recordFieldProblems', () => {
  it("names a primary field or column that is not a field of the output, a field in both lists, and a missing primary; the manifest's own pass", () => {
    const a = manifest.actions.get_hold_message_list;
    expect(recordFieldProblems('get_hold_message_list', a)).toEqual([]);
    expect(recordFieldProblems('get_hold_message_list', { ...a, primary: ['id', 'from.address', 'reason'], columns: ['reason', 'sender'] })).toEqual([
      'get_hold_message_list: primary "from.address" is not a field of the output schema',
      'get_hold_message_list: "reason" is in both primary and columns',
      'get_hold_message_list: column "sender" is not a field of the output schema',
    ]);
    expect(recordFieldProblems('get_hold_message_list', { ...a, primary: [] })).toEqual([
      'get_hold_message_list: "primary" must be a non-empty list of output fields',
    ]);
  });

  it('check reports them for a doctored manifest', async () => {
    const r = await checkManifest({ ...manifest, actions: { search_groups: { ...manifest.actions.search_groups, primary: ['groupId'] } } });
    expect(r.problems).toEqual(['search_groups: primary "groupId" is not a field of the output schema']);
  });
});
