/**
 * The manifest's tool hints: every write declares destructive and idempotent (an MCP client takes a
 * missing destructiveHint as true), a read neither; the manifest rules refuse anything else.
 */
import manifest from '../../src/generated/manifest.js';
import { checkAction, checkToolHints } from '../../scripts/manifest-checks.mjs';

const write = manifest.actions.release_held_message;
const read = manifest.actions.search_groups;

it('every write of the manifest declares both hints, and no read does', () => {
  for (const a of Object.values(manifest.actions)) expect(checkToolHints(a.id, a)).toEqual([]);
  expect(write).toMatchObject({ destructive: true, idempotent: true });
  expect(manifest.actions.add_group_member).toMatchObject({ destructive: false });
});

it('a write without a hint, or a read with one, is a problem of the manifest rules', () => {
  const { destructive: _d, ...noDestructive } = write;
  expect(checkAction(write.id, noDestructive, manifest.actions, manifest.contains_types)).toContain(
    'manifest/actions/release_held_message.json: a write declares "destructive" as true or false (is undefined)',
  );
  expect(checkToolHints(write.id, { ...write, idempotent: 'yes' })).toEqual([
    'manifest/actions/release_held_message.json: a write declares "idempotent" as true or false (is "yes")',
  ]);
  expect(checkToolHints(read.id, { ...read, destructive: false })).toEqual([
    'manifest/actions/search_groups.json: a read-only action declares no "destructive" (it changes nothing)',
  ]);
});
