/**
 * What tells one group member from another in add/remove-group-member answers. Every member of a
 * group carries the group's id, so the id alone pairs one member's failure with all of them. A sent
 * item and a fail[] key (its echo) are {id: group, emailAddress | domain}; a data entry is
 * {id: the member's own id, folderId: group, emailAddress | domain}.
 */
export function memberIdentity(x: Record<string, unknown>): string | undefined {
  const group = x.folderId ?? x.id;
  const member = x.emailAddress ?? x.domain;
  if (typeof group !== 'string') return undefined;
  if (typeof member !== 'string') return `${group}\n`;
  return `${group}\n${x.emailAddress === undefined ? 'domain' : 'email'}\n${member.toLowerCase()}`;
}
