/** In-process use: runAction resolves to the result envelope and does not throw for API or input errors. */
export { runAction, prepareInput, exitCodeFor, type ResultEnvelope, type RunOptions, type Status } from './runtime/run.js';
export { parseConfig, loadConfig, type InstanceConfig } from './runtime/config.js';
export { ConnectorError, type ErrorType, type ErrorInfo } from './runtime/errors.js';
export { closeAgents } from './client/transport.js';
export { clearMemoryTokens } from './client/token.js';
export { default as manifest } from './generated/manifest.js';
