/**
 * Input edges found by an adversarial review: nothing odd in the input reaches Mimecast, and the
 * refusal names the field.
 */
import { jest } from '@jest/globals';
import { parseConfig } from '../../src/runtime/config.js';
import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import { config, fast, mimecast, setupNock } from '../helpers/nock.js';

describe('input edges', () => {
  setupNock();

  it('a GET with a payload is refused (a GET carries no body), nothing sent', async () => {
    const r = await runAction('generic_action', { method: 'GET', endpoint: 'api/account/get-account', payload: { data: [] } }, config, fast);
    expect(r.error).toEqual({ type: 'input_error', field: 'payload', message: 'payload is not sent with GET: put the parameters in query_params' });
    expect(r.meta.requests).toBe(0);
  });

  it('a text payload is labelled text/plain, a JSON one application/json', async () => {
    mimecast()
      .put('/api/raw/text', 'hello mimecast')
      .matchHeader('content-type', 'text/plain; charset=utf-8')
      .reply(200, { meta: { status: 200 }, data: [{}], fail: [] });
    expect((await runAction('generic_action', { method: 'PUT', endpoint: 'api/raw/text', payload: 'hello mimecast' }, config, fast)).status).toBe('success');
    mimecast() // a run of its own: its own token
      .post('/api/raw/json', { data: [{ a: 1 }] })
      .matchHeader('content-type', 'application/json')
      .reply(200, { meta: { status: 200 }, data: [{}], fail: [] });
    expect((await runAction('generic_action', { method: 'POST', endpoint: 'api/raw/json', payload: { data: [{ a: 1 }] } }, config, fast)).status).toBe(
      'success',
    );
  });

  it.each([
    [{ method: 'POST', endpoint: 'api/x', extra_fields: JSON.parse('{"__proto__": {"download": true}}') }, 'extra_fields.__proto__'],
    [JSON.parse('{"method":"POST","endpoint":"api/x","__proto__":{"payload":"x"}}'), '__proto__'],
    [{ method: 'POST', endpoint: 'api/x', extra_fields: { constructor: { prototype: {} } } }, 'extra_fields.constructor'],
  ])('a prototype key is refused, never passed as a property (%#)', async (input, field) => {
    const r = await runAction('generic_action', input, config, fast);
    expect(r.error).toEqual({ type: 'input_error', field, message: `${field} is not an allowed key` });
    expect(r.meta.requests).toBe(0);
  });

  it('an id of white space only is never sent: a required one is missing, a list entry empty', async () => {
    const info = await runAction('get_message_info', { message_id: '   ' }, config, fast);
    expect(info.error?.type).toBe('input_error');
    expect(info.error?.field).toBe('message_id');
    const rej = await runAction('reject_held_message', { ids: ['  \t'] }, config, fast);
    expect(rej.error).toEqual({ type: 'input_error', field: 'ids[0]', message: 'ids[0] must not be empty' });
    expect(exitCodeFor(rej)).toBe(2);
  });

  it('verify takes 0 and 1 as it takes "0" and "1"', () => {
    const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(parseConfig({ ...config, verify: 0 }).verify).toBe(false);
      expect(parseConfig({ ...config, verify: '0' }).verify).toBe(false);
      expect(parseConfig({ ...config, verify: 1 }).verify).toBe(true);
    } finally {
      quiet.mockRestore();
    }
  });

  it('the verify=false warning is printed once for a run, not once per parse', async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
      lines.push(String(c));
      return true;
    });
    try {
      const cfg = parseConfig({ ...config, verify: false });
      mimecast()
        .post('/api/account/get-account')
        .reply(200, { meta: { status: 200 }, data: [{ accountName: 'A' }], fail: [] });
      await runAction('get_current_account_details', {}, cfg, fast);
    } finally {
      spy.mockRestore();
    }
    expect(lines.filter((l) => l.includes('TLS certificate verification is off'))).toHaveLength(1);
  });

  it('input nested thousands of levels deep is an input_error, not a crash labelled a connector bug', async () => {
    const deep = JSON.parse(`{"method":"POST","endpoint":"api/x","payload":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    const r = await runAction('generic_action', deep, config, fast);
    expect(r.error).toEqual({ type: 'input_error', field: 'input', message: 'input is nested more than 128 levels deep' });
    expect(r.meta.requests).toBe(0);
  });

  it('an answer nested thousands of levels deep is an api_error', async () => {
    mimecast()
      .post('/api/account/get-account')
      .reply(200, `{"meta":{"status":200},"data":[${'['.repeat(5000)}${']'.repeat(5000)}],"fail":[]}`, { 'content-type': 'application/json' });
    const r = await runAction('get_current_account_details', {}, config, fast);
    expect(r.error?.type).toBe('api_error');
    expect(r.error?.message).toContain('nested more than 128 levels deep');
  });
});
