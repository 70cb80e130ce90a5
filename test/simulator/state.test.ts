/**
 * The simulator's typed state: each route module declares its slots (defineState), and a slot is
 * its own key and accessor, for the routes and for tests alike. A name cannot be misspelt: a slot
 * is an imported value, and a string is not one (the @ts-expect-error below fails the typecheck
 * the day a string key compiles again).
 */
import { DEMO_GROUP_ID, members } from '../../src/simulator/routes/directory.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { defineState } from '../../src/simulator/types.js';
import { useSimulator } from '../helpers/sim.js';

describe('simulator state slots', () => {
  const h = useSimulator();

  it('a test reads and changes the very state the routes serve', async () => {
    const before = members(h.sim).get(DEMO_GROUP_ID)!.length;
    const added = await h.run('add_group_member', { member_information: [{ id: DEMO_GROUP_ID, emailAddress: 'slot.check@example.com' }] });
    expect(added.status).toBe('success');
    expect(
      members(h.sim)
        .get(DEMO_GROUP_ID)!
        .filter((m) => m.emailAddress === 'slot.check@example.com'),
    ).toHaveLength(1);
    expect(members(h.sim).get(DEMO_GROUP_ID)).toHaveLength(before + 1);
    // And the other way round: what a test puts in the slot is what the route answers.
    members(h.sim).set(DEMO_GROUP_ID, [{ emailAddress: 'only.one@example.com', name: 'Only One', type: 'created_manually', internal: true }]);
    const listed = await h.run('get_group_members', { group_id: DEMO_GROUP_ID });
    expect(listed.data.map((m: { emailAddress: string }) => m.emailAddress)).toEqual(['only.one@example.com']);
  });

  it('reset() brings every slot back to its init', () => {
    const seeded = members(h.sim)
      .get(DEMO_GROUP_ID)!
      .map((m) => m.emailAddress);
    members(h.sim).get(DEMO_GROUP_ID)!.push({ emailAddress: 'gone.after.reset@example.com', name: 'Gone', type: 'created_manually', internal: true });
    h.sim.reset();
    expect(
      members(h.sim)
        .get(DEMO_GROUP_ID)!
        .map((m) => m.emailAddress),
    ).toEqual(seeded);
  });

  it('two simulators hold two states', async () => {
    const other: Simulator = await startSimulator();
    try {
      members(other).set(DEMO_GROUP_ID, []);
      expect(members(h.sim).get(DEMO_GROUP_ID)!.length).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });

  it('a label is declared by one module only', () => {
    defineState('test.once', () => 1);
    expect(() => defineState('test.once', () => 2)).toThrow('simulator state "test.once" is declared twice');
  });

  it('a string is not a key', () => {
    // @ts-expect-error: state is read through a declared slot, never by a name.
    expect(() => h.sim.state('directory.members')).toThrow();
  });
});
