/**
 * /api/gateway/* hold queue — held messages, stateful: the hold summary counts what is held right
 * now, and a message released or rejected leaves both the held list and the summary.
 * Record shape from Mimecast's get-hold-message-list (demisto/content test_data capture); the hold
 * reasons are the policyInfo values of fixtures/api-gateway-get-hold-summary-list.json.
 */
import { createHash } from 'node:crypto';
import summaryFixture from '../fixtures/api-gateway-get-hold-summary-list.json' with { type: 'json' };
import { defineRoutes, defineState, type SimContext, type SimRequest } from '../types.js';
import { formatMimecastDate, parseMimecastDate } from '../clock.js';
import { isInternal } from '../tenant.js';
import { arrivals, type LiveHost } from './live.js';

export interface HeldAddress {
  emailAddress: string;
  displayableName: string;
}

export interface HeldMessage {
  id: string;
  reason: string;
  reasonId: string;
  reasonCode: string;
  from: HeldAddress;
  fromHeader: HeldAddress;
  to: HeldAddress;
  subject: string;
  route: 'INBOUND' | 'OUTBOUND';
  hasAttachments: boolean;
  size: number;
  dateReceived: string;
  policyInfo: string;
}

/** Held message plus what the simulator searches on but Mimecast does not list. */
interface HeldState extends HeldMessage {
  senderIP: string;
}

const [URL_POLICY, SPAM_POLICY, ATTACHMENT_POLICY] = summaryFixture.data.map((d) => d.policyInfo);

const REASONS: Record<string, { reason: string; reasonId: string }> = {
  [SPAM_POLICY]: { reason: 'Message Hold Applied - Spam Signature policy', reasonId: 'MESSAGE_HOLD_APPLIED_SPAM_SIGNATURE_POLICY' },
  [ATTACHMENT_POLICY]: { reason: 'Message Hold Applied - Attachment Management policy', reasonId: 'MESSAGE_HOLD_APPLIED_ATTACHMENT_MANAGEMENT_POLICY' },
  [URL_POLICY]: { reason: 'Message Hold Applied - Outbound URL Protect policy', reasonId: 'MESSAGE_HOLD_APPLIED_OUTBOUND_URL_PROTECT_POLICY' },
};

/** A stable Mimecast-looking secure ID (the same across simulator resets). */
function heldId(n: number): string {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return `eNpVz${Buffer.concat([h(`held:${n}`), h(`held:${n}:b`), h(`held:${n}:c`)]).toString('base64url')}`;
}

/** The ID of the seed's Release / Reject Held Message example requests: held in the simulator. */
export const SEED_EXAMPLE_HELD_ID =
  'eNpNzlsLgjAABeD_stcCl7qZQg-RBrNYVigKQnhZ2WUrL1Mk-u-tt56_czjnDVpWyIZdS-CAAgbjYde9XMK9l6HPbqEp470Y3D6Jljre4rCiUaqF1F3N13eE6n058awJ921SxVaqXfx4Y_Q6HsYRZrwyAlkIAlvLDhLo-fRIs4j4tySX56wjCzAF1aOsf8vI1NEcYXsKOi5-T2Sbd6zhpsr0rGmvTwGcmVJRMqUQYgW1ZJKd_uufL2McP4o';

/** A false positive for the demo: a supplier's genuine remittance advice held as spam. */
export const DEMO_FALSE_POSITIVE_HELD_ID = heldId(0);

type Row = [policy: string, from: string, name: string, to: string, subject: string, attachments: boolean, size: number, ip: string];

// Newest first. Row 0 is the demo's false positive; the seed example ID is row 3.
const ROWS: Row[] = [
  [
    SPAM_POLICY,
    'ap@northwind-traders.com',
    'Northwind Traders Accounts Payable',
    'finance@example.com',
    'Remittance advice - payment of invoice INV-20931',
    true,
    48213,
    '40.107.22.51',
  ],
  [
    SPAM_POLICY,
    'promo@mega-deals-club.biz',
    'Mega Deals Club',
    'j.smith@example.com',
    'You have been selected: claim your $500 gift card today',
    false,
    9812,
    '185.220.101.14',
  ],
  [
    ATTACHMENT_POLICY,
    'billing@invoice-portal-secure.net',
    'Billing Department',
    'accounts@example.com',
    'Overdue invoice 4471 - final notice',
    true,
    1203344,
    '193.42.33.9',
  ],
  [
    SPAM_POLICY,
    'newsletter@crypto-yield-insider.io',
    'Crypto Yield Insider',
    'm.garcia@example.com',
    '300% returns guaranteed - limited seats',
    false,
    15320,
    '45.95.147.20',
  ],
  [URL_POLICY, 'r.chen@example.com', 'Rachel Chen', 'partner@fabrikam.com', 'Shared project files', false, 6120, '10.20.0.14'],
  [SPAM_POLICY, 'no-reply@docusign-notify.co', 'DocuSign', 'hr@example.com', 'Please review and sign: Employee Handbook 2025', false, 22871, '91.234.99.12'],
  [SPAM_POLICY, 'offers@pharma-direct-rx.com', 'Pharma Direct', 'j.smith@example.com', 'Cheap meds shipped overnight', false, 7543, '103.152.118.4'],
  [ATTACHMENT_POLICY, 'scanner@example-mfp.com', 'Office Scanner', 'l.nguyen@example.com', 'Scanned document 20250114.iso', true, 2483012, '80.66.88.201'],
  [
    SPAM_POLICY,
    'support@paypa1-security.com',
    'PayPal Security',
    'finance@example.com',
    'Your account has been limited - verify now',
    false,
    11204,
    '194.26.29.113',
  ],
  [
    SPAM_POLICY,
    'events@webinar-hub.events',
    'Webinar Hub',
    'marketing@example.com',
    'Last chance: free growth-hacking masterclass',
    false,
    18430,
    '51.75.144.37',
  ],
  [URL_POLICY, 'd.okafor@example.com', 'David Okafor', 'contact@tailspin-toys.com', 'Quote follow-up and download link', false, 5402, '10.20.0.31'],
  [
    ATTACHMENT_POLICY,
    'hr-benefits@benefits-update.org',
    'HR Benefits',
    'staff@example.com',
    'Open enrolment form - action required',
    true,
    734112,
    '147.45.47.88',
  ],
  [
    SPAM_POLICY,
    'winner@intl-lottery-board.com',
    'International Lottery Board',
    'm.garcia@example.com',
    'Notification of award: ref 88-1043',
    false,
    8730,
    '185.234.216.59',
  ],
  [SPAM_POLICY, 'sales@seo-rankers.agency', 'SEO Rankers', 'info@example.com', 'Page 1 of Google in 30 days', false, 12004, '62.60.131.7'],
  [
    SPAM_POLICY,
    'it-helpdesk@micros0ft-support.net',
    'IT Helpdesk',
    'r.chen@example.com',
    'Mailbox storage full - upgrade required',
    false,
    9311,
    '45.141.84.120',
  ],
  [
    ATTACHMENT_POLICY,
    'orders@fast-freight-logistics.com',
    'Fast Freight Logistics',
    'warehouse@example.com',
    'Shipment tracking details',
    true,
    904551,
    '176.113.115.84',
  ],
  [SPAM_POLICY, 'deals@luxury-watches-outlet.shop', 'Luxury Watches Outlet', 'd.okafor@example.com', 'Replica watches - 90% off', false, 14877, '5.188.206.14'],
  [URL_POLICY, 'l.nguyen@example.com', 'Linh Nguyen', 'events@contoso.com', 'Registration link for the partner summit', false, 4930, '10.20.0.57'],
  [SPAM_POLICY, 'alerts@bank-secure-login.info', 'Online Banking', 'finance@example.com', 'Unusual sign-in activity detected', false, 10022, '193.233.20.51'],
  [ATTACHMENT_POLICY, 'payroll@adp-payroll-services.co', 'Payroll Services', 'hr@example.com', 'Payroll adjustment January.js', true, 51200, '91.92.245.23'],
  [
    SPAM_POLICY,
    'info@solar-grants-2025.org',
    'Solar Grants',
    'info@example.com',
    'Your business qualifies for a free solar installation',
    false,
    13390,
    '194.169.175.2',
  ],
  [SPAM_POLICY, 'hello@dating-near-you.club', 'Dating Near You', 'j.smith@example.com', '3 people want to meet you', false, 6611, '185.156.73.54'],
  [URL_POLICY, 'm.garcia@example.com', 'Maria Garcia', 'supplier@adventure-works.com', 'Purchase order and portal link', false, 7204, '10.20.0.22'],
  [SPAM_POLICY, 'recruiter@global-talent-jobs.work', 'Global Talent', 'r.chen@example.com', 'Remote job offer: $8,000 per month', false, 9902, '80.94.95.115'],
  [
    ATTACHMENT_POLICY,
    'voicemail@cloud-voice-notify.com',
    'Voicemail Service',
    'reception@example.com',
    'New voicemail (0:42) - VM_8841.html',
    true,
    88310,
    '45.155.205.233',
  ],
  [
    SPAM_POLICY,
    'shipping@parcel-delivery-notice.com',
    'Parcel Delivery',
    'warehouse@example.com',
    'Delivery failed - reschedule your parcel',
    false,
    8004,
    '103.145.13.91',
  ],
  [SPAM_POLICY, 'team@ai-content-writer.app', 'AI Content Writer', 'marketing@example.com', 'Write 100 blog posts in one click', false, 16542, '138.68.86.210'],
  [
    ATTACHMENT_POLICY,
    'legal@contract-review-center.com',
    'Contract Review',
    'legal@example.com',
    'NDA for signature (macro-enabled)',
    true,
    342118,
    '185.225.74.251',
  ],
  [
    SPAM_POLICY,
    'noreply@tax-refund-portal.gov-uk.co',
    'Tax Refund',
    'finance@example.com',
    'You are eligible for a tax refund of 1,284.50',
    false,
    9750,
    '109.206.241.34',
  ],
  [URL_POLICY, 'j.smith@example.com', 'John Smith', 'client@woodgrove-bank.com', 'Statement download', false, 5510, '10.20.0.9'],
  [SPAM_POLICY, 'offers@cheap-flights-now.travel', 'Cheap Flights Now', 'l.nguyen@example.com', 'Flights to anywhere from $49', false, 12788, '91.240.118.172'],
  [SPAM_POLICY, 'ceo.office@exarnple.com', 'CEO Office', 'accounts@example.com', 'Urgent wire transfer needed today', false, 4402, '102.165.48.78'],
  [ATTACHMENT_POLICY, 'printer@hp-eprint-services.net', 'HP ePrint', 'staff@example.com', 'Print job ready: Report_Q4.zip', true, 1908422, '141.98.10.63'],
  [SPAM_POLICY, 'membership@wine-club-select.com', 'Wine Club Select', 'd.okafor@example.com', 'Your first case is on us', false, 14200, '167.94.138.35'],
  [
    SPAM_POLICY,
    'security@apple-id-verify.support',
    'Apple ID',
    'm.garcia@example.com',
    'Your Apple ID was used to sign in on a new device',
    false,
    9034,
    '193.35.18.45',
  ],
  [URL_POLICY, 'a.patel@example.com', 'Anil Patel', 'vendor@litware.com', 'Updated bank details form', false, 6090, '10.20.0.44'],
  [SPAM_POLICY, 'admin@domain-renewal-services.com', 'Domain Renewal', 'it@example.com', 'Domain example.com expires in 24 hours', false, 7120, '185.16.38.22'],
  [
    ATTACHMENT_POLICY,
    'quotes@industrial-supply-co.com',
    'Industrial Supply Co',
    'purchasing@example.com',
    'RFQ-2025-0117 quotation.exe',
    true,
    1102934,
    '94.156.64.101',
  ],
  [
    SPAM_POLICY,
    'survey@customer-rewards-center.com',
    'Customer Rewards',
    'info@example.com',
    'Complete our 30-second survey for a reward',
    false,
    8821,
    '45.83.64.1',
  ],
  [SPAM_POLICY, 'bulk@mailer-blast-pro.com', 'Mailer Blast', 'j.smith@example.com', 'Reach 10 million inboxes', false, 10456, '193.29.13.89'],
];

/** A held message from one of the rows: its id, subject and arrival time given. */
function heldFromRow([policyInfo, from, name, to, , hasAttachments, size, senderIP]: Row, id: string, subject: string, received: number): HeldState {
  const { reason, reasonId } = REASONS[policyInfo];
  return {
    id,
    reason,
    reasonId,
    reasonCode: reasonId.toLowerCase(),
    from: { emailAddress: from, displayableName: '' },
    fromHeader: { emailAddress: from, displayableName: name },
    to: { emailAddress: to, displayableName: '' },
    subject,
    route: isInternal(to) ? 'INBOUND' : 'OUTBOUND',
    hasAttachments,
    size,
    dateReceived: formatMimecastDate(new Date(received)),
    policyInfo,
    senderIP,
  };
}

/** The held messages, newest first; keyed by ID. */
export const heldMessages = defineState('gateway.held', (sim): Map<string, HeldState> => {
  const now = sim.now().getTime();
  return new Map(
    ROWS.map((row, i) => {
      const id = i === 3 ? SEED_EXAMPLE_HELD_ID : heldId(i);
      return [id, heldFromRow(row, id, row[4], now - (i * 4 * 60 + 17) * 60_000)];
    }),
  );
});

/** A live held message every 60 s of the simulator's clock (live.ts). */
export const LIVE_HELD_PERIOD_MS = 60_000;
/** The origin of the live held messages and how many of them were added to the held map. */
const heldLive = defineState('gateway.held.live', (sim) => ({ origin: sim.now().getTime(), added: 0 }));

/**
 * The held messages now: the seeded ones and the live ones that have arrived. A live message is
 * added to the held map once (when it has arrived), so releasing or rejecting it removes it for good.
 */
export function heldNow(sim: LiveHost): Map<string, HeldState> {
  const held = heldMessages(sim);
  const live = heldLive(sim);
  const arrived = arrivals(live.origin, sim.now().getTime(), LIVE_HELD_PERIOD_MS);
  for (const a of arrived.slice(live.added)) {
    const row = ROWS[a.n % ROWS.length];
    const id = heldId(100_000 + a.n);
    held.set(id, heldFromRow(row, id, `${row[4]} (${a.n})`, a.time));
  }
  live.added = Math.max(live.added, arrived.length);
  return held;
}

const listed = ({ senderIP: _ip, ...m }: HeldState): HeldMessage => m;

const REJECT_REASONS = [
  'MESSAGE CONTAINS UNDESIRABLE CONTENT',
  'MESSAGE CONTAINS CONFIDENTIAL INFORMATION',
  'REVIEWER DISAPPROVES OF CONTENT',
  'INAPPROPRIATE COMMUNICATION',
  'MESSAGE GOES AGAINST EMAIL POLICIES',
];

const FIELDS = ['all', 'subject', 'sender', 'recipient', 'reasonCode', 'senderIP'];

function matches(m: HeldState, fieldName: string, value: string): boolean {
  const v = value.toLowerCase();
  const has = (s: string) => s.toLowerCase().includes(v);
  const sender = () => has(m.from.emailAddress) || has(m.fromHeader.emailAddress) || has(m.fromHeader.displayableName);
  switch (fieldName) {
    case 'subject':
      return has(m.subject);
    case 'sender':
      return sender();
    case 'recipient':
      return has(m.to.emailAddress);
    case 'reasonCode':
      return has(m.reasonCode) || has(m.reasonId);
    case 'senderIP':
      return m.senderIP.startsWith(value);
    default:
      return has(m.subject) || sender() || has(m.to.emailAddress) || has(m.reasonCode) || m.senderIP.startsWith(value);
  }
}

function holdList(req: SimRequest, sim: SimContext) {
  const item = (sim.items(req)[0] ?? {}) as Record<string, unknown>;
  for (const k of ['start', 'end'] as const) {
    if (item[k] !== undefined && Number.isNaN(parseMimecastDate(item[k])))
      return sim.ok([], [sim.failItem(item, 'err_validation_invalid_date', `${k} is not a valid date`, k)]);
  }
  const searchBy = item.searchBy as { fieldName?: unknown; value?: unknown } | undefined;
  // Older Mimecast docs spelt reasonCode as reason_code; both are accepted.
  const fieldName = searchBy?.fieldName === 'reason_code' ? 'reasonCode' : searchBy?.fieldName;
  if (searchBy && (typeof fieldName !== 'string' || !FIELDS.includes(fieldName))) {
    return sim.ok([], [sim.failItem(item, 'err_validation_invalid_value', `searchBy.fieldName must be one of: ${FIELDS.join(', ')}`, 'searchBy.fieldName')]);
  }
  if (searchBy && (typeof searchBy.value !== 'string' || !searchBy.value)) {
    return sim.ok([], [sim.failItem(item, 'err_validation_blank', 'searchBy.value must not be blank', 'searchBy.value')]);
  }
  // admin: false lists the authenticated user's own held mail; an API 2.0 application has no
  // mailbox, so only admin: true sees anything (Mimecast's behaviour for org-wide lists).
  const admin = item.admin === true || item.admin === 'true';
  const from = parseMimecastDate(item.start);
  const to = parseMimecastDate(item.end);
  const rows = !admin
    ? []
    : [...heldNow(sim).values()].filter((m) => {
        const t = parseMimecastDate(m.dateReceived);
        if (!Number.isNaN(from) && t < from) return false;
        if (!Number.isNaN(to) && t > to) return false;
        return !searchBy || matches(m, fieldName as string, String(searchBy.value));
      });
  // Newest first (the seeded ones are; a live one, maybe late, is placed by its time).
  rows.sort((a, b) => parseMimecastDate(b.dateReceived) - parseMimecastDate(a.dateReceived));
  return sim.page(req, rows.map(listed));
}

export default defineRoutes({
  'POST /api/gateway/get-hold-summary-list': (_req, sim) => {
    const counts = new Map<string, number>();
    for (const m of heldNow(sim).values()) counts.set(m.policyInfo, (counts.get(m.policyInfo) ?? 0) + 1);
    const order = summaryFixture.data.map((d) => d.policyInfo);
    const data = [...counts.entries()]
      .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
      .map(([policyInfo, numberOfItems]) => ({ policyInfo, numberOfItems }));
    return sim.ok(data);
  },

  'POST /api/gateway/get-hold-message-list': holdList,

  'POST /api/gateway/hold-release': (req, sim) => {
    const held = heldNow(sim);
    const data: unknown[] = [];
    const fail = [];
    for (const item of sim.items(req)) {
      const id = typeof item.id === 'string' ? item.id : '';
      if (!id) {
        fail.push(sim.failItem(item, 'err_validation_blank', 'The id field must not be blank', 'id'));
        continue;
      }
      data.push({ id, release: held.delete(id) });
    }
    return sim.ok(data, fail);
  },

  'POST /api/gateway/hold-reject': (req, sim) => {
    const held = heldNow(sim);
    const data: unknown[] = [];
    const fail = [];
    for (const item of sim.items(req)) {
      const ids = item.ids;
      if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string' || !id)) {
        fail.push(sim.failItem(item, 'err_validation_blank', 'ids must be a non-empty list of message IDs', 'ids'));
        continue;
      }
      if (item.reasonType !== undefined && !REJECT_REASONS.includes(String(item.reasonType))) {
        fail.push(sim.failItem(item, 'err_validation_invalid_value', `reasonType must be one of: ${REJECT_REASONS.join(', ')}`, 'reasonType'));
        continue;
      }
      for (const id of ids as string[]) data.push({ id, reject: held.delete(id) });
    }
    return sim.ok(data, fail);
  },
});
