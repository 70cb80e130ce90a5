/**
 * Web Security block/allow list policies (/api/policy/webwhiteurl/*-policy-with-targets): the
 * request item of create and update, and what their summaries say. The policy scopes are the
 * shared policy object (checkPolicy / toMimecastPolicy in policy.ts); the URL list is this
 * family's own: [{ action: allow|block, type: url|domain, value, id? }].
 */
import { ConnectorError, inputError } from '../base/errors.js';
import type { WebUrl } from '../generated/types.js';
import { plural } from './action.js';
import { joinPath } from './normalize.js';
import { checkPolicy, toMimecastPolicy, type MimecastPolicy, type PolicyInput } from './policy.js';

/**
 * The scopes as Mimecast takes them, each checked first (errors name policies[i]...). An update
 * names what it changes, so there a scope without any key (e.g. only blanks, which the
 * normaliser drops) is refused rather than sent as {}.
 */
export function webPolicyScopes(policies: PolicyInput[], field: string, o: { update?: boolean } = {}): MimecastPolicy[] {
  policies.forEach((p, i) => {
    if (o.update && Object.keys(p).length === 0)
      throw inputError(joinPath(field, i), 'must name at least one scoping detail to update (e.g. {"enabled": false})');
    checkPolicy(p, joinPath(field, i));
  });
  return policies.map(toMimecastPolicy);
}

/** Domains compare in any letter case; a URL's path may be case-sensitive, so URLs compare as given. */
const urlKey = (u: WebUrl): string => `${u.type}|${u.type === 'domain' ? u.value.trim().toLowerCase() : u.value.trim()}`;

/**
 * The URL list as Mimecast takes it. The same domain or URL twice is refused (naming the second):
 * the list is one set of allow/block entries, and two entries for one value, or an allow and a
 * block of it, leave the policy's effect to chance.
 */
export function webPolicyUrls(urls: WebUrl[], field: string): WebUrl[] {
  const seen = new Map<string, number>();
  urls.forEach((u, i) => {
    const first = seen.get(urlKey(u));
    if (first !== undefined) throw inputError(joinPath(field, i), `repeats ${joinPath(field, first)} (${u.type} ${u.value}); give each domain or URL once`);
    seen.set(urlKey(u), i);
  });
  return urls.map((u) => ({ ...(u.id !== undefined ? { id: u.id } : {}), action: u.action, type: u.type, value: u.value }));
}

/** The one policy record a create, get or update answered with (data[0]). */
export function webPolicyRecord<T>(env: { data?: unknown[] }, path: string, onMissing: 'api_error' | 'not_found'): T {
  const record = Array.isArray(env.data) ? env.data[0] : undefined;
  if (record && typeof record === 'object') return record as T;
  throw onMissing === 'not_found'
    ? new ConnectorError('not_found', `POST ${path}: Mimecast returned no policy for this ID`, {
        hint: 'Check the ID: Get Policy with Targets needs the id that Create Policy with Targets returned.',
      })
    : new ConnectorError('api_error', `POST ${path}: Mimecast reported success but returned no policy`, {
        hint: 'Check Web Security policies in the Administration Console before running the action again.',
      });
}

/** `"Block phishing" (1 scope; 2 URL entries: 2 blocked, 0 allowed)`: a policy as summaries show it. */
export function describeWebPolicy(p: { description?: string; policies?: unknown[]; urls?: { action?: string }[] }): string {
  const urls = Array.isArray(p.urls) ? p.urls : [];
  const blocked = urls.filter((u) => String(u?.action).toLowerCase() === 'block').length;
  const scopes = Array.isArray(p.policies) ? p.policies.length : 0;
  const name = p.description ? `"${p.description}"` : 'without a description';
  return `${name} (${plural(scopes, 'scope')}; ${plural(urls.length, 'URL entry', 'URL entries')}: ${blocked} blocked, ${urls.length - blocked} allowed)`;
}
