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

export interface ActionManifest {
  id: string;
  name: string;
  description: string;
  /** The Mimecast role permission the app's documentation names for the action. */
  permission?: string;
  read_only: boolean;
  beta: boolean;
  /** Mimecast routes as data: "POST /api/directory/add-group-member". */
  routes: string[];
  /** Per-call item cap of the endpoint, where the action splits lists. */
  chunk_size?: number;
  /** The action that reverses this write (create ↔ delete). */
  undo?: string;
  /** How to undo this write when no single action does, or what to pass to `undo`. */
  undo_note?: string;
  /** The main columns of the output's rows (dotted paths such as "from.emailAddress"), for `run --format table`. */
  columns?: string[];
  /** Output fields a SOAR can pivot on (Splunk SOAR's "contains"). */
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
  versions: { version: string; notes: string }[];
  configuration: { schema: string; order: string[] };
}

export interface Manifest {
  app: AppManifest;
  config: JsonSchema;
  actions: Record<string, ActionManifest>;
}
