/**
 * The bearer token as a step: each request gets the token (a cached one at once, without a
 * promise), and a 401 gets one refresh and one replay; a 401 to the fresh token is an auth_error.
 * A request marked anonymous (a link on another origin) goes without any credential.
 */
import { ConnectorError } from '../../base/errors.js';
import { refusedFreshToken } from '../answer-errors.js';
import type { TokenCallContext } from '../token.js';
import type { StreamResponse } from '../transport.js';
import type { CallBudget } from './budget.js';
import { derive, type Answer, type AnswerStep } from './step.js';

/** Where the bearer token comes from (the connection's token store, or the dry run's placeholder). */
export interface TokenSource {
  /** A token at hand without waiting, when there is one. */
  cached?(): string | undefined;
  get(ctx: TokenCallContext): Promise<string>;
  invalidate(token: string): void;
}

/**
 * Fetches a token for a request of this run: the token request counts against the run's budget
 * (and is not made once it is spent: the request it is for would be refused anyway).
 */
export function tokenFetcher(tokens: TokenSource, budget: CallBudget, signal: AbortSignal): () => Promise<string> {
  return async () => {
    if (budget.spent) throw budget.refusal('POST /oauth/token');
    try {
      return await tokens.get({ signal, onRequest: () => budget.counted() });
    } catch (e) {
      // Nothing of the action was sent yet: a failed token call is safe to retry for writes too.
      if (e instanceof ConnectorError)
        return Promise.reject(e.with({ retryable: e.type !== 'auth_error' && (e.retryable || e.type === 'timeout'), maybeApplied: false }));
      throw e;
    }
  };
}

/** Releases an answer that is not used: one read whole holds nothing; an unread body is drained. */
function discard(res: Answer): Promise<void> {
  const body = (res as Partial<StreamResponse>).body;
  return body && typeof body.dump === 'function' ? body.dump().catch(() => undefined) : Promise.resolve();
}

export const authStep =
  (tokens: TokenSource, fetchToken: () => Promise<string>): AnswerStep =>
  (next) =>
  async (req) => {
    if (req.anonymous) return next(req);
    // A cached token is used as it is: no promise, no tick.
    let token = tokens.cached?.() ?? (await fetchToken());
    let res = await next(derive(req, { token }));
    if (res.status !== 401) return res;
    await discard(res);
    tokens.invalidate(token);
    token = await fetchToken();
    res = await next(derive(req, { token }));
    if (res.status === 401) {
      const refused = await refusedFreshToken(res);
      await discard(res);
      throw refused;
    }
    return res;
  };
