/**
 * /api/ttp/url/* — managed URLs (stateful: a created entry is listed by get-all-managed-urls, a
 * second create of the same URL fails with err_managed_url_exists_code) and decode-url.
 * Seeded from fixtures/api-ttp-url-get-all-managed-urls-paginated.json and
 * fixtures/api-ttp-url-create-managed-url.json, topped up to the fixture's totalCount (31).
 */
import created from '../fixtures/api-ttp-url-create-managed-url.json' with { type: 'json' };
import listed from '../fixtures/api-ttp-url-get-all-managed-urls-paginated.json' with { type: 'json' };
import { defineRoutes, defineState } from '../types.js';

export interface ManagedUrl {
  id: string;
  scheme: string;
  domain: string;
  port: number;
  path: string;
  queryString: string;
  matchType: string;
  action: string;
  comment: string;
  disableUserAwareness: boolean;
  disableRewrite: boolean;
  disableLogClick: boolean;
}

/** Encoded → original URL for the rewritten links the simulator knows (the seed's example included). */
const KNOWN_ENCODINGS: Record<string, string> = {
  'https://protect-xx.mimecast.com/': 'https://www.example.com/',
};

export const managedUrls = defineState('ttp.managedUrls', (sim): ManagedUrl[] => {
  const rows: ManagedUrl[] = [...listed.data, ...created.data].map((u) => ({ ...u }));
  for (let i = 0; rows.length < (listed.meta.pagination.totalCount ?? rows.length); i++) {
    const block = i % 3 !== 2;
    rows.push({
      id: sim.newId('wOi3MC'),
      scheme: block ? 'http' : 'https',
      domain: block ? `login-verify-${i + 1}.example.net` : `partner${i + 1}.example.org`,
      port: -1,
      path: block ? '/account/update' : '',
      queryString: '',
      matchType: block ? 'explicit' : 'domain',
      action: block ? 'block' : 'permit',
      comment: block ? `Phishing campaign ${Math.floor(i / 3) + 1}` : 'Trusted partner',
      disableUserAwareness: false,
      disableRewrite: false,
      disableLogClick: false,
    });
  }
  return rows;
});

/** The entry as a URL string (a domain entry is its domain). */
export function urlOf(u: Pick<ManagedUrl, 'scheme' | 'domain' | 'port' | 'path' | 'queryString' | 'matchType'>): string {
  if (u.matchType === 'domain') return u.domain;
  const port = u.port > 0 ? `:${u.port}` : '';
  return `${u.scheme ? `${u.scheme}://` : ''}${u.domain}${port}${u.path}${u.queryString ? `?${u.queryString}` : ''}`;
}

function parseUrl(raw: string): Pick<ManagedUrl, 'scheme' | 'domain' | 'port' | 'path' | 'queryString'> | undefined {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw);
  let u: URL;
  try {
    u = new URL(hasScheme ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
  if (!u.hostname || !/^https?:$/.test(u.protocol)) return undefined;
  const bare = !/^[a-z][a-z0-9+.-]*:\/\/[^/?#]+[/?]/i.test(hasScheme ? raw : `http://${raw}`);
  return {
    scheme: hasScheme ? u.protocol.slice(0, -1) : 'http',
    domain: u.hostname.toLowerCase(),
    port: u.port ? Number(u.port) : -1,
    path: bare ? '' : u.pathname,
    queryString: u.search.replace(/^\?/, ''),
  };
}

const keyOf = (u: Pick<ManagedUrl, 'scheme' | 'domain' | 'port' | 'path' | 'queryString' | 'matchType'>): string =>
  u.matchType === 'domain' ? `domain|${u.domain}` : `explicit|${urlOf(u).toLowerCase()}`;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const bool = (v: unknown): boolean => v === true || v === 'true';

function decode(encoded: string): string | undefined {
  if (KNOWN_ENCODINGS[encoded]) return KNOWN_ENCODINGS[encoded];
  let u: URL;
  try {
    u = new URL(encoded);
  } catch {
    return undefined;
  }
  if (!/^protect(-[a-z0-9]+)?\.mimecast\.com$/i.test(u.hostname)) return undefined;
  // Simulator encoding: https://protect-<region>.mimecast.com/s/<base64url of the original URL>
  const m = /^\/s\/([A-Za-z0-9_-]+)$/.exec(u.pathname);
  if (m) {
    const original = Buffer.from(m[1], 'base64url').toString('utf8');
    if (/^https?:\/\/\S+$/.test(original)) return original;
  }
  const domain = u.searchParams.get('domain');
  return domain ? `https://${domain}/` : undefined;
}

export default defineRoutes({
  'POST /api/ttp/url/create-managed-url': (req, sim) => {
    const rows = managedUrls(sim);
    const data: unknown[] = [];
    const fail = [];
    for (const item of sim.items(req)) {
      const raw = str(item.url).trim();
      const action = str(item.action);
      const matchType = item.matchType === undefined ? 'explicit' : str(item.matchType);
      if (!raw) {
        fail.push(sim.failItem(item, item.url === undefined ? 'err_validation_null' : 'err_validation_blank', 'The url field must not be blank', 'url'));
        continue;
      }
      if (action !== 'permit' && action !== 'block') {
        fail.push(sim.failItem(item, action ? 'err_validation_invalid_value' : 'err_validation_null', 'action must be permit or block', 'action'));
        continue;
      }
      if (matchType !== 'explicit' && matchType !== 'domain') {
        fail.push(sim.failItem(item, 'err_validation_invalid_value', 'matchType must be explicit or domain', 'matchType'));
        continue;
      }
      const parts = parseUrl(raw.replace(/#.*$/, ''));
      if (!parts) {
        fail.push(sim.failItem(item, 'err_validation_invalid_value', 'The URL is invalid', 'url'));
        continue;
      }
      const entry: ManagedUrl = {
        id: sim.newId('wOi3MC'),
        ...(matchType === 'domain' ? { ...parts, path: '', queryString: '', port: -1 } : parts),
        matchType,
        action,
        comment: str(item.comment),
        disableUserAwareness: bool(item.disableUserAwareness),
        disableRewrite: bool(item.disableRewrite),
        disableLogClick: bool(item.disableLogClick),
      };
      if (rows.some((r) => keyOf(r) === keyOf(entry))) {
        fail.push(sim.failItem(item, 'err_managed_url_exists_code', 'The managed URL already exists; to update it, delete and recreate'));
        continue;
      }
      rows.push(entry);
      data.push({ ...entry });
    }
    return sim.ok(data, fail);
  },

  'POST /api/ttp/url/get-all-managed-urls': (req, sim) => {
    const item = (sim.items(req)[0] ?? {}) as Record<string, unknown>;
    let rows = [...managedUrls(sim)];
    const q = str(item.domainOrUrl).toLowerCase();
    if (q) {
      rows = rows.filter((r) => {
        const url = urlOf(r).toLowerCase();
        return bool(item.exactMatch) ? url === q || r.domain === q : url.includes(q) || r.domain.includes(q);
      });
    }
    const c = str(item.domainOrComment).toLowerCase();
    if (c) rows = rows.filter((r) => r.domain.includes(c) || urlOf(r).toLowerCase().includes(c) || r.comment.toLowerCase().includes(c));
    const filters = Array.isArray(item.filterBy) ? (item.filterBy as { fieldName?: unknown; value?: unknown }[]) : [];
    const wanted = new Set(
      filters
        .filter((f) => f && f.fieldName === 'overrideType')
        .map((f) => str(f.value).toLowerCase())
        .filter((v) => v !== 'all'),
    );
    if (wanted.size > 0) rows = rows.filter((r) => wanted.has(r.action === 'block' ? 'blocked' : 'permitted'));
    if (bool(item.sortByUrl)) {
      rows.sort((a, b) => urlOf(a).localeCompare(urlOf(b)));
      if (str(item.sortOrder).toLowerCase() === 'desc') rows.reverse();
    }
    return sim.page(req, rows);
  },

  'POST /api/ttp/url/decode-url': (req, sim) => {
    const data: unknown[] = [];
    const fail = [];
    for (const item of sim.items(req)) {
      const url = str(item.url).trim();
      if (!url) {
        fail.push(sim.failItem(item, item.url === undefined ? 'err_validation_null' : 'err_validation_blank', 'The url field must not be blank', 'url'));
        continue;
      }
      const original = decode(url);
      data.push(original ? { url: original, success: true } : { url, success: false });
    }
    return sim.ok(data, fail);
  },
});
