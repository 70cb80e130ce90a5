/** Shapes of the generated manifest (src/generated/manifest.js, dist/manifest.json). */

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  'x-aliases'?: string[];
  'x-format'?: string;
  'x-field-type'?: string;
  'x-error'?: string;
  [key: string]: unknown;
}

/** What an action does: a console groups actions and asks for approvals by it. */
export type ActionType = 'investigate' | 'contain' | 'correct' | 'generic' | 'test';

export interface ActionManifest {
  id: string;
  name: string;
  type: ActionType;
  description: string;
  /** The Mimecast role permission the app's documentation names for the action. */
  permission?: string;
  read_only: boolean;
  /** A write that removes, blocks, rejects, releases, remediates or changes something (false: it only adds); an MCP tool's destructiveHint. */
  destructive?: boolean;
  /** A write that changes nothing more when called again with the same input; an MCP tool's idempotentHint. */
  idempotent?: boolean;
  beta: boolean;
  /** Mimecast routes as data: "POST /api/directory/add-group-member". */
  routes: string[];
  /** Per-call item cap of the endpoint, where the action splits lists. */
  chunk_size?: number;
  /** The action that reverses this write (create ↔ delete). */
  undo?: string;
  /** How to undo this write when no single action does, or what to pass to `undo`. */
  undo_note?: string;
  /**
   * The output fields that identify a record and tell records apart (dotted paths such as
   * "from.emailAddress"; the first is the record's identifier): `run --format table|csv` shows them
   * first, never cuts the first, and `describe` lists them.
   */
  primary: string[];
  /** The fields a table shows after the primary ones (none of them primary); by default the first scalar keys. */
  columns?: string[];
  /** Output paths a SOAR can pivot on (Splunk SOAR's "contains"): dotted path → types of Manifest.contains_types. */
  contains?: Record<string, string[]>;
  /** The documented example request: a JSON array of parameter objects. */
  example?: Record<string, unknown>[];
  notes?: string;
  input: JsonSchema;
  output: JsonSchema;
}

export interface AppManifest {
  name: string;
  id: string;
  vendor: string;
  category: string;
  version: string;
  api_version: string;
  description: string;
  /** The app's logo, a file beside dist/manifest.json (logo.svg). */
  logo: string;
  versions: { version: string; notes: string }[];
  /** The instance configuration: its JSON Schema (embedded) and the order of its fields in a form. */
  configuration: { schema: JsonSchema; order: string[] };
}

export interface Manifest {
  app: AppManifest;
  /** The pivot types the actions' `contains` use, each with what it means. */
  contains_types: Record<string, string>;
  actions: Record<string, ActionManifest>;
  /** The event streams `poll` reads (manifest/streams/<name>.json). */
  streams: Record<string, StreamManifest>;
}

/**
 * An event stream as data (manifest/streams/<name>.json): where its records come from and how a
 * checkpoint moves over them. `window`: a from/to date window at one-second granularity, paged;
 * `cursor`: an opaque next-page cursor (SIEM's @nextPage) that may hand back part of the last page.
 */
export interface StreamManifest {
  name: string;
  description: string;
  /** "POST /api/ttp/url/get-logs" or "GET /siem/v1/events/cg". */
  route: string;
  cursor: 'window' | 'cursor';
  /** The request's date keys: the window's from and to (a cursor stream's first request: from only). */
  window_fields: { from: string; to?: string };
  /** '' → the records are data[]; 'key' → data[i].key[] (a GET route: the answer's key[]). */
  records: string;
  /** The record's time (a Mimecast date string or epoch milliseconds). */
  time_field: string;
  /** The record's own id field, or "hash": a hash of its canonical JSON. */
  id_field: string;
  /** How far back Mimecast serves this stream. */
  retention_hours: number;
  /** Sent with every request (a default filter such as malicious-only clicks). */
  filter: Record<string, unknown>;
  permission: string;
  /** The schema of one record (schemas/streams/<name>.json, inlined): the `event` of a poll line. */
  record: JsonSchema;
}
