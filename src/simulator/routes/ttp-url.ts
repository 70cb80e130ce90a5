/** /api/ttp/url/* — URL protection click logs (synthetic, deterministic, paged). */
import { defineRoutes, defineState } from '../types.js';
import { formatMimecastDate, parseMimecastDate, recentTimes } from '../clock.js';
import { defineOrigin, withLive, type LiveHost } from './live.js';

export interface ClickLog {
  action: string;
  adminOverride: string;
  category: string;
  date: string;
  route: string;
  scanResult: string;
  url: string;
  userAwarenessAction: string;
  userEmailAddress: string;
  userOverride: string;
}

/** 240 click logs: half since 00:00 UTC today (the action's default window), half in the day before (recentTimes). */
export const clickLogs = defineState('ttp.clickLogs', (sim): ClickLog[] => {
  const times = recentTimes(sim.now(), 240);
  const results = ['clean', 'clean', 'clean', 'malicious', 'suspicious'];
  const routes = ['inbound', 'inbound', 'outbound', 'internal'];
  return Array.from({ length: 240 }, (_, i) => {
    const scanResult = results[i % results.length];
    return {
      action: scanResult === 'clean' ? 'allow' : 'block',
      adminOverride: 'N/A',
      category: scanResult === 'malicious' ? 'Phishing & Fraud' : 'Business',
      date: formatMimecastDate(times[i]),
      route: routes[i % routes.length],
      scanResult,
      url: scanResult === 'clean' ? `https://intranet.example.com/page/${i}` : `http://malicious-login-${i % 7}.example.net/verify`,
      userAwarenessAction: 'n/a',
      userEmailAddress: `user${(i % 9) + 1}@example.com`,
      userOverride: 'None',
    };
  });
});

const clickOrigin = defineOrigin('ttp.clickLogs.origin');
/** A live click every 20 s of the simulator's clock (live.ts), every other one malicious. */
export const LIVE_CLICK_PERIOD_MS = 20_000;

/** The click logs now, oldest first: the seeded 240 and the live ones that have arrived. */
export function clickLogList(sim: LiveHost): ClickLog[] {
  return withLive(
    sim,
    clickLogs(sim),
    clickOrigin,
    LIVE_CLICK_PERIOD_MS,
    (a) => {
      const scanResult = a.n % 2 === 0 ? 'malicious' : 'clean';
      return {
        action: scanResult === 'clean' ? 'allow' : 'block',
        adminOverride: 'N/A',
        category: scanResult === 'malicious' ? 'Phishing & Fraud' : 'Business',
        date: formatMimecastDate(new Date(a.time)),
        route: 'inbound',
        scanResult,
        url: scanResult === 'clean' ? `https://intranet.example.com/live/${a.n}` : `http://live-phish-${a.n}.example.net/login`,
        userAwarenessAction: 'n/a',
        userEmailAddress: `user${(a.n % 9) + 1}@example.com`,
        userOverride: 'None',
      };
    },
    (l) => parseMimecastDate(l.date),
  );
}

export default defineRoutes({
  'POST /api/ttp/url/get-logs': (req, sim) => {
    const item = (sim.items(req)[0] ?? {}) as Record<string, unknown>;
    const from = parseMimecastDate(item.from);
    const to = parseMimecastDate(item.to);
    if (item.from !== undefined && Number.isNaN(from))
      return sim.ok([], [sim.failItem(item, 'err_validation_invalid_date', 'from is not a valid date', 'from')]);
    let rows = clickLogList(sim).filter((l) => {
      const t = parseMimecastDate(l.date);
      return (Number.isNaN(from) || t >= from) && (Number.isNaN(to) || t <= to);
    });
    if (item.route && item.route !== 'all') rows = rows.filter((l) => l.route === item.route);
    if (item.scanResult && item.scanResult !== 'all') rows = rows.filter((l) => l.scanResult === item.scanResult);
    if (item.oldestFirst !== true) rows = [...rows].reverse();
    return sim.page(req, rows, (page) => [{ clickLogs: page }]);
  },
});
