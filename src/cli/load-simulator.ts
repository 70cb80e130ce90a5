/**
 * Loads the simulator only when a command needs it. In the bundle, the specifier below is
 * rewritten by build.mjs to "./simulator.js" (dist/simulator.js, a separate file), so a
 * playbook step that runs an action never reads the simulator's code.
 */
export type SimulatorModule = typeof import('../simulator/index.js');

export function loadSimulator(): Promise<SimulatorModule> {
  return import('../simulator/index.js');
}
