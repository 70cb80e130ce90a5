/**
 * Input normalisation, driven by the JSON Schemas (the same ones the precompiled validators
 * were built from). It accepts what the documented examples and SOAR forms send:
 * "10" for an Integer, "True" for a Boolean, one value where a List is expected, a JSON string
 * for a List or Key Value field, allowed values in any letter case, and a parameter's label form
 * (x-aliases) beside its canonical key. Empty strings and nulls are dropped (Mimecast rejects
 * them with err_validation_null / err_validation_blank). Dates become Mimecast's form.
 */
import { formatMimecastDate, parseIsoDate } from './dates.js';
import { ConnectorError, inputError, type ErrorType } from '../base/errors.js';
import type { JsonSchema } from '../base/manifest-types.js';

export type { JsonSchema };

const typesOf = (schema: JsonSchema): string[] => (schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type]);

export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

function parseJsonText(text: string, path: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw inputError(path || 'input', `must be ${what}; the text given is not valid JSON`);
  }
}

/** Returns a normalised copy of value; throws input_error for values that cannot be read. */
export function normalize(schema: JsonSchema, value: unknown, path = ''): unknown {
  const types = typesOf(schema);
  if (types.includes('array')) {
    let v = value;
    if (typeof v === 'string' && v.trim().startsWith('[')) v = parseJsonText(v, path, 'a list');
    // A form's "hold, bounce" for a list of allowed values: split on commas (values never hold one).
    if (typeof v === 'string' && schema.items?.enum && v.includes(','))
      v = v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    if (!Array.isArray(v)) v = [v];
    const items = schema.items;
    return items ? (v as unknown[]).map((item, i) => normalize(items, item, joinPath(path, i))) : v;
  }
  if (types.includes('object') && !types.includes('string')) {
    let v = value;
    if (typeof v === 'string' && v.trim().startsWith('{')) v = parseJsonText(v, path, 'a JSON object');
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return normalizeObject(schema, v as Record<string, unknown>, path);
  }
  if (typeof value === 'string') {
    // White space alone is no value: it is read as empty, so the schema's "must not be empty" applies.
    if (value.trim() === '') return '';
    if (types.includes('integer') || types.includes('number')) {
      const t = value.trim();
      if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
      return value;
    }
    if (types.includes('boolean')) {
      const t = value.trim().toLowerCase();
      if (t === 'true' || t === 'yes' || t === '1') return true;
      if (t === 'false' || t === 'no' || t === '0') return false;
      return value;
    }
    if (schema.enum) {
      const lower = value.trim().toLowerCase();
      const hit = schema.enum.find((e) => typeof e === 'string' && e.toLowerCase() === lower);
      if (hit !== undefined) return hit;
      return value;
    }
    if (schema['x-format'] === 'mimecast-date') {
      const d = parseIsoDate(value);
      if (!d) throw inputError(path || 'input', `is not a valid ISO 8601 date-time: "${value}" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)`);
      return formatMimecastDate(d);
    }
    return value;
  }
  if ((typeof value === 'number' || typeof value === 'boolean') && types.length === 1 && types[0] === 'string') {
    return String(value);
  }
  // 1 and 0 for a Boolean, as "1" and "0" are read.
  if (typeof value === 'number' && types.includes('boolean') && !types.includes('number') && !types.includes('integer') && (value === 0 || value === 1)) {
    return value === 1;
  }
  return value;
}

/** No value at all: null, undefined, or a string of nothing but white space. */
const isBlank = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** Keys that would reach an object's prototype instead of the object. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Key and alias → canonical key, per object schema (built once: schemas never change at run time). */
const canonicalKeys = new WeakMap<JsonSchema, Map<string, string>>();

function canonicalOfSchema(schema: JsonSchema): Map<string, string> {
  let map = canonicalKeys.get(schema);
  if (!map) {
    map = new Map<string, string>();
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      map.set(key, key);
      for (const alias of sub['x-aliases'] ?? []) map.set(alias, key);
    }
    canonicalKeys.set(schema, map);
  }
  return map;
}

function normalizeObject(schema: JsonSchema, input: Record<string, unknown>, path: string): Record<string, unknown> {
  const props = schema.properties ?? {};
  const out: Record<string, unknown> = {};
  const canonicalOf = canonicalOfSchema(schema);
  // Keys are matched exactly, then through the alias table (x-aliases); unknown keys are left
  // for the validator to name.
  for (const [rawKey, raw] of Object.entries(input)) {
    if (PROTOTYPE_KEYS.has(rawKey)) throw inputError(joinPath(path, rawKey), 'is not an allowed key');
    if (isBlank(raw)) continue;
    const key = canonicalOf.get(rawKey) ?? rawKey;
    if (key !== rawKey && Object.prototype.hasOwnProperty.call(input, key) && !isBlank(input[key])) {
      throw inputError(joinPath(path, key), `was given twice (as "${key}" and as "${rawKey}"); give it once`);
    }
    const sub = props[key];
    out[key] = sub ? normalize(sub, raw, joinPath(path, key)) : raw;
  }
  return out;
}

/** Minimal shape of an ajv error (verbose mode). */
export interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  schema?: unknown;
  parentSchema?: JsonSchema;
}

export function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

const article = (t: string): string => (t === 'integer' || t === 'object' || t === 'array' ? `an ${t === 'array' ? 'list' : t}` : `a ${t}`);

const PRIORITY: Record<string, number> = { additionalProperties: 0, required: 1, type: 2, enum: 3, anyOf: 5, oneOf: 5 };

/** The error a person should see first: unknown keys, then missing ones, then wrong types... */
export function pickAjvError(errors: AjvError[]): AjvError {
  const outer = errors.filter((e) => !/\/(anyOf|oneOf)\/\d+\//.test(String((e as { schemaPath?: string }).schemaPath ?? '')));
  const pool = outer.length ? outer : errors;
  return [...pool].sort((a, b) => (PRIORITY[a.keyword] ?? 4) - (PRIORITY[b.keyword] ?? 4))[0];
}

/** Turns the first ajv error into a sentence that names the parameter and the reason. */
export function describeAjvError(err: AjvError, type: ErrorType = 'input_error', root = 'input'): ConnectorError {
  const path = pointerToPath(err.instancePath);
  const where = path || root;
  const custom = err.parentSchema?.['x-error'];
  let field = where;
  let reason: string;
  switch (err.keyword) {
    case 'required': {
      const missing = String(err.params.missingProperty);
      field = joinPath(path, missing);
      // A conditional requirement (if/then) says why in its x-error: "is required when search_by is url".
      reason = custom ?? 'is required';
      break;
    }
    case 'type': {
      const t = String(err.params.type).split(',')[0];
      reason = `must be ${article(t)}`;
      break;
    }
    case 'enum':
      reason = `must be one of: ${(err.params.allowedValues as unknown[]).join(', ')}`;
      break;
    case 'additionalProperties': {
      const allowed = Object.keys(err.parentSchema?.properties ?? {});
      reason = `has an unknown key "${String(err.params.additionalProperty)}"${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`;
      break;
    }
    case 'minItems':
      reason = Number(err.params.limit) === 1 ? 'must have at least one item' : `must have at least ${err.params.limit} items`;
      break;
    case 'maxItems':
      reason = `accepts at most ${err.params.limit} items`;
      break;
    case 'minLength':
      reason = Number(err.params.limit) === 1 ? 'must not be empty' : `must be at least ${err.params.limit} characters`;
      break;
    case 'maxLength':
      reason = `must be at most ${err.params.limit} characters`;
      break;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      reason = `must be ${err.params.comparison} ${err.params.limit}`;
      break;
    case 'anyOf':
    case 'oneOf': {
      const branches = Array.isArray(err.schema) ? (err.schema as JsonSchema[]) : [];
      const needs = branches.every((b) => Array.isArray(b.required) && Object.keys(b).length === 1)
        ? branches.map((b) => (b.required as string[]).join(' + '))
        : [];
      reason = custom ?? (needs.length ? `needs one of: ${needs.join(', ')}` : 'does not match any allowed form');
      break;
    }
    default:
      reason = custom ?? err.message ?? 'is invalid';
  }
  if (custom && err.keyword !== 'required' && err.keyword !== 'anyOf' && err.keyword !== 'oneOf') reason = custom;
  return new ConnectorError(type, `${field} ${reason}`, { field });
}
