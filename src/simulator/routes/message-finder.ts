/**
 * /api/message-finder/* — message tracking, stateful: a list of tracked emails seeded from
 * fixtures/api-message-finder-search.json (its record, re-dated into the recent past so the
 * 30-day look-back applies to it) plus synthetic traffic, among it a phishing message from an
 * external sender with an HTML attachment. search filters it the way Mimecast documents
 * (messageId, advancedTrackAndTraceOptions{from,to,subject,senderIP,url}, route[], status[],
 * attachments, start/end); get-message-info answers for any tracked id.
 */
import { createHash } from 'node:crypto';
import searchFixture from '../fixtures/api-message-finder-search.json' with { type: 'json' };
import { defineRoutes, defineState, type SimContext } from '../types.js';
import { archiveFiles, DEMO_ATTACHMENT_ID } from './archive.js';
import { formatMimecastDate, parseMimecastDate } from '../clock.js';

export interface Address {
  displayableName: string;
  emailAddress: string;
}

/** One record of data[0].trackedEmails[], exactly as search returns it. */
export interface TrackedEmail {
  info: string;
  id: string;
  status: string;
  fromEnv: { emailAddress: string };
  fromHdr: Address;
  to: Address[];
  received: string;
  subject: string;
  senderIP: string;
  attachments: boolean;
  route: string;
  sent: string;
  spamScore: number;
  detectionLevel: string;
}

export interface SimTracked {
  record: TrackedEmail;
  /** The internet message id (Message-ID header, with angle brackets). */
  messageId: string;
  /** URLs in the body (for the url filter). */
  urls: string[];
  attachment?: { name: string; extension: string; mimeType: string; size: number; hash: string };
  attachmentContent?: Buffer;
}

/** The phishing message of the demo: external sender, HTML "invoice" attachment, three recipients. */
export const DEMO_PHISH_SENDER = 'billing@malicious-login-3.example.net';
export const DEMO_PHISH_MESSAGE_ID = '<20240611093512.7731.invoice@malicious-login-3.example.net>';
export const DEMO_PHISH_SENDER_IP = '54.243.138.179';
/** Its tracking id: the seed's Get Message Info example ID. */
export const DEMO_PHISH_TRACKING_ID =
  'eNpNj91Og0AQhd9lr0tc2kVoEy8KqZZKWyqtBWJCYJkASZdt9gclxncX1Kg3k0nO-WbOeUcSqBbQlGiBknq3c1ebrSMsFaqlP3vYhyzGqooePVmSNAlL_4m93DTJ_bpbR0G_6VMRPydvhyJKJJzSgLsYfE93_GztHY--FrSmq4bO4iPn7CyuQIutDAPa-ndoghhImVcQqVxpeeyvMGTIBa2bDso_-aBBgz_ka_XlMkGKtb871VJxBoLycmS9U-SaSxNPye2AdyBkw1u0MAeoHQ3f0M-Hr8ZVRg3ItCywmREn60riGHb27042HaaJB3lqjT4FghEDY9sgNplbc4LRxye-SWmI';
export const DEMO_PHISH_RECIPIENTS = ['user1@example.com', 'user2@example.com', 'user3@example.com'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A deterministic Mimecast-looking secure id. */
function trackingId(seed: string): string {
  const h = Buffer.concat([0, 1, 2].map((i) => createHash('sha512').update(`${seed}#${i}`).digest())).toString('base64url');
  return `eNpNj9${h.slice(0, 180)}`;
}

const addr = (emailAddress: string, displayableName = ''): Address => ({ displayableName, emailAddress });

interface Synthetic {
  from: string;
  name?: string;
  to: string[];
  subject: string;
  ip: string;
  route: 'inbound' | 'outbound' | 'internal';
  status: string;
  info: string;
  hoursAgo: number;
  spamScore?: number;
  attachment?: string;
  urls?: string[];
}

/** Ordinary traffic of the last three weeks: every route and every status Mimecast reports. */
const SYNTHETIC: Synthetic[] = [
  {
    from: 'news@vendor-updates.example.org',
    name: 'Vendor Updates',
    to: ['user1@example.com'],
    subject: 'Your monthly product digest',
    ip: '198.51.100.23',
    route: 'inbound',
    status: 'archived',
    info: 'Indexed and archived',
    hoursAgo: 5,
    urls: ['https://vendor-updates.example.org/digest'],
  },
  {
    from: 'user4@example.com',
    name: 'User 4',
    to: ['orders@supplier.example.com'],
    subject: 'PO 4471 confirmation',
    ip: '10.20.0.14',
    route: 'outbound',
    status: 'delivery',
    info: 'Delivered',
    hoursAgo: 9,
    attachment: 'PO-4471.pdf',
  },
  {
    from: 'user5@example.com',
    name: 'User 5',
    to: ['user6@example.com'],
    subject: 'Q3 report draft',
    ip: '10.20.0.15',
    route: 'internal',
    status: 'archived',
    info: 'Indexed and archived',
    hoursAgo: 20,
    attachment: 'Q3-report.xlsx',
  },
  {
    from: 'promo@bulk-mailer.example.info',
    name: 'Mega Deals',
    to: ['user2@example.com'],
    subject: 'You have been selected!!!',
    ip: '203.0.113.77',
    route: 'inbound',
    status: 'held',
    info: 'Held for review - spam',
    hoursAgo: 26,
    spamScore: 18,
    urls: ['http://bulk-mailer.example.info/claim'],
  },
  {
    from: 'ceo@examp1e.com',
    name: 'The CEO',
    to: ['user7@example.com'],
    subject: 'Urgent wire transfer',
    ip: '203.0.113.9',
    route: 'inbound',
    status: 'rejected',
    info: 'Rejected - SPF check failed',
    hoursAgo: 30,
    spamScore: 25,
  },
  {
    from: 'user3@example.com',
    name: 'User 3',
    to: ['nobody@gone.example.net'],
    subject: 'Meeting notes',
    ip: '10.20.0.13',
    route: 'outbound',
    status: 'bounced',
    info: 'Bounced - recipient address rejected',
    hoursAgo: 33,
  },
  {
    from: 'user6@example.com',
    name: 'User 6',
    to: ['partner@slow-mx.example.com'],
    subject: 'Contract redlines',
    ip: '10.20.0.16',
    route: 'outbound',
    status: 'deferred',
    info: 'Deferred - remote server busy, retrying',
    hoursAgo: 1,
    attachment: 'contract-v3.docx',
  },
  {
    from: 'alerts@monitoring.example.org',
    name: 'Monitoring',
    to: ['user8@example.com'],
    subject: 'Disk usage above 90%',
    ip: '198.51.100.40',
    route: 'inbound',
    status: 'accepted',
    info: 'Accepted',
    hoursAgo: 0.2,
  },
  {
    from: 'hr@example.com',
    name: 'HR',
    to: ['user1@example.com', 'user2@example.com', 'user3@example.com', 'user4@example.com'],
    subject: 'Benefits enrolment closes Friday',
    ip: '10.20.0.2',
    route: 'internal',
    status: 'bulk_processing',
    info: 'Bulk processing',
    hoursAgo: 0.5,
  },
  {
    from: 'hr@example.com',
    name: 'HR',
    to: ['user5@example.com', 'user6@example.com', 'user7@example.com', 'user8@example.com'],
    subject: 'Benefits enrolment closes Friday',
    ip: '10.20.0.2',
    route: 'internal',
    status: 'bulk_delivery',
    info: 'Bulk delivery',
    hoursAgo: 0.6,
  },
  {
    from: 'support@saas-tool.example.com',
    name: 'SaaS Tool Support',
    to: ['user4@example.com'],
    subject: 'Ticket #88213 updated',
    ip: '198.51.100.61',
    route: 'inbound',
    status: 'processing',
    info: 'Processing',
    hoursAgo: 0.1,
    urls: ['https://saas-tool.example.com/tickets/88213'],
  },
  {
    from: 'user2@example.com',
    name: 'User 2',
    to: ['user1@example.com'],
    subject: 'Lunch on Thursday?',
    ip: '10.20.0.12',
    route: 'internal',
    status: 'archived',
    info: 'Indexed and archived',
    hoursAgo: 50,
  },
  {
    from: 'invoices@supplier.example.com',
    name: 'Supplier Invoices',
    to: ['user4@example.com'],
    subject: 'Invoice INV-2291',
    ip: '198.51.100.88',
    route: 'inbound',
    status: 'archived',
    info: 'Indexed and archived',
    hoursAgo: 72,
    attachment: 'INV-2291.pdf',
  },
  {
    from: 'user1@example.com',
    name: 'User 1',
    to: ['client@customer.example.net'],
    subject: 'Proposal follow-up',
    ip: '10.20.0.11',
    route: 'outbound',
    status: 'archived',
    info: 'Indexed and archived',
    hoursAgo: 96,
  },
  {
    from: 'noreply@shipping.example.org',
    name: 'Shipping',
    to: ['user5@example.com'],
    subject: 'Your parcel is on its way',
    ip: '198.51.100.95',
    route: 'inbound',
    status: 'archived',
    info: 'Indexed and archived',
    hoursAgo: 140,
    urls: ['https://shipping.example.org/track/1Z999'],
  },
  {
    from: 'security@examp1e-login.example.net',
    name: 'IT Security',
    to: ['user9@example.com'],
    subject: 'Password expires today',
    ip: '203.0.113.51',
    route: 'inbound',
    status: 'held',
    info: 'Held - suspected phishing (URL Protect)',
    hoursAgo: 160,
    spamScore: 12,
    urls: ['http://examp1e-login.example.net/reset'],
  },
  {
    from: 'user7@example.com',
    name: 'User 7',
    to: ['user8@example.com'],
    subject: 'Design review slides',
    ip: '10.20.0.17',
    route: 'internal',
    status: 'archived',
    info: 'Indexed and archived',
    hoursAgo: 220,
    attachment: 'design-review.pptx',
  },
  {
    from: 'events@conference.example.org',
    name: 'Conference',
    to: ['user6@example.com'],
    subject: 'Your ticket for SecCon',
    ip: '198.51.100.120',
    route: 'inbound',
    status: 'archived',
    info: 'Indexed and archived',
    hoursAgo: 300,
  },
  {
    from: 'user8@example.com',
    name: 'User 8',
    to: ['auditor@audit-firm.example.com'],
    subject: 'Audit evidence pack',
    ip: '10.20.0.18',
    route: 'outbound',
    status: 'archived',
    info: 'Indexed and archived',
    hoursAgo: 450,
    attachment: 'evidence.zip',
  },
];

const MIME: Record<string, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  zip: 'application/zip',
  html: 'text/html',
};

/** Deterministic bytes standing in for a synthetic attachment. */
export function attachmentContent(name: string, size: number): Buffer {
  const line = Buffer.from(`${name}: simulated attachment content\n`);
  return Buffer.concat(Array.from({ length: Math.ceil(size / line.length) }, () => line)).subarray(0, size);
}

function attachmentMeta(name: string, content: Buffer, mimeType?: string) {
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  return {
    name,
    extension,
    mimeType: mimeType ?? MIME[extension] ?? 'application/octet-stream',
    size: content.length,
    hash: createHash('sha256').update(content).digest('hex'),
  };
}

/** The phishing attachment's metadata, from the file the archive serves. */
function phishAttachment(sim: SimContext) {
  const f = archiveFiles(sim).get(DEMO_ATTACHMENT_ID);
  const content = f?.content ?? Buffer.alloc(0);
  return { meta: attachmentMeta(f?.name ?? 'invoice_2024.pdf.html', content, 'text/html'), content };
}

/** The tracked emails, newest first. */
export const trackedEmails = defineState('messageFinder.emails', (sim): SimTracked[] => {
  const now = sim.now().getTime();
  const at = (hoursAgo: number) => formatMimecastDate(new Date(now - hoursAgo * HOUR));
  const list: SimTracked[] = [];
  const phish = phishAttachment(sim);

  list.push({
    record: {
      info: 'Indexed and archived',
      id: DEMO_PHISH_TRACKING_ID,
      status: 'archived',
      fromEnv: { emailAddress: DEMO_PHISH_SENDER },
      fromHdr: addr(DEMO_PHISH_SENDER, 'Accounts Payable'),
      to: DEMO_PHISH_RECIPIENTS.map((e) => addr(e)),
      received: at(2),
      subject: 'Overdue invoice - action required',
      senderIP: DEMO_PHISH_SENDER_IP,
      attachments: true,
      route: 'inbound',
      sent: at(2),
      spamScore: 4,
      detectionLevel: 'relaxed',
    },
    messageId: DEMO_PHISH_MESSAGE_ID,
    urls: ['http://malicious-login-3.example.net/verify'],
    attachment: phish.meta,
    attachmentContent: phish.content,
  });

  // The fixture's record, as captured, only re-dated into the last week.
  for (const [i, rec] of searchFixture.data[0].trackedEmails.entries()) {
    list.push({
      record: {
        ...rec,
        to: rec.to.map((t) => ({ ...t })),
        fromEnv: { ...rec.fromEnv },
        fromHdr: { ...rec.fromHdr },
        received: at(120 + i),
        sent: at(120 + i),
      },
      messageId: `<978aeeb7a7bded3d-193351-${i}@nodered-mimecast.hamilton321.net>`,
      urls: [],
    });
  }

  SYNTHETIC.forEach((s, i) => {
    const id = trackingId(`tracked-${i}-${s.subject}`);
    list.push({
      record: {
        info: s.info,
        id,
        status: s.status,
        fromEnv: { emailAddress: s.from },
        fromHdr: addr(s.from, s.name ?? s.from),
        to: s.to.map((e) => addr(e)),
        received: at(s.hoursAgo),
        subject: s.subject,
        senderIP: s.ip,
        attachments: s.attachment !== undefined,
        route: s.route,
        sent: at(s.hoursAgo + 0.01),
        spamScore: s.spamScore ?? 0,
        detectionLevel: 'relaxed',
      },
      messageId: `<${createHash('md5').update(id).digest('hex').slice(0, 20)}@${s.from.split('@')[1]}>`,
      urls: s.urls ?? [],
    });
    if (s.attachment) {
      const content = attachmentContent(s.attachment, 20_000 + i * 1_337);
      Object.assign(list[list.length - 1], { attachment: attachmentMeta(s.attachment, content), attachmentContent: content });
    }
  });
  return list.sort((a, b) => parseMimecastDate(b.record.received) - parseMimecastDate(a.record.received));
});

const lc = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : '');
const bare = (id: string) => id.trim().replace(/^<|>$/g, '').toLowerCase();

/** "from"/"to": an address matches exactly, a domain matches the address's domain. */
function addressMatches(value: string, address: string): boolean {
  const v = lc(value);
  const a = address.toLowerCase();
  if (v.includes('@')) return a === v;
  const domain = a.split('@')[1] ?? '';
  return domain === v || domain.endsWith(`.${v}`);
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

export default defineRoutes({
  'POST /api/message-finder/search': (req, sim) => {
    const item = sim.items(req)[0] ?? {};
    const opts = item.advancedTrackAndTraceOptions as Record<string, unknown> | undefined;
    const hasOpts = opts && typeof opts === 'object' && Object.values(opts).some((v) => v !== undefined && v !== '');
    if (!item.messageId && !hasOpts) {
      return sim.ok(
        [],
        [sim.failItem(item, 'err_track_and_trace_invalid_search_criteria', 'Either messageId or advancedTrackAndTraceOptions must be provided', 'messageId')],
      );
    }
    for (const k of ['start', 'end'] as const) {
      if (item[k] !== undefined && Number.isNaN(parseMimecastDate(item[k])))
        return sim.ok([], [sim.failItem(item, 'err_validation_invalid_date', `${k} is not a valid date`, k)]);
    }
    const now = sim.now().getTime();
    const start = parseMimecastDate(item.start);
    const end = parseMimecastDate(item.end);
    // Message tracking looks back about 30 days (mimecast-api.md gotcha 11).
    if (!Number.isNaN(start) && start < now - 30 * DAY) {
      return sim.ok([], [sim.failItem(item, 'err_track_and_trace_invalid_start_date', 'The start date is outside the permitted tracking range', 'start')]);
    }
    const routes = asList(item.route).map(lc);
    const statuses = asList(item.status).map(lc);
    let rows = trackedEmails(sim).filter(({ record: r, messageId, urls }) => {
      const t = parseMimecastDate(r.received);
      if (!Number.isNaN(start) && t < start) return false;
      if (!Number.isNaN(end) && t > end) return false;
      if (typeof item.messageId === 'string' && bare(messageId) !== bare(item.messageId)) return false;
      if (routes.length && !routes.includes(r.route)) return false;
      if (statuses.length && !statuses.includes(r.status)) return false;
      if (typeof item.attachments === 'boolean' && r.attachments !== item.attachments) return false;
      if (opts) {
        if (opts.from && !addressMatches(String(opts.from), r.fromEnv.emailAddress) && !addressMatches(String(opts.from), r.fromHdr.emailAddress)) return false;
        if (opts.to && !r.to.some((x) => addressMatches(String(opts.to), x.emailAddress))) return false;
        if (opts.subject && !r.subject.toLowerCase().includes(lc(opts.subject))) return false;
        if (opts.senderIP && r.senderIP !== String(opts.senderIP).trim()) return false;
        if (opts.url && !urls.some((u) => u.toLowerCase().includes(lc(opts.url)))) return false;
      }
      return true;
    });
    rows = rows.slice(0, 500);
    return sim.ok([{ trackedEmails: rows.map((t) => t.record) }]);
  },

  'POST /api/message-finder/get-message-info': (req, sim) => {
    const item = sim.items(req)[0] ?? {};
    const id = typeof item.id === 'string' ? item.id : '';
    if (!id) return sim.ok([], [sim.failItem(item, 'err_validation_blank', 'The id field must not be blank', 'id')]);
    const t = trackedEmails(sim).find((e) => e.record.id === id);
    if (!t) return sim.ok([], [sim.failItem(item, 'err_message_not_found', 'The message could not be found', 'id')]);
    return sim.ok([messageInfo(t)]);
  },
});

const DELIVERED = new Set(['archived', 'delivery', 'bulk_delivery']);

/** The get-message-info record of a tracked email, in the shape Mimecast returns. */
export function messageInfo(t: SimTracked): Record<string, unknown> {
  const r = t.record;
  const received = parseMimecastDate(r.received);
  const plus = (s: number) => formatMimecastDate(new Date(received + s * 1000));
  const to = r.to.map((x) => x.emailAddress);
  const inbound = r.route === 'inbound';
  const remoteHost = inbound ? `mail.${r.fromEnv.emailAddress.split('@')[1]}` : 'exchange.example.com';
  const transmissionInfo =
    `<pre>\nReceived: from ${remoteHost} [${r.senderIP}] by relay.mimecast.com with ESMTP with STARTTLS\r\n` +
    `From: ${r.fromHdr.displayableName && r.fromHdr.displayableName !== r.fromHdr.emailAddress ? `${r.fromHdr.displayableName} &lt;${r.fromHdr.emailAddress}&gt;` : r.fromHdr.emailAddress}\r\n` +
    `To: ${to.join(', ')}\r\nSubject: ${r.subject}\r\nMessage-ID: ${t.messageId.replace(/</g, '&lt;').replace(/>/g, '&gt;')}\r\n` +
    `X-Mimecast-Spam-Score: ${r.spamScore}\r\n\n</pre>`;
  const components: Record<string, unknown>[] = [
    {
      type: 'Email Transmission File',
      name: 'transmission.eml',
      extension: 'eml',
      mimeType: 'message/rfc822-stubbed',
      size: 1435,
      hash: createHash('sha256').update(`${r.id}:eml`).digest('hex'),
    },
    {
      type: 'Email Primary Body HTML',
      name: 'body.htm',
      extension: 'htm',
      mimeType: 'text/html',
      size: 1918,
      hash: createHash('sha256').update(`${r.id}:htm`).digest('hex'),
    },
  ];
  if (t.attachment) components.push({ type: 'Email Attachment', ...t.attachment });
  const messageInfo = {
    fromHeader: r.fromHdr.emailAddress,
    fromEnvelope: r.fromEnv.emailAddress,
    to,
    cc: [],
    subject: r.subject,
    sent: r.sent,
    processed: r.received,
    transmissionInfo,
  };
  const policyInfo = [
    { policyType: 'Secure Receipt', policyName: 'Opportunistic TLS', inherited: false },
    { policyType: 'URL Protection', policyName: 'Default Inbound URL Protect Definition', inherited: false },
    { policyType: 'Attachment Protection', policyName: 'Default Inbound Attachment Protect Definition', inherited: false },
    { policyType: 'Spam Scanning', policyName: 'Relaxed Spam Detection', inherited: false },
  ];
  const deliveredMessage = DELIVERED.has(r.status)
    ? Object.fromEntries(
        to.map((rcpt, i) => [
          rcpt,
          {
            messageInfo: { ...messageInfo, route: r.route },
            policyInfo,
            deliveryMetaInfo: {
              deliveryEvent: inbound ? 'Email Delivered via Routing Rule' : 'Email Delivered',
              emailAddress: rcpt,
              messageExpiresIn: 7,
              processingServer: 'eu-mta-12.eu.mimecast.lan',
              transmissionSize: 5754,
              remoteIp: inbound ? '10.20.0.5' : '198.51.100.200',
              remoteHost: inbound ? 'exchange.example.com' : `mx.${rcpt.split('@')[1]}`,
              remoteServerGreeting: '220 ESMTP ready',
              receiptAcknowledgement: '250 OK: message queued',
              transmissionStart: plus(3 + i),
              transmissionEnd: plus(5 + i),
              encryptionInfo: 'TLS',
              components,
            },
          },
        ]),
      )
    : {};
  return {
    recipientInfo: {
      messageInfo,
      recipientMetaInfo: {
        receiptEvent: r.status === 'rejected' ? 'Email Rejected - SPF check failed' : 'Email Received',
        spamEvent: r.status === 'held' ? 'Held - spam' : 'na',
        messageExpiresIn: 7,
        processingServer: 'eu-mta-12.eu.mimecast.lan',
        transmissionSize: 5211,
        binaryEmailSize: 5271,
        remoteIp: r.senderIP,
        remoteHost,
        remoteServerGreeting: `EHLO ${remoteHost}`,
        receiptAcknowledgement: '250 Received OK',
        transmissionStart: plus(-2),
        transmissionEnd: plus(0),
        encryptionInfo: 'TLS',
        components,
      },
    },
    deliveredMessage,
    retentionInfo: {
      currentPurgeDate: plus(30 * 86_400),
      purgeBasedOn: 'original',
      originalPurgeDate: plus(30 * 86_400),
      retentionAdjustmentDays: -1,
      litigationHoldInfo: [],
      fbrStamps: [],
      smartTags: [],
      fbrExpireCheck: [],
      audits: [],
    },
    status: r.status,
    spamInfo: {
      spamScore: r.spamScore,
      detectionLevel: r.detectionLevel,
      spamProcessingDetail: {
        rbl: { allow: true, info: '' },
        greyEmail: true,
        spf: { allow: r.status !== 'rejected', info: r.status === 'rejected' ? 'fail' : 'pass' },
        dkim: { allow: true, info: 'unknown' },
        dmarc: { allow: true, info: 'unknown' },
        permittedSender: { allow: true, info: 'none' },
        managedSender: { allow: true, info: 'unknown' },
      },
    },
    id: r.id,
  };
}
