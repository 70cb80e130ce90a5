/** In-process use: runAction resolves to the result envelope and does not throw for API or input errors. */
export { runAction, createConnector, prepareInput, exitCodeFor, type Connector, type ResultEnvelope, type RunOptions, type Status } from './runtime/run.js';
export { parseConfig, loadConfig, type InstanceConfig } from './runtime/config.js';
export { ConnectorError, type ErrorType, type ErrorInfo } from './base/errors.js';
export type { Transport, HttpRequest, HttpResponse, StreamResponse } from './client/transport.js';
export { default as manifest } from './generated/manifest.js';
