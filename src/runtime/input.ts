/**
 * An action's input, before anything is sent: the action must exist, the input is normalised
 * (the forms SOAR and the CLI send, normalize.ts), validated against its schema (the generated
 * validators), and a date window that ends before it starts is refused, naming the parameter.
 */
import { MAX_JSON_DEPTH, valueTooDeep } from '../base/depth.js';
import { ConnectorError, inputError } from '../base/errors.js';
import type { ActionManifest, JsonSchema } from '../base/manifest-types.js';
import { closest, didYouMean } from '../base/suggest.js';
import manifest from '../generated/manifest.js';
import { registry } from '../generated/registry.js';
import { parseIsoDate } from './dates.js';
import { describeAjvError, normalize, pickAjvError } from './normalize.js';

/** An action's manifest entry; undefined for an unknown id (an own key only: "toString" is not an action). */
export function actionManifest(id: string): ActionManifest | undefined {
  return Object.prototype.hasOwnProperty.call(manifest.actions, id) ? manifest.actions[id] : undefined;
}

/** An action id as shown in a message: quoted, and cut when long (it can be anything a caller passed). */
const showId = (id: unknown): string => JSON.stringify(String(id).length > 60 ? `${String(id).slice(0, 57)}...` : String(id));

/** Validates and normalises an action's input; throws input_error naming the parameter. */
export function prepareInput(actionId: string, input: unknown): Record<string, unknown> {
  const m = actionManifest(actionId);
  const entry = m && Object.prototype.hasOwnProperty.call(registry, actionId) ? registry[actionId] : undefined;
  if (!m || !entry) {
    const ids = Object.keys(manifest.actions);
    throw new ConnectorError(
      'input_error',
      `unknown action ${showId(actionId)}${didYouMean(typeof actionId === 'string' ? closest(actionId, ids) : undefined)}`,
      {
        field: 'action',
        hint: `The ${ids.length} actions are the keys of manifest.actions (\`mimecast-connector list\`).`,
      },
    );
  }
  const raw = input === undefined || input === null ? {} : input;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConnectorError('input_error', 'input must be a JSON object of parameters');
  if (valueTooDeep(raw)) throw new ConnectorError('input_error', `input is nested more than ${MAX_JSON_DEPTH} levels deep`, { field: 'input' });
  const value = normalize(m.input, raw) as Record<string, unknown>;
  if (!entry.validateInput(value)) throw describeAjvError(pickAjvError(entry.validateInput.errors!));
  checkDateOrder(m.input, value);
  return value;
}

/** The date pairs of an action's input: the start of a window and its end. */
const DATE_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['start', 'end'],
  ['from', 'to'],
];

/**
 * One rule for every action with a window (its schema's start/end or from/to dates): an end before
 * the start is the caller's mistake, refused before anything is sent (Mimecast would answer an
 * empty window or an unexplained error). The values are already in Mimecast's form.
 */
function checkDateOrder(schema: JsonSchema, value: Record<string, unknown>): void {
  const props = schema.properties ?? {};
  for (const [from, to] of DATE_PAIRS) {
    if (props[from]?.['x-format'] !== 'mimecast-date' || props[to]?.['x-format'] !== 'mimecast-date') continue;
    const a = value[from];
    const b = value[to];
    if (typeof a !== 'string' || typeof b !== 'string') continue;
    const start = parseIsoDate(a);
    const end = parseIsoDate(b);
    if (start && end && end.getTime() < start.getTime()) throw inputError(to, `(${b}) is before ${from} (${a}); give an ${to} at or after the ${from}`);
  }
}
