/**
 * Which actions the server serves as tools: every action but generic_action, or exactly those
 * `--tools` names (generic_action only so), less those `--exclude-tools` names; `--read-only` then
 * drops every write, whatever the lists say. A name that is not an action stops the server at
 * start (fail closed: a misspelt exclusion must not serve what it meant to hide).
 */
import type { ActionManifest } from '../base/manifest-types.js';
import { closest, didYouMean } from '../base/suggest.js';

export interface SelectionFlags {
  readOnly?: boolean;
  /** Comma-separated action ids (--tools). */
  tools?: string;
  /** Comma-separated action ids (--exclude-tools). */
  excludeTools?: string;
}

/** The generic action reaches any path of the API: served only when --tools names it. */
export const OPT_IN_ONLY = 'generic_action';

export type Selection =
  { ids: string[]; /** Writes --tools named that --read-only keeps out. */ dropped: string[] } | { problem: { message: string; hint: string } };

function names(flag: string, value: string, known: string[]): string[] | { message: string; hint: string } {
  const list = value.split(',').map((n) => n.trim());
  const hint = `--${flag} takes action ids separated by commas (see \`mimecast-connector list\`).`;
  if (list.some((n) => n === '')) return { message: `--${flag} ${JSON.stringify(value)} has an empty name`, hint };
  for (const n of list) {
    if (!known.includes(n)) return { message: `--${flag}: unknown action ${JSON.stringify(n.slice(0, 60))}${didYouMean(closest(n, known))}`, hint };
  }
  return [...new Set(list)];
}

export function selectTools(actions: Record<string, ActionManifest>, flags: SelectionFlags): Selection {
  const known = Object.keys(actions).sort();
  let ids = known.filter((id) => id !== OPT_IN_ONLY);
  if (flags.tools !== undefined) {
    const named = names('tools', flags.tools, known);
    if (!Array.isArray(named)) return { problem: named };
    ids = known.filter((id) => named.includes(id));
  }
  if (flags.excludeTools !== undefined) {
    const excluded = names('exclude-tools', flags.excludeTools, known);
    if (!Array.isArray(excluded)) return { problem: excluded };
    ids = ids.filter((id) => !excluded.includes(id));
  }
  const dropped = flags.readOnly ? ids.filter((id) => !actions[id].read_only) : [];
  ids = ids.filter((id) => !dropped.includes(id));
  if (!ids.length) {
    return {
      problem: {
        message: 'no tool is left to serve' + (flags.readOnly ? ' (--read-only serves no write)' : ''),
        hint: 'Name at least one action in --tools that --exclude-tools does not name (and, with --read-only, a read).',
      },
    };
  }
  return { ids, dropped: flags.tools !== undefined ? dropped : [] };
}
