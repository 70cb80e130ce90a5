/**
 * Every address alteration write says how to undo it: an inverse action that exists and is a
 * write itself, or a note when no single action undoes it (Mimecast has no API to delete a set).
 */
import manifest from '../../src/generated/manifest.js';

const actions = manifest.actions;

describe('address alteration undo declarations', () => {
  it.each([
    ['create_address_alteration_set', undefined],
    ['create_address_alteration_definition', 'delete_address_alteration_definition'],
    ['delete_address_alteration_definition', 'create_address_alteration_definition'],
    ['create_address_alteration_policy', 'delete_address_alteration_policy'],
    ['delete_address_alteration_policy', 'create_address_alteration_policy'],
    ['update_address_alteration_policy', 'update_address_alteration_policy'],
  ])('%s is undone by %s', (id, undo) => {
    const m = actions[id];
    expect(m.read_only).toBe(false);
    expect(m.undo).toBe(undo);
    if (undo) expect(actions[undo].read_only).toBe(false);
    expect(m.undo_note).toEqual(expect.stringMatching(/\S.*\.$/));
  });

  it('the reads declare no undo', () => {
    for (const id of ['get_address_alteration_set', 'get_address_alteration_definition', 'get_address_alteration_policy']) {
      expect([id, actions[id].read_only, actions[id].undo, actions[id].undo_note]).toEqual([id, true, undefined, undefined]);
    }
  });
});
