import { prepareInput } from '../../src/runtime/run.js';

describe('SOAR form input forms', () => {
  it('splits "hold, bounce" for a list of allowed values, and keeps the canonical case', () => {
    expect(prepareInput('get_ttp_impersonation_protect_logs', { actions: 'Hold, BOUNCE' })).toMatchObject({ actions: ['hold', 'bounce'] });
  });

  it('does not split free-text lists (a URL may hold a comma)', () => {
    const v = prepareInput('decode_url', { encoded_urls: 'https://protect-xx.mimecast.com/s/a,b' }) as { encoded_urls: unknown[] };
    expect(v.encoded_urls).toHaveLength(1);
  });

  it('says why a conditionally required parameter is required', () => {
    expect(() => prepareInput('create_remediation_incident', { reason: 'x', search_by: 'url' })).toThrow('url_value is required when search_by is url');
    expect(() => prepareInput('get_hold_message_list', { field_name: 'sender' })).toThrow('value is required when field_name is given');
  });
});
