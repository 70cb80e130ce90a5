/** /api/managedsender/* — permitted and blocked senders, kept in state. */
import { defineRoutes, defineState } from '../types.js';

/** The permitted and blocked senders, keyed by sender and recipient. */
export const managedSenders = defineState('managedsender.entries', () => new Map<string, { id: string; sender: string; to: string; type: string }>());

export default defineRoutes({
  'POST /api/managedsender/permit-or-block-sender': (req, sim) => {
    const senders = managedSenders(sim);
    const data: unknown[] = [];
    const fail = [];
    for (const item of sim.items(req)) {
      const sender = String(item.sender ?? '');
      const to = String(item.to ?? '');
      const action = String(item.action ?? '');
      if (!/^[^@\s]+@[^@\s]+$/.test(sender))
        fail.push(sim.failItem(item, 'err_validation_invalid_email_address', 'The sender email address is invalid', 'sender'));
      else if (!/^[^@\s]+@[^@\s]+$/.test(to))
        fail.push(sim.failItem(item, 'err_validation_invalid_email_address', 'The recipient email address is invalid', 'to'));
      else if (action !== 'permit' && action !== 'block')
        fail.push(sim.failItem(item, 'err_validation_invalid_value', 'action must be permit or block', 'action'));
      else {
        const entry = { id: `MTOKEN:${sim.newId()}`, sender, to, type: action === 'block' ? 'Block' : 'Permit' };
        senders.set(`${sender}\n${to}`, entry);
        data.push(entry);
      }
    }
    return sim.ok(data, fail);
  },
});
