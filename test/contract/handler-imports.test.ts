/**
 * A handler imports its toolkit (src/runtime/action.ts), its generated types and its generated routes,
 * nothing else: eslint.config.js says so for every file in actions/, so `npm run lint` refuses a handler
 * that reaches into the client, the runtime's modules or a generated file of another kind.
 */
import { readdirSync } from 'node:fs';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });
const HANDLER = 'actions/scratch_handler.ts';

/** The messages of the import rule for a handler with these import lines. */
async function importErrors(imports: string[]): Promise<string[]> {
  const code = `${imports.join('\n')}\nexport const used = [${imports.map((_, i) => `x${i}`).join(', ')}];\n`;
  const [result] = await eslint.lintText(code, { filePath: HANDLER });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

it('a handler may import its toolkit, its generated types and its generated routes', async () => {
  expect(
    await importErrors([
      "import { defineAction as x0 } from '../src/runtime/action.js';",
      "import type { DecodeUrlInput as x1 } from '../src/generated/types.js';",
      "import { DecodeUrlRoutes as x2 } from '../src/generated/routes.js';",
    ]),
  ).toEqual([]);
}, 60_000);

it.each([
  ["import { memberIdentity as x0 } from '../src/runtime/group-member.js';", '../src/runtime/group-member.js'],
  ["import { checkPolicy as x0 } from '../src/runtime/policy.js';", '../src/runtime/policy.js'],
  ["import { ActionClient as x0 } from '../src/client/operations.js';", '../src/client/operations.js'],
  ["import { registry as x0 } from '../src/generated/registry.js';", '../src/generated/registry.js'],
  ["import { readFileSync as x0 } from 'node:fs';", 'node:fs'],
  ["import x0 from './decode_url.js';", './decode_url.js'],
])(
  'a handler may not import anything else: %s',
  async (line, what) => {
    expect(await importErrors([line])).toEqual([
      `'${what}' import is restricted from being used by a pattern. A handler imports only ../src/runtime/action.js (its toolkit), ../src/generated/types.js and ../src/generated/routes.js.`,
    ]);
  },
  60_000,
);

it('every handler in actions/ keeps to it', async () => {
  const files = readdirSync('actions')
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `actions/${f}`);
  const results = await eslint.lintFiles(files);
  expect(results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath}: ${m.message}`))).toEqual([]);
}, 120_000);
