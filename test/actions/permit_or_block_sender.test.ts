import { runAction } from '../../src/runtime/run.js';
import { validateOutput, callSizes } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import { managedSenders } from '../../src/simulator/routes/managedsender.js';
import manifest from '../../src/generated/manifest.js';

const example = manifest.actions.permit_or_block_sender.example![0] as { permit_block_information: { action: string; to: string; sender: string }[] };
const PATH = '/api/managedsender/permit-or-block-sender';

const entry = (i: number, action = 'block') => ({ sender: `spam${i}@bad.example.net`, to: 'soc@orgname.com', action });
const created = (i: number, type = 'Block') => ({ id: `MTOKEN:e${i}`, sender: `spam${i}@bad.example.net`, to: 'soc@orgname.com', type });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });

describe('permit_or_block_sender (nock)', () => {
  setupNock();

  it("sends the seed's example body and returns Mimecast's data", async () => {
    const answer = fixture('api-managedsender-permit-or-block-sender.json');
    mimecast()
      .post(PATH, { data: [{ action: 'permit', to: 'john.doe@organame.com', sender: 'jane.doe@orgname.com' }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, answer);
    const r = await runAction('permit_or_block_sender', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(answer.data);
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('Managed senders set: 0 blocked, 1 permitted.');
    validateOutput('permit_or_block_sender', r.data);
  });

  it('splits 150 entries into calls of 100 and 50 (chunk_size 100) and merges the results', async () => {
    expect(manifest.actions.permit_or_block_sender.chunk_size).toBe(100);
    mimecast()
      .post(PATH, { data: range(0, 100).map((i) => entry(i)) })
      .reply(200, ok(range(0, 100).map((i) => created(i))))
      .post(PATH, { data: range(100, 150).map((i) => entry(i)) })
      .reply(200, ok(range(100, 150).map((i) => created(i))));
    const r = await runAction('permit_or_block_sender', { permit_block_information: range(0, 150).map((i) => entry(i)) }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(range(0, 150).map((i) => created(i)));
    expect(r.meta.requests).toBe(3);
    expect(r.summary).toBe('Managed senders set: 150 blocked, 0 permitted.');
  });

  it('normalises the action in any letter case ("BLOCK" → "block") and accepts one entry given as an object', async () => {
    mimecast()
      .post(PATH, { data: [{ sender: 'spam1@bad.example.net', to: 'soc@orgname.com', action: 'block' }] })
      .reply(200, ok([created(1)]));
    const r = await runAction(
      'permit_or_block_sender',
      { permit_block_information: { sender: 'spam1@bad.example.net', to: 'soc@orgname.com', action: 'BLOCK' } },
      config,
      fast,
    );
    expect(r.status).toBe('success');
    expect(r.data).toEqual([created(1)]);
    expect(r.summary).toBe('Managed senders set: 1 blocked, 0 permitted.');
  });

  it('reports an entry Mimecast refused inside HTTP 200 as a partial failure keyed by the item', async () => {
    const key = { sender: 'spam2@bad.example.net', to: 'ceo@orgname.com', action: 'permit' };
    mimecast()
      .post(PATH, { data: [entry(1), key] })
      .reply(
        200,
        ok(
          [created(1)],
          [
            {
              key,
              errors: [
                { code: 'err_xdk_operation_forbidden_for_address', message: '0003 Forbidden To Perform Operation For Address', field: 'to', retryable: false },
              ],
            },
          ],
        ),
      );
    const r = await runAction('permit_or_block_sender', { permit_block_information: [entry(1), key] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([created(1)]);
    expect(r.failures).toEqual([
      { code: 'err_xdk_operation_forbidden_for_address', message: '0003 Forbidden To Perform Operation For Address', field: 'to', retryable: false, key },
    ]);
    expect(r.summary).toBe('Managed senders set: 1 blocked, 0 permitted. (1 item failure, see failures)');
  });

  it('is failed when every entry failed', async () => {
    const key = entry(1);
    mimecast()
      .post(PATH, { data: [key] })
      .reply(
        200,
        ok(
          [],
          [
            {
              key,
              errors: [{ code: 'err_validation_invalid_email_address', message: 'The sender email address is invalid', field: 'sender', retryable: false }],
            },
          ],
        ),
      );
    const r = await runAction('permit_or_block_sender', { permit_block_information: [key] }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      type: 'api_error',
      message: 'The item failed; first: The sender email address is invalid (err_validation_invalid_email_address)',
      code: 'err_validation_invalid_email_address',
    });
  });

  it.each([
    [
      { permit_block_information: [{ sender: 'not-an-email', to: 'a@b.com', action: 'block' }] },
      'permit_block_information[0].sender must be an email address (name@domain)',
    ],
    [
      { permit_block_information: [{ sender: 'a@b.com', to: 'nobody', action: 'block' }] },
      'permit_block_information[0].to must be an email address (name@domain)',
    ],
    [{ permit_block_information: [{ sender: 'a@b.com', to: 'c@d.com', action: 'allow' }] }, 'permit_block_information[0].action must be one of: permit, block'],
    [{ permit_block_information: [{ sender: 'a@b.com', to: 'c@d.com' }] }, 'permit_block_information[0].action is required'],
    [
      { permit_block_information: [{ sender: 'a@b.com', to: 'c@d.com', action: 'block', reason: 'x' }] },
      'permit_block_information[0] has an unknown key "reason" (allowed: sender, to, action)',
    ],
    [{}, 'permit_block_information is required'],
    [{ permit_block_information: [] }, 'permit_block_information must have at least one item'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('permit_or_block_sender', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('permit_or_block_sender (simulator)', () => {
  const h = useSimulator();

  it("permits the seed example's sender and keeps the entry", async () => {
    const r = await h.run('permit_or_block_sender', example);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: expect.stringMatching(/^MTOKEN:/), sender: 'jane.doe@orgname.com', to: 'john.doe@organame.com', type: 'Permit' }]);
    validateOutput('permit_or_block_sender', r.data);
    const kept = managedSenders(h.sim);
    expect([...kept.values()]).toEqual(r.data);
  });

  it('blocks 150 senders in two calls', async () => {
    const r = await h.run('permit_or_block_sender', { permit_block_information: range(0, 150).map((i) => entry(i, 'Block')) });
    expect(r.status).toBe('success');
    expect(r.data).toHaveLength(150);
    expect(h.sim.requests.filter((q) => q.path === PATH).map((q) => (q.body as { data: unknown[] }).data.length)).toEqual(
      callSizes('permit_or_block_sender', 150),
    );
  });
});
