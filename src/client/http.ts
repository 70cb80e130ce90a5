/**
 * What a transport speaks: one request, and its answer read whole or handed back unread. A
 * Transport is injectable (tests, the dry run's recording transport, a platform's own HTTP stack).
 */

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Which attempt of its call this is (1, 2...), for the debug trace; the pipeline sets it. */
  attempt?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON; undefined for an empty body. */
  json?: unknown;
  text: string;
  contentType: string;
}

/** A response whose body has not been read yet (binary downloads). */
export interface StreamResponse {
  status: number;
  headers: Record<string, string>;
  body: NodeJS.ReadableStream & { text(): Promise<string>; dump(): Promise<void> };
}

export interface Transport {
  /** Sends one request and reads the whole body; `what` names the call in errors ("POST /api/x"). */
  send(req: HttpRequest, what: string): Promise<HttpResponse>;
  /** Sends one request and returns the unread body. */
  open(req: HttpRequest, what: string): Promise<StreamResponse>;
  close(): Promise<void>;
  /** The proxy the base URL is reached through, without credentials ("http://proxy:3128"); undefined when direct. */
  readonly proxy?: string;
}
