/**
 * The way of one action, and a handler's toolkit: a handler maps input to Mimecast requests and
 * Mimecast data to output. Handlers import from here, their generated types and their generated
 * routes, nothing else (eslint.config.js enforces it): what several handlers share lives behind this module.
 */
import type { InstanceConfig } from '../base/config-types.js';
import type { ActionManifest } from '../base/manifest-types.js';
import { plural } from '../base/plural.js';
import type { FileOutput } from '../client/download.js';
import type { ActionClient, OneOptions } from '../client/operations.js';
import type { AjvError } from './normalize.js';

export { ConnectorError, inputError } from '../base/errors.js';
export { rowsAt, type Failure } from '../client/envelope.js';
export { idsInOneItem } from '../client/operations.js';
export type { ActionClient, FileOutput, OneOptions };
export { plural };
export { dateWindow, endOfTodayUtc, formatMimecastDate, oneCalendarMonthBefore, startOfTodayUtc } from './dates.js';
export { memberIdentity } from './group-member.js';
export { checkPolicy, deletedFlag, getPolicies, policyIds, policyScope, toMimecastPolicy } from './policy.js';
export { checkScopeChanges, describeWebPolicy, mergedScopes, webPolicyScopes, webPolicyUrls } from './web-policy.js';

export interface ActionContext {
  /** The client bound to this action's manifest entry (its routes, read_only, chunk_size). */
  readonly client: ActionClient;
  readonly config: InstanceConfig;
  readonly manifest: ActionManifest;
  /** The moment the run started (date defaults are computed from it). */
  readonly now: Date;
  /** Where binary downloads are written (default: a fresh temp directory). */
  readonly outputDir?: string;
}

export interface ActionOutcome<O> {
  data: O;
  /** One human sentence. */
  summary: string;
}

export type ActionHandler<I = any, O = any> = (input: I, ctx: ActionContext) => Promise<ActionOutcome<O>>;

/** Identity helper that types a handler against its generated input and output types. */
export function defineAction<I, O>(handler: ActionHandler<I, O>): ActionHandler<I, O> {
  return handler;
}

export type ValidateFn = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

export interface RegistryEntry {
  handler: ActionHandler;
  validateInput: ValidateFn;
}

/** Page options shared by the paged actions: page size, page limit, and the page to resume from (page_token). */
export function pageOptions(input: { page_size?: number; no_of_pages?: number; page_token?: string }): {
  pageSize: number;
  maxPages?: number;
  pageToken?: string;
} {
  return { pageSize: input.page_size ?? 100, maxPages: input.no_of_pages, pageToken: input.page_token };
}

/** " (2 pages; more pages are available)": the tail of a paged read's summary. */
export function pagesNote(res: { pages: number; nextPageToken?: string }): string {
  return ` (${plural(res.pages, 'page')}${res.nextPageToken ? '; more pages are available' : ''})`;
}

/**
 * A binary /api/* route that takes one {id}: the file is streamed to the output directory
 * (named by Mimecast, else by fileName, else by the ID's first characters).
 */
export async function downloadById(ctx: ActionContext, path: string, id: string, fileName?: string): Promise<ActionOutcome<FileOutput>> {
  const file = await ctx.client.download(path, { id }, { outputDir: ctx.outputDir, fallbackName: fileName ?? `mimecast-${id.slice(0, 16)}.bin` });
  return { data: file, summary: `Saved ${file.file_name} (${file.size} bytes, sha256 ${file.sha256.slice(0, 12)}…) to ${file.path}.` };
}
