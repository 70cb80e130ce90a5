/**
 * The apply-then-fail fault: Mimecast applies a write and the answer is lost on the way back (the
 * connection drops, or a gateway error replaces it). "A write is never re-sent" is checked by what
 * the tenant holds afterwards, not only by counting requests: the member is in the group once.
 * Beside it, the fail_item fault: the item refused inside HTTP 200, nothing done.
 */
import { DEMO_GROUP_ID, members } from '../../src/simulator/routes/directory.js';
import { managedSenders } from '../../src/simulator/routes/managedsender.js';
import type { Fault } from '../../src/simulator/types.js';
import { useSimulator } from '../helpers/sim.js';

const ADD = '/api/directory/add-group-member';
const PERMIT = '/api/managedsender/permit-or-block-sender';
const CHECK_FIRST = /check the state in Mimecast before running it again/;

describe('apply_then_fail', () => {
  const h = useSimulator();
  const sentTo = (path: string) => h.sim.requests.filter((r) => r.path === path);
  const holding = (email: string) =>
    members(h.sim)
      .get(DEMO_GROUP_ID)!
      .filter((m) => m.emailAddress === email);

  it.each<[string, Fault]>([
    ['the connection drops', { kind: 'apply_then_fail', path: ADD }],
    ['a 503 replaces the answer', { kind: 'apply_then_fail', path: ADD, status: 503 }],
  ])('add_group_member, %s: the member is in the group once, the request was sent once, and the result says to check Mimecast', async (_, fault) => {
    h.sim.fault(fault);
    const r = await h.run('add_group_member', { member_information: [{ id: DEMO_GROUP_ID, emailAddress: 'applied.once@example.com' }] });
    expect(r.status).toBe('failed');
    expect(r.error?.hint).toMatch(CHECK_FIRST);
    expect(sentTo(ADD)).toHaveLength(1);
    expect(holding('applied.once@example.com')).toHaveLength(1);
    // Running it again, as the hint warns, meets the member already there.
    const again = await h.run('add_group_member', { member_information: [{ id: DEMO_GROUP_ID, emailAddress: 'applied.once@example.com' }] });
    expect(again.failures).toEqual([expect.objectContaining({ code: 'err_folder_group_member_already_exists' })]);
    expect(holding('applied.once@example.com')).toHaveLength(1);
  });

  it('permit_or_block_sender: the entry is kept once and the request was sent once', async () => {
    h.sim.fault({ kind: 'apply_then_fail', path: PERMIT, status: 502 });
    const r = await h.run('permit_or_block_sender', {
      permit_block_information: [{ sender: 'lost.answer@bad.example.net', to: 'soc@orgname.com', action: 'block' }],
    });
    expect(r.status).toBe('failed');
    expect(r.error?.hint).toMatch(CHECK_FIRST);
    expect(sentTo(PERMIT)).toHaveLength(1);
    expect([...managedSenders(h.sim).values()].filter((e) => e.sender === 'lost.answer@bad.example.net')).toEqual([
      expect.objectContaining({ sender: 'lost.answer@bad.example.net', to: 'soc@orgname.com', type: 'Block' }),
    ]);
  });

  it("a chunked write whose second call is applied and lost: every entry is kept once, no call is re-sent, the lost call's items are failures", async () => {
    const entries = Array.from({ length: 150 }, (_, i) => ({ sender: `spam${i}@bad.example.net`, to: 'soc@orgname.com', action: 'block' }));
    h.sim.fault({ kind: 'apply_then_fail', path: PERMIT, after: 1 });
    const r = await h.run('permit_or_block_sender', { permit_block_information: entries });
    // The first call's 100 are answered; the second call's 50 are applied but their outcome is unknown.
    expect(r.status).toBe('partial');
    expect(r.data).toHaveLength(100);
    expect(r.failures.map((f) => (f.key as { sender: string }).sender)).toEqual(entries.slice(100).map((e) => e.sender));
    // They were sent: no_outcome with the advice not to re-run blindly, and the summary does not call them unsent.
    expect(new Set(r.failures.map((f) => f.code))).toEqual(new Set(['no_outcome']));
    expect(r.failures[0].message).toMatch(/^Sent, but the answer was lost \(.+\): Mimecast may have applied it; check before running it again$/);
    expect(r.summary).not.toMatch(/not sent/);
    expect(r.summary).toMatch(/\(50 item failures, see failures\)$/);
    expect(sentTo(PERMIT).map((q) => (q.body as { data: unknown[] }).data.length)).toEqual([100, 50]);
    const kept = [...managedSenders(h.sim).values()].map((e) => e.sender);
    expect(kept.sort()).toEqual(entries.map((e) => e.sender).sort());
  });
});

describe('fail_item', () => {
  const h = useSimulator();

  it('answers HTTP 200 with the item refused in fail[] (its code) and does nothing: the run reports the failure', async () => {
    h.sim.fault({ kind: 'fail_item', path: ADD, code: 'err_simulated_refusal' });
    const input = { member_information: [{ id: DEMO_GROUP_ID, emailAddress: 'refused.item@example.com' }] };
    const r = await h.run('add_group_member', input);
    expect(r.status).toBe('failed');
    expect(r.failures).toEqual([expect.objectContaining({ code: 'err_simulated_refusal' })]);
    expect(
      members(h.sim)
        .get(DEMO_GROUP_ID)!
        .some((m) => m.emailAddress === 'refused.item@example.com'),
    ).toBe(false);
    // Once only (times: 1): the next run goes through.
    expect((await h.run('add_group_member', input)).status).toBe('success');
  });
});
