/** What the CLI's commands share: stdout for results, a refused invocation, and the run options the environment sets. */
import { ConnectorError } from '../base/errors.js';
import { errLine, redactValue } from '../base/log.js';
import { isLoopbackHost } from '../runtime/config.js';
import { clockFromEnv } from '../runtime/dates.js';
import type { ResultEnvelope, RunOptions } from '../runtime/run.js';
import type { InvocationError } from './args.js';

/** Masked as a value, then written: masking the text could break its JSON or rename the envelope's keys. */
export function out(value: unknown): void {
  process.stdout.write(JSON.stringify(redactValue(value), null, 2) + '\n');
}

export function failedEnvelope(action: string, e: ConnectorError): ResultEnvelope {
  return { status: 'failed', action, summary: `Failed: ${e.message}`, data: null, failures: [], error: e.toInfo(), meta: { requests: 0, duration_ms: 0 } };
}

/**
 * A run against the simulator (--simulator, or a loopback base URL) keeps the simulator's clock
 * when MIMECAST_SIMULATOR_NOW fixes it, so the action's default date window and the simulator's
 * records agree. A run against a tenant keeps the real clock, whatever the environment says.
 */
export function simulatorClock(baseUrl: string, env: NodeJS.ProcessEnv = process.env): RunOptions {
  if (!isLoopbackHost(new URL(baseUrl).hostname)) return {};
  const clock = clockFromEnv(env);
  return clock ? { now: () => clock().getTime() } : {};
}

/** MIMECAST_TOKEN_CACHE=memory keeps the token in this process only (no cache file); `file` is the default. */
export function tokenCacheOption(): RunOptions {
  const mode = process.env.MIMECAST_TOKEN_CACHE;
  if (mode === undefined || mode === '' || mode === 'file') return {};
  if (mode === 'memory') return { tokenCache: 'memory' };
  throw new ConnectorError('config_error', `MIMECAST_TOKEN_CACHE must be "memory" or "file" (got ${JSON.stringify(mode.slice(0, 40))})`, {
    hint: 'Unset it to share one encrypted token cache between steps, or set it to memory to write no cache file.',
  });
}

/**
 * A refused invocation, exit 2. run and test-connectivity answer with a failed result envelope
 * on stdout (a playbook reads it like any other result); other commands write to stderr.
 */
export function refuse(e: InvocationError): number {
  if (e.command === 'run' || e.command === 'test-connectivity') {
    out(failedEnvelope(e.command === 'run' ? (e.operand ?? '') : 'test_connectivity', e));
  } else {
    errLine(`error: ${e.message}`);
    if (e.hint) errLine(`hint: ${e.hint}`);
  }
  return 2;
}
