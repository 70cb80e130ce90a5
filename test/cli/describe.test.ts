/**
 * describe's text: the example of every action as a `run` command that a POSIX shell reads
 * back into exactly the documented parameters, and the allowed values and date formats of
 * keys inside list and object parameters.
 */
import { execFileSync } from 'node:child_process';
import { describeParams, exampleCommands } from '../../src/cli/describe.js';
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
