/** A manifest-bound client for tests of the client layer itself (handlers get theirs from runAction). */
import { Connection, type ActionSession, type ConnectionOptions } from '../../src/client/connection.js';
import type { ActionBinding } from '../../src/client/operations.js';
import type { RetryOptions } from '../../src/client/retry.js';
import { parseConfig } from '../../src/runtime/config.js';

export interface TestSession extends ActionSession {
  connection: Connection;
}

export function boundClient(
  config: Record<string, unknown>,
  binding: Partial<ActionBinding> & Pick<ActionBinding, 'routes'>,
  opts: ConnectionOptions & { retry?: Partial<RetryOptions>; dryRun?: boolean; deadlineMs?: number; maxCalls?: number } = {},
): TestSession {
  const connection = new Connection(parseConfig(config), { tokenCache: 'memory', ...opts });
  const session = connection.session(
    { id: 'test_action', read_only: false, ...binding },
    { retry: opts.retry, dryRun: opts.dryRun, deadlineMs: opts.deadlineMs, maxCalls: opts.maxCalls },
  );
  return { ...session, connection };
}
