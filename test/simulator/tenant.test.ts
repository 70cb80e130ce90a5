/**
 * One tenant: the simulator's routes agree on which domains are the account's own. Adding a member
 * reports it internal exactly when an address alteration definition may rewrite to its domain
 * (they once read two different lists), and a held or archived message's route follows the same list.
 */
import { DEMO_GROUP_ID } from '../../src/simulator/routes/directory.js';
import { heldMessages } from '../../src/simulator/routes/gateway-hold.js';
import { INTERNAL_DOMAINS, isInternal } from '../../src/simulator/tenant.js';
import { useSimulator } from '../helpers/sim.js';

describe('the tenant profile', () => {
  const h = useSimulator();

  it.each([...INTERNAL_DOMAINS, 'partner.example.org', 'elsewhere.net'])(
    '%s: a new group member is internal exactly when an address alteration definition may use the domain',
    async (domain) => {
      const added = await h.run('add_group_member', { member_information: [{ id: DEMO_GROUP_ID, emailAddress: `tenant.check@${domain}` }] });
      expect(added.status).toBe('success');
      const definition = await h.run('create_address_alteration_definition', {
        original_address: '@example.com',
        new_address: `@${domain}`,
        address_type: 'envelope_to',
        routing: 'inbound',
      });
      expect({ member_internal: added.data[0].internal, definition: definition.status }).toEqual(
        isInternal(domain) ? { member_internal: true, definition: 'success' } : { member_internal: false, definition: 'failed' },
      );
    },
  );

  it("a held message is INBOUND when its recipient is the tenant's, else OUTBOUND", () => {
    const held = [...heldMessages(h.sim).values()];
    expect(held.length).toBeGreaterThan(0);
    for (const m of held) expect([m.to.emailAddress, m.route]).toEqual([m.to.emailAddress, isInternal(m.to.emailAddress) ? 'INBOUND' : 'OUTBOUND']);
  });
});
