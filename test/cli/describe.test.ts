/**
 * describe's text: the example of every action as a `run` command that a POSIX shell reads
 * back into exactly the documented parameters, and the allowed values and date formats of
 * keys inside list and object parameters.
 */
import { execFileSync } from 'node:child_process';
import { describeParams, describeText, exampleCommands } from '../../src/cli/describe.js';
import manifest from '../../src/generated/manifest.js';

/** The words a POSIX shell makes of a command line (NUL-separated by printf). */
function shellWords(commandLine: string): string[] {
  return execFileSync('sh', ['-c', `printf '%s\\0' ${commandLine}`], { encoding: 'utf8' })
    .split('\0')
    .slice(0, -1);
}

describe('exampleCommands', () => {
  it.each(Object.keys(manifest.actions))('%s: every example pastes into a shell as run <id> --input <the example>', (id) => {
    const example = manifest.actions[id].example ?? [];
    const commands = exampleCommands(id, example);
    expect(commands).toHaveLength(example.length);
    commands.forEach((command, i) => {
      const params = example[i];
      const input = Object.keys(params).length ? ['--input', JSON.stringify(params)] : [];
      expect(shellWords(command)).toEqual(['mimecast-connector', 'run', id, ...input]);
    });
  });

  it('quotes a parameter holding a single quote so the shell gives it back whole', () => {
    const [command] = exampleCommands('create_group', [{ groups_information: [{ description: "Don't trust these senders" }] }]);
    expect(shellWords(command)).toEqual([
      'mimecast-connector',
      'run',
      'create_group',
      '--input',
      `{"groups_information":[{"description":"Don't trust these senders"}]}`,
    ]);
  });
});

describe('describeParams', () => {
  it('shows the allowed values of list items and of keys inside objects, by dotted path', () => {
    const lines = describeParams({
      type: 'object',
      properties: {
        route: { type: 'array', items: { type: 'string', enum: ['internal', 'inbound'] } },
        rules: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              action: { type: 'string', enum: ['permit', 'block'] },
              target: { type: 'object', properties: { type: { type: 'string', enum: ['everyone', 'email_domain'] } } },
            },
          },
        },
        policy: { type: 'object', properties: { fromDate: { type: 'string', 'x-format': 'mimecast-date' } } },
        start: { type: 'string', 'x-format': 'mimecast-date' },
      },
    });
    expect(lines).toEqual([
      '  route: array',
      '      allowed values: internal, inbound',
      '  rules: array',
      '      item keys: action, target',
      '      allowed values of action: permit, block',
      '      allowed values of target.type: everyone, email_domain',
      '  policy: object',
      '      fromDate: ISO 8601, e.g. 2024-10-12T18:30:00Z; sent as 2024-10-12T18:30:00+0000',
      '  start: string',
      '      format: ISO 8601, e.g. 2024-10-12T18:30:00Z; sent as 2024-10-12T18:30:00+0000',
    ]);
  });
});

describe('describeText: everything the manifest knows', () => {
  const lines = (id: string) => describeText(id).split('\n');

  it('a write: permission, its undo action and how to call it, the per-call cap, the output fields with primary and pivot marks, the table columns', () => {
    const text = lines('remove_group_member');
    expect(text).toEqual(
      expect.arrayContaining([
        'Permission: Services | Directory Sync | Edit',
        `Undo: add_group_member (${manifest.actions.remove_group_member.undo_note})`,
        'Per call: at most 10 items per Mimecast call; longer lists are split.',
        `Output: ${manifest.actions.remove_group_member.output.description}`,
        '  a list of records, each with:',
        '    id: string  The Mimecast secure ID of the member entry.',
        '    folderId: string  [primary; pivot: mimecast group id]  The Mimecast secure ID of the group.',
        '    emailAddress: string  [primary; pivot: email]  The member email address (absent for a domain member).',
        'Table columns (run --format table): emailAddress, domain, folderId, then the first other plain fields',
      ]),
    );
  });

  it('a write no action reverses says why; a read says it changes nothing; nested primary and pivot paths are listed', () => {
    expect(lines('reject_held_message')).toContain(`Undo: no action reverses it. ${manifest.actions.reject_held_message.undo_note}`);
    const held = lines('get_hold_message_list');
    expect(held).toEqual(
      expect.arrayContaining([
        'Undo: nothing to undo (it changes nothing).',
        '    from.emailAddress: string  [primary; pivot: email]  The email address.',
        '    fromHeader.emailAddress: string  [pivot: email]  The email address.',
        'Table columns (run --format table): id, from.emailAddress, subject, dateReceived, reason, route',
      ]),
    );
    expect(held.some((l) => l.startsWith('Per call:'))).toBe(false);
  });

  it('an object output: its fields, and key/value table rows with the primary fields first; no permission named says so', () => {
    const generic = lines('generic_action');
    expect(generic).toEqual(
      expect.arrayContaining([
        'Permission: none named (the Generic Action needs the permission of the route it calls)',
        '  an object with:',
        '    status_code: integer  [primary]  The HTTP status of the answer.',
        'Table (run --format table): key/value rows, status_code first',
      ]),
    );
  });

  it.each(Object.keys(manifest.actions))('%s: every output field of the manifest is described, each primary field marked', (id) => {
    const a = manifest.actions[id];
    const text = describeText(id);
    for (const p of a.primary) expect(text).toMatch(new RegExp(`\\n    ${p.replace(/\./g, '\\.')}: [^\\n]*\\[primary`));
    for (const p of Object.keys(a.contains ?? {})) expect(text).toMatch(new RegExp(`\\n    ${p.replace(/\./g, '\\.')}: [^\\n]*pivot: `));
    expect(text).toMatch(/\nUndo: /);
  });
});
