/**
 * /api/email/get-email-queues — inbound and outbound queue counts over a period
 * (data[0].inboundEmailQueue[] / outboundEmailQueue[] of {date, count}). Synthetic and
 * deterministic: hourly samples for periods up to two days, daily samples beyond, at most the
 * 60 most recent samples of the period.
 */
import { defineRoutes } from '../types.js';
import { formatMimecastDate, parseMimecastDate } from '../clock.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_SAMPLES = 60;

/** A queue depth that follows the working day, with a little deterministic jitter. */
function depth(t: number, base: number): number {
  const hour = new Date(t).getUTCHours();
  const busy = hour >= 8 && hour <= 18 ? 3 : 1;
  return base * busy + ((Math.floor(t / HOUR) * 7919) % 11);
}

export default defineRoutes({
  'POST /api/email/get-email-queues': (req, sim) => {
    const item = sim.items(req)[0] ?? {};
    for (const k of ['start', 'end'] as const) {
      if (item[k] === undefined || item[k] === null || item[k] === '')
        return sim.ok([], [sim.failItem(item, 'err_validation_null', `${k} must not be null`, k)]);
      if (Number.isNaN(parseMimecastDate(item[k]))) return sim.ok([], [sim.failItem(item, 'err_validation_invalid_date', `${k} is not a valid date`, k)]);
    }
    const start = parseMimecastDate(item.start);
    const end = parseMimecastDate(item.end);
    if (end < start) return sim.ok([], [sim.failItem(item, 'err_validation_invalid_date_range', 'end must not be before start', 'end')]);
    const step = end - start <= 2 * DAY ? HOUR : DAY;
    const first = Math.max(Math.ceil(start / step) * step, Math.floor(end / step) * step - (MAX_SAMPLES - 1) * step);
    const inbound: { date: string; count: number }[] = [];
    const outbound: { date: string; count: number }[] = [];
    for (let t = first; t <= end; t += step) {
      inbound.push({ date: formatMimecastDate(new Date(t)), count: depth(t, 12) });
      outbound.push({ date: formatMimecastDate(new Date(t)), count: depth(t + HOUR, 4) });
    }
    return sim.ok([{ inboundEmailQueue: inbound, outboundEmailQueue: outbound }]);
  },
});
