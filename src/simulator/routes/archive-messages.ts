/**
 * /api/archive/get-message-list and /api/archive/get-message-detail — the archive's view of the
 * mail the message-finder module tracks: every delivered tracked email is archived once (with
 * its attachments), plus a few older messages and messages to an alias and to a delegated
 * mailbox. Lists are per mailbox and view (INBOX: the mailbox is a recipient; SENT: the sender),
 * paged, newest first, with Mimecast's documented defaults (one calendar month back to the end
 * of today; includeAliases true, includeDelegates false). Attachment files are registered in
 * archive.ts's file store, so /api/archive/get-file and /api/gateway/message/get-file serve them.
 */
import { createHash } from 'node:crypto';
import { defineRoutes, defineState, type SimContext } from '../types.js';
import { archiveFiles, DEMO_ATTACHMENT_ID, type SimFile } from './archive.js';
import { attachmentContent, DEMO_PHISH_TRACKING_ID, trackedEmails, type Address } from './message-finder.js';
import { endOfTodayUtc, formatMimecastDate, oneCalendarMonthBefore, parseMimecastDate } from '../clock.js';
import { DEFAULT_MAILBOX, isInternal, MAILBOX_ALIASES, MAILBOX_DELEGATES } from '../tenant.js';

/** The archive id of the demo phishing message (its attachment is DEMO_ATTACHMENT_ID). */
export const DEMO_ARCHIVE_MESSAGE_ID =
  'eNpVjs1OwzAQhN9lz6kU53fTGxIHDkiIAxKq1INrbxqrjh1sJ6RUfXccEqGVLES3qf5Xb5FzKm4gWWEY0tXSgYINNgCWPOaALSYCIYk7kHNPCGNEh2smhRX9Nha_QMCLN3LC0dnUMjCqgSjGy7OoxZf5FozTQvhmyW5Gf4xlZXnAEKywXTK25nGLDRIJV_8bkM9b_qxlOA4sSpApG';

export interface SimAttachment {
  id: string;
  filename: string;
  sha256: string;
  size: number;
  extension: string;
  contentType: string;
}

export interface SimArchived {
  id: string;
  messageId: string;
  subject: string;
  from: Address;
  to: Address[];
  cc: Address[];
  received: string;
  size: number;
  route: string;
  attachments: SimAttachment[];
}

const HOUR = 3_600_000;

function archiveId(seed: string): string {
  const h = Buffer.concat([0, 1, 2].map((i) => createHash('sha512').update(`archive:${seed}#${i}`).digest())).toString('base64url');
  return `eNpVjs1O${h.slice(0, 170)}`;
}

const addr = (emailAddress: string, displayableName = ''): Address => ({ displayableName, emailAddress });
const DELIVERED = new Set(['archived', 'delivery', 'bulk_delivery']);

/** Archived messages, newest first. */
export const archivedMessages = defineState('archive.messages', (sim): SimArchived[] => {
  const files = archiveFiles(sim);
  const register = (id: string, f: SimFile) => {
    if (!files.has(id)) files.set(id, f);
  };
  const list: SimArchived[] = [];

  for (const t of trackedEmails(sim)) {
    const r = t.record;
    if (!DELIVERED.has(r.status)) continue;
    const phish = r.id === DEMO_PHISH_TRACKING_ID;
    const id = phish ? DEMO_ARCHIVE_MESSAGE_ID : archiveId(r.id);
    const attachments: SimAttachment[] = [];
    if (t.attachment && t.attachmentContent) {
      const attId = phish ? DEMO_ATTACHMENT_ID : archiveId(`${r.id}:att`);
      register(attId, { name: t.attachment.name, contentType: t.attachment.mimeType, content: t.attachmentContent });
      attachments.push({
        id: attId,
        filename: t.attachment.name,
        sha256: t.attachment.hash,
        size: t.attachment.size,
        extension: t.attachment.extension,
        contentType: t.attachment.mimeType,
      });
    }
    list.push({
      id,
      messageId: t.messageId,
      subject: r.subject,
      from: addr(r.fromHdr.emailAddress, r.fromHdr.displayableName),
      to: r.to.map((x) => ({ ...x })),
      cc: [],
      received: r.received,
      size: 4_000 + attachments.reduce((n, a) => n + a.size, 0),
      route: r.route,
      attachments,
    });
  }

  // Older mail (outside the default one-month window) and mail to an alias and a delegated mailbox.
  const now = sim.now().getTime();
  const extra: { hoursAgo: number; from: string; name: string; to: string; subject: string; attachment?: string }[] = [
    { hoursAgo: 45 * 24, from: 'user2@example.com', name: 'User 2', to: 'user1@example.com', subject: 'Kick-off notes (last quarter)' },
    { hoursAgo: 60 * 24, from: 'user1@example.com', name: 'User 1', to: 'user2@example.com', subject: 'Re: Kick-off notes (last quarter)' },
    {
      hoursAgo: 70,
      from: 'newsletter@industry-news.example.org',
      name: 'Industry News',
      to: 'first.user@example.com',
      subject: 'This week in email security',
    },
    {
      hoursAgo: 30,
      from: 'ap@supplier.example.com',
      name: 'Supplier AP',
      to: 'finance@example.com',
      subject: 'Remittance advice 2291',
      attachment: 'remittance-2291.pdf',
    },
  ];
  for (const [i, e] of extra.entries()) {
    const seed = `extra-${i}-${e.subject}`;
    const attachments: SimAttachment[] = [];
    if (e.attachment) {
      const content = attachmentContent(e.attachment, 9_000 + i * 101);
      const attId = archiveId(`${seed}:att`);
      register(attId, { name: e.attachment, contentType: 'application/pdf', content });
      attachments.push({
        id: attId,
        filename: e.attachment,
        sha256: createHash('sha256').update(content).digest('hex'),
        size: content.length,
        extension: 'pdf',
        contentType: 'application/pdf',
      });
    }
    list.push({
      id: archiveId(seed),
      messageId: `<${createHash('md5').update(seed).digest('hex').slice(0, 20)}@${e.from.split('@')[1]}>`,
      subject: e.subject,
      from: addr(e.from, e.name),
      to: [addr(e.to)],
      cc: [],
      received: formatMimecastDate(new Date(now - e.hoursAgo * HOUR)),
      size: 3_500 + attachments.reduce((n, a) => n + a.size, 0),
      route: isInternal(e.from) ? 'internal' : 'inbound',
      attachments,
    });
  }
  return list.sort((a, b) => parseMimecastDate(b.received) - parseMimecastDate(a.received));
});

/** The attachment files (archive.ts's store, with every archived attachment registered). */
export function attachmentFiles(sim: SimContext): Map<string, SimFile> {
  archivedMessages(sim);
  return archiveFiles(sim);
}

const lc = (v: string) => v.trim().toLowerCase();

function listRow(m: SimArchived) {
  return {
    id: m.id,
    subject: m.subject,
    from: { ...m.from },
    to: m.to.map((x) => ({ ...x })),
    received: m.received,
    size: m.size,
    attachmentCount: m.attachments.length,
  };
}

function detail(m: SimArchived) {
  const headers = [
    {
      name: 'Received',
      values: [
        `from ${m.route === 'inbound' ? `mail.${m.from.emailAddress.split('@')[1]}` : 'exchange.example.com'} by relay.mimecast.com with ESMTPS; ${m.received}`,
      ],
    },
    { name: 'From', values: [m.from.displayableName ? `${m.from.displayableName} <${m.from.emailAddress}>` : m.from.emailAddress] },
    { name: 'To', values: [m.to.map((x) => x.emailAddress).join(', ')] },
    { name: 'Subject', values: [m.subject] },
    { name: 'Message-ID', values: [m.messageId] },
    { name: 'Date', values: [m.received] },
    { name: 'MIME-Version', values: ['1.0'] },
  ];
  return {
    id: m.id,
    subject: m.subject,
    from: { ...m.from },
    to: m.to.map((x) => ({ ...x })),
    cc: m.cc.map((x) => ({ ...x })),
    replyTo: { ...m.from },
    envelopeFrom: { displayableName: '', emailAddress: m.from.emailAddress },
    headerDate: m.received,
    processed: m.received,
    size: m.size,
    hasHtmlBody: true,
    headers,
    attachments: m.attachments.map((a) => ({ ...a })),
  };
}

export default defineRoutes({
  'POST /api/archive/get-message-list': (req, sim) => {
    const item = sim.items(req)[0] ?? {};
    if (item.view === undefined) return sim.ok([], [sim.failItem(item, 'err_validation_blank', 'The view field must not be blank', 'view')]);
    if (item.view !== 'INBOX' && item.view !== 'SENT')
      return sim.ok([], [sim.failItem(item, 'err_validation_invalid_value', 'view must be one of: INBOX, SENT', 'view')]);
    for (const k of ['start', 'end'] as const) {
      if (item[k] !== undefined && Number.isNaN(parseMimecastDate(item[k])))
        return sim.ok([], [sim.failItem(item, 'err_validation_invalid_date', `${k} is not a valid date`, k)]);
    }
    // Mimecast's documented defaults: the last calendar month, to the end of the current day.
    const start = item.start === undefined ? oneCalendarMonthBefore(sim.now()).getTime() : parseMimecastDate(item.start);
    const end = item.end === undefined ? endOfTodayUtc(sim.now()).getTime() : parseMimecastDate(item.end);
    const mailbox = lc(typeof item.mailbox === 'string' ? item.mailbox : DEFAULT_MAILBOX);
    const boxes = new Set([mailbox]);
    if (item.includeAliases !== false) for (const a of MAILBOX_ALIASES[mailbox] ?? []) boxes.add(a);
    if (item.includeDelegates === true) for (const d of MAILBOX_DELEGATES[mailbox] ?? []) boxes.add(d);
    const rows = archivedMessages(sim).filter((m) => {
      const t = parseMimecastDate(m.received);
      if (t < start || t > end) return false;
      if (item.view === 'SENT') return boxes.has(lc(m.from.emailAddress));
      return [...m.to, ...m.cc].some((x) => boxes.has(lc(x.emailAddress)));
    });
    return sim.page(req, rows.map(listRow));
  },

  'POST /api/archive/get-message-detail': (req, sim) => {
    const item = sim.items(req)[0] ?? {};
    const id = typeof item.id === 'string' ? item.id : '';
    if (!id) return sim.ok([], [sim.failItem(item, 'err_validation_blank', 'The id field must not be blank', 'id')]);
    const m = archivedMessages(sim).find((x) => x.id === id);
    if (!m) return sim.ok([], [sim.failItem(item, 'err_message_not_found', 'The message could not be found', 'id')]);
    return sim.ok([detail(m)]);
  },
});
