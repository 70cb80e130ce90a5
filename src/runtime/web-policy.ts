/**
 * Web Security block/allow list policies (/api/policy/webwhiteurl/*-policy-with-targets): the
 * request item of create and update, and what their summaries say. The policy scopes are the
 * shared policy object (checkPolicy / toMimecastPolicy in policy.ts); the URL list is this
 * family's own: [{ action: allow|block, type: url|domain, value, id? }].
 */
import { ConnectorError, inputError } from '../base/errors.js';
import { plural } from '../base/plural.js';
import type { WebScopeChange, WebUrl } from '../generated/types.js';
import { joinPath } from './normalize.js';
import { checkPolicy, mergeScope, toMimecastPolicy, wholeScope, type MimecastPolicy, type PolicyInput } from './policy.js';

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

/**
 * An update's scope changes, checked before anything is sent: each names a detail to change, a
 * list names the scope of every entry (by id), and no scope is named twice.
 */
export function checkScopeChanges(changes: WebScopeChange[], field: string): void {
  const named = new Map<string, number>();
  changes.forEach((c, i) => {
    const { id, ...scope } = c;
    if (Object.keys(scope).length === 0) throw inputError(joinPath(field, i), 'must name at least one scoping detail to update (e.g. {"enabled": false})');
    checkPolicy(scope, joinPath(field, i));
    if (id === undefined) {
      if (changes.length > 1)
        throw inputError(
          joinPath(joinPath(field, i), 'id'),
          'is required when several scopes are changed: give each entry the id of its scope (policies[].id of Get Policy with Targets)',
        );
      return;
    }
    const first = named.get(id);
    if (first !== undefined)
      throw inputError(joinPath(joinPath(field, i), 'id'), `names the same scope as ${joinPath(field, first)}; give each scope's changes once`);
    named.set(id, i);
  });
}

/** A scope as get-policy-with-targets returns it: { id, policy: {...} }. */
interface ReadScope {
  id?: unknown;
  policy?: unknown;
}

const scopeList = (scopes: { id: string; policy: unknown }[]): string =>
  scopes.map((s) => `${s.id}${isDescribed(s.policy) ? ` ("${s.policy.description}")` : ''}`).join(', ');
const isDescribed = (p: unknown): p is { description: string } =>
  !!p && typeof p === 'object' && typeof (p as { description?: unknown }).description === 'string';

/**
 * Every scope of the policy read, whole and with its id, the changes merged into the scope each
 * names (the only scope when the policy has one and the change names none). Sending a scope
 * partially, or without its id, can reset it (from and to back to everyone).
 */
export function mergedScopes(read: unknown, changes: WebScopeChange[], field: string, policyId: string): (MimecastPolicy & { id: string })[] {
  const raw: ReadScope[] =
    read && typeof read === 'object' && Array.isArray((read as { policies?: unknown }).policies) ? (read as { policies: ReadScope[] }).policies : [];
  const scopes = raw.filter((s): s is { id: string; policy: unknown } => typeof s?.id === 'string' && s.id !== '');
  if (scopes.length !== raw.length || scopes.length === 0) {
    throw new ConnectorError('api_error', `Mimecast returned policy ${policyId} without the ids of its scopes; nothing was updated`, {
      hint: 'Without a scope id an update could reset that scope; check the policy in the Administration Console.',
    });
  }
  const merged = new Map<string, PolicyInput>(scopes.map((s) => [s.id, wholeScope(s.policy)]));
  changes.forEach(({ id, ...change }, i) => {
    const target = id ?? (scopes.length === 1 ? scopes[0].id : undefined);
    if (target === undefined) {
      throw new ConnectorError(
        'not_found',
        `${joinPath(field, i)} names no scope, and policy ${policyId} has ${scopes.length}: ${scopeList(scopes)}; nothing was updated`,
        {
          field: joinPath(joinPath(field, i), 'id'),
          hint: 'Give policies[].id: the id of the scope to change, from Get Policy with Targets.',
        },
      );
    }
    const current = merged.get(target);
    if (!current) {
      throw new ConnectorError(
        'not_found',
        `${joinPath(joinPath(field, i), 'id')} (${target}) is not a scope of policy ${policyId} (its scopes: ${scopeList(scopes)}); nothing was updated`,
        {
          field: joinPath(joinPath(field, i), 'id'),
          hint: 'Copy the scope id from policies[].id of Get Policy with Targets.',
        },
      );
    }
    const next = mergeScope(current, change);
    checkPolicy(next, joinPath(field, i));
    merged.set(target, next);
  });
  return scopes.map((s) => ({ id: s.id, ...toMimecastPolicy(merged.get(s.id)!) }));
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

/** `"Block phishing" (1 scope; 2 URL entries: 2 blocked, 0 allowed)`: a policy as summaries show it. */
export function describeWebPolicy(p: { description?: string; policies?: unknown[]; urls?: { action?: string }[] }): string {
  const urls = Array.isArray(p.urls) ? p.urls : [];
  const blocked = urls.filter((u) => String(u?.action).toLowerCase() === 'block').length;
  const scopes = Array.isArray(p.policies) ? p.policies.length : 0;
  const name = p.description ? `"${p.description}"` : 'without a description';
  return `${name} (${plural(scopes, 'scope')}; ${plural(urls.length, 'URL entry', 'URL entries')}: ${blocked} blocked, ${urls.length - blocked} allowed)`;
}
