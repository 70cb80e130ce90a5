/**
 * The clock `journal --since` counts back from: MIMECAST_SIMULATOR_NOW only when the configured
 * base URL is loopback (the simulator), as for a run; a tenant's journal always on the real clock.
 */
import { sinceClock } from '../../src/cli/journal.js';

const FIXED = '2000-01-01T00:00:00Z';
const env = { MIMECAST_SIMULATOR_NOW: FIXED };

describe('sinceClock', () => {
  it('a loopback base URL takes the simulated clock', () => {
    expect(sinceClock('http://127.0.0.1:8080', env)).toBe(Date.parse(FIXED));
    expect(sinceClock('http://localhost:9', env)).toBe(Date.parse(FIXED));
  });

  it("a tenant's base URL, none, or a malformed one keeps the real clock whatever the environment says", () => {
    for (const base of ['https://api.services.mimecast.com', undefined, 'not a url']) {
      const before = Date.now();
      const at = sinceClock(base, env);
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(Date.now());
    }
  });

  it('without MIMECAST_SIMULATOR_NOW, loopback too is on the real clock', () => {
    const before = Date.now();
    expect(sinceClock('http://127.0.0.1:8080', {})).toBeGreaterThanOrEqual(before);
  });
});
