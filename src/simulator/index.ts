/**
 * The simulator's public entry: published as `mimecast-connector/simulator` (dist/simulator.js),
 * loaded lazily by the CLI (`simulate`, `demo`, `--simulator`). The connector bundle
 * (dist/index.js, dist/cli.js) never contains the simulator, its fixtures or its demo credentials.
 */
export { startSimulator, SIM_CLIENT_ID, SIM_CLIENT_SECRET, type Simulator, type SimulatorOptions, type RecordedRequest } from './server.js';
export type { Fault } from './types.js';
export { DEMO_ATTACHMENT_ID } from './routes/archive.js';
export { DEMO_GROUP_ID } from './routes/directory.js';
export { DEMO_FALSE_POSITIVE_HELD_ID } from './routes/gateway-hold.js';
export { DEMO_PHISH_MESSAGE_ID, DEMO_PHISH_RECIPIENTS, DEMO_PHISH_SENDER } from './routes/message-finder.js';
export { DEMO_MALICIOUS_SHA256 } from './routes/remediation.js';
/** The click-log state slot (`sim.state(clickLogs)`): the records get-logs serves, for a test or a benchmark to replace. */
export { clickLogs } from './routes/ttp-url.js';
