/**
 * The transport reaches into undici's internals (src/client/undici.ts) for cold start. Those paths
 * are not undici's public contract, so undici is pinned to one version, and this test says which
 * path an upgrade moved, before the bundle or a proxy run fails on it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadProxyAgent, UNDICI_DEEP_IMPORTS } from '../../src/client/undici.js';

const require = createRequire(import.meta.url);
const pkg = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { version?: string; dependencies?: Record<string, string> };
const installed = pkg(require.resolve('undici/package.json')).version;

/** What each deep import must hand back: its default export's kind. */
const SHAPE: Record<(typeof UNDICI_DEEP_IMPORTS)[number], 'class' | 'function'> = {
  'undici/lib/dispatcher/agent.js': 'class',
  'undici/lib/api/api-request.js': 'function',
  'undici/lib/dispatcher/proxy-agent.js': 'class',
  'undici/lib/dispatcher/dispatcher.js': 'class',
  'undici/lib/api/api-connect.js': 'function',
};

describe('undici deep imports', () => {
  it('undici is pinned to one exact version, the one installed and locked', () => {
    const range = pkg('package.json').dependencies?.undici;
    expect(range).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed).toBe(range);
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { version?: string; dependencies?: Record<string, string> }>;
    };
    expect([lock.packages[''].dependencies?.undici, lock.packages['node_modules/undici'].version]).toEqual([range, range]);
  });

  it('every deep-imported path still exists and exports what the transport uses', async () => {
    const problems: string[] = [];
    for (const path of UNDICI_DEEP_IMPORTS) {
      let loaded: { default?: unknown };
      try {
        loaded = (await import(path)) as { default?: unknown };
      } catch (e) {
        problems.push(
          `undici ${installed} has no ${path} (${(e as Error).message.split('\n')[0]}); src/client/undici.ts imports it: update that path for this version`,
        );
        continue;
      }
      const d = loaded.default;
      const ok = typeof d === 'function' && (SHAPE[path] === 'function' || typeof (d as { prototype?: unknown }).prototype === 'object');
      if (!ok) problems.push(`undici ${installed}: ${path} no longer exports a ${SHAPE[path]} by default; src/client/undici.ts relies on it`);
    }
    expect(problems).toEqual([]);
  });

  it('the ProxyAgent loads, and its dispatchers can open a CONNECT tunnel (Dispatcher#connect is attached)', async () => {
    const ProxyAgent = await loadProxyAgent();
    const agent = new ProxyAgent({ uri: 'http://127.0.0.1:9' });
    expect(typeof (agent as unknown as { connect?: unknown }).connect).toBe('function');
    await agent.close();
  });
});
