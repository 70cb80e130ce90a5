/**
 * The simulated customer: one account whose domains and people every route module shares, so
 * that what one route says about an address (a group member is internal, a held message is
 * inbound, a definition may rewrite it) the others say too.
 */

/** The account's primary domain: its people's mailboxes. */
export const PRIMARY_DOMAIN = 'example.com';

/**
 * The domains the account holds as internal (Administration → Domains). The seed's examples use
 * example.org, orgname.com and sample.com as the customer's own, so they are internal here too.
 */
export const INTERNAL_DOMAINS: readonly string[] = [PRIMARY_DOMAIN, 'example.org', 'orgname.com', 'sample.com', 'corp.com'];

/** Whether an address (name@domain) or a bare domain is of one of the account's internal domains. */
export function isInternal(addressOrDomain: string): boolean {
  const domain = addressOrDomain.includes('@') ? addressOrDomain.slice(addressOrDomain.lastIndexOf('@') + 1) : addressOrDomain;
  return INTERNAL_DOMAINS.includes(domain.toLowerCase());
}

/** The administrators whose actions the audit log records. */
export const ADMINISTRATORS: readonly string[] = ['admin@example.com', 'soc.analyst@example.com', 'user3@example.com', 'user7@example.com'];

/** The mailbox of the API application's user: archive searches that name none list it. */
export const DEFAULT_MAILBOX = 'user1@example.com';
/** Alias addresses per mailbox (archive includeAliases) and the mailboxes it holds delegate rights to (includeDelegates). */
export const MAILBOX_ALIASES: Readonly<Record<string, string[]>> = { [DEFAULT_MAILBOX]: ['first.user@example.com'] };
export const MAILBOX_DELEGATES: Readonly<Record<string, string[]>> = { [DEFAULT_MAILBOX]: ['finance@example.com'] };
