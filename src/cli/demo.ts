/**
 * `demo`: a short incident-response run against the embedded simulator, over real HTTP on
 * loopback, through the same runAction a playbook uses (on one connector, so the steps share one
 * token as consecutive playbook steps share the cached one). Printed for a person to follow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clockFromEnv } from '../runtime/dates.js';
import { createConnector, type ResultEnvelope } from '../runtime/run.js';
import { loadSimulator } from './load-simulator.js';

/** Long Mimecast IDs are shown shortened so a person can follow the commands. */
const short = (v: string): string => (v.length > 28 ? `${v.slice(0, 16)}…${v.slice(-6)}` : v);
const shown = (input: unknown): string => JSON.stringify(input, (_k, v) => (typeof v === 'string' ? short(v) : v));

const say = (s = ''): void => {
  process.stdout.write(s + '\n');
};

export async function runDemo(): Promise<number> {
  const {
    startSimulator,
    DEMO_ATTACHMENT_ID,
    DEMO_GROUP_ID,
    DEMO_FALSE_POSITIVE_HELD_ID,
    DEMO_PHISH_MESSAGE_ID,
    DEMO_PHISH_RECIPIENTS,
    DEMO_PHISH_SENDER,
    DEMO_MALICIOUS_SHA256,
  } = await loadSimulator();
  const sim = await startSimulator();
  const config = { base_url: sim.url, ...sim.credentials };
  // The demo leaves nothing behind: downloads go to a temporary directory removed at the end, the
  // token stays in memory (no cache file) and its writes are not journalled (they changed nothing
  // real). MIMECAST_SIMULATOR_NOW fixes the clock of both sides.
  const outputDir = mkdtempSync(join(tmpdir(), 'mimecast-demo-'));
  const clock = clockFromEnv();
  const opts = { outputDir, journal: false as const, retry: { minTimeout: 50, maxTimeout: 200 }, ...(clock ? { now: () => clock().getTime() } : {}) };
  const connector = createConnector(config, { tokenCache: 'memory' });
  let step = 0;
  let bad = 0;
  const run = async (title: string, action: string, input: Record<string, unknown>, expect: ResultEnvelope['status'] = 'success'): Promise<ResultEnvelope> => {
    step++;
    say(`\n${step}. ${title}`);
    say(`   $ mimecast-connector run ${action} --input '${shown(input)}'`);
    const r = await connector.runById(action, input, opts);
    const mark = r.status === 'success' ? 'OK' : r.status === 'partial' ? 'PARTIAL' : 'FAILED';
    say(`   → ${mark}: ${r.summary}  [${r.meta.requests} HTTP request(s), ${r.meta.duration_ms} ms]`);
    for (const f of r.failures.slice(0, 3)) say(`     failure: ${f.code}: ${f.message}`);
    if (r.status !== expect) {
      bad++;
      say(`   !! expected ${expect}, got ${r.status}`);
    }
    return r;
  };
  try {
    say('Mimecast connector demo: an incident-response run against the embedded simulator');
    say(`Simulator: ${sim.url} (a stateful Mimecast API 2.0 stand-in on loopback)`);

    await run('Check the connection (token + one cheap read)', 'test_connectivity', {});

    const att = await run('Attachment Protection flagged malicious files today: which?', 'get_ttp_attachment_protection_logs', {
      result: 'malicious',
      page_size: '50',
    });
    const attRows = (att.data as { fileHash: string; fileName: string }[]) ?? [];
    const hash = attRows[0]?.fileHash ?? DEMO_MALICIOUS_SHA256;
    say(`   ${attRows.length} malicious attachments; ${attRows[0]?.fileName ?? 'a file'} has sha256 ${short(hash)}`);

    const seen = await run('Has that file hash been seen in the account?', 'search_file_hash', { hashes: [hash] });
    say(`   detected: ${JSON.stringify((seen.data as unknown[]) ?? [])}`);

    const found = await run(`Find the messages from the phishing sender ${DEMO_PHISH_SENDER}`, 'search', {
      advanced_track_or_trace_options: { from: DEMO_PHISH_SENDER },
      search_reason: 'Incident IR-1042: phishing with malicious attachment',
    });
    const emails = (found.data as { id: string; to?: { emailAddress: string }[]; subject?: string }[]) ?? [];
    const recipients = [...new Set(emails.flatMap((e) => (e.to ?? []).map((t) => t.emailAddress)))];
    const targets = recipients.length ? recipients.slice(0, 3) : DEMO_PHISH_RECIPIENTS;
    say(`   ${emails.length} message(s) "${emails[0]?.subject ?? ''}" to ${targets.join(', ')}`);

    const inc = await run('Pull every copy of the message out of the mailboxes (remediation incident)', 'create_remediation_incident', {
      reason: 'IR-1042 phishing invoice',
      search_by: 'messageId',
      hash_or_message_id: DEMO_PHISH_MESSAGE_ID.slice(1, -1),
    });
    const incident = inc.data as { id?: string; code?: string } | null;
    await run('The incident is listed by Find Remediation Incidents', 'find_remediation_incidents', { search_by: { fieldName: 'reason', value: 'IR-1042' } });

    await run(`Block ${DEMO_PHISH_SENDER} for the recipients`, 'permit_or_block_sender', {
      permit_block_information: targets.map((to) => ({ sender: DEMO_PHISH_SENDER, to, action: 'block' })),
    });

    const groups = await run('Find the profile group for at-risk users', 'search_groups', { source: 'cloud' });
    const groupId = (groups.data as { id: string }[])?.[0]?.id ?? DEMO_GROUP_ID;
    await run(
      'Add the recipients to that group (those already in it are reported → partial)',
      'add_group_member',
      {
        member_information: targets.map((emailAddress) => ({ id: groupId, emailAddress })),
      },
      'partial',
    );

    await run('Pull the malicious attachment from the archive for the sandbox (binary download)', 'get_archive_file', {
      file_or_attachment_id: DEMO_ATTACHMENT_ID,
    });

    await run('What is held right now? (hold summary per reason)', 'get_held_message_list', {});
    await run('A supplier says their remittance advice is stuck: find it in the hold queue', 'get_hold_message_list', {
      admin: true,
      field_name: 'sender',
      value: 'northwind-traders.com',
    });
    await run('Release the false positive', 'release_held_message', { id: DEMO_FALSE_POSITIVE_HELD_ID });
    await run('Releasing it twice is reported, not hidden', 'release_held_message', { id: DEMO_FALSE_POSITIVE_HELD_ID }, 'failed');

    const phishDomain = DEMO_PHISH_SENDER.split('@')[1];
    const webBlock = await run(`Block ${phishDomain} for web browsing too (Web Security policy)`, 'create_policy_with_targets', {
      description: `IR-1042: block phishing domain ${phishDomain}`,
      policies: { description: `IR-1042: block phishing domain ${phishDomain}`, from: { type: 'everyone' }, to: { type: 'everyone' } },
      urls: [{ action: 'block', type: 'domain', value: phishDomain }],
    });
    const webPolicyId = (webBlock.data as { id?: string } | null)?.id ?? '';
    await run('The domain is taken down: remove the web block again (the undo of the create)', 'delete_policy_with_targets', { id: webPolicyId });
    if (incident?.code) say(`\n   Incident ${incident.code} is open; the sender is blocked; the false positive is delivered.`);

    say('\n   (the simulator now answers the next call with HTTP 429 and X-RateLimit-Reset: 300 ms)');
    sim.fault({ kind: 'rate_limit', resetMs: 300 });
    await run('Read the account details through a rate limit (waits, retries once)', 'get_current_account_details', {});

    say('\n   (the simulator now answers the next call with HTTP 503)');
    sim.fault({ kind: 'status', status: 503 });
    await run(
      'A write after a 5xx is not re-sent: Mimecast may have applied it',
      'remove_group_member',
      {
        member_information: [{ id: groupId, emailAddress: targets[0] }],
      },
      'failed',
    );

    await run('Bad input is refused before anything is sent', 'add_group_member', { member_information: [{ emailAddress: 'x@example.com' }] }, 'failed');

    say(`\nDone: ${step} steps, ${sim.stats.token_requests} token request(s), ${sim.stats.api_requests} API request(s) to the simulator.`);
    say(bad ? `${bad} step(s) did not end as expected.` : 'Every step ended as expected.');
    return bad ? 1 : 0;
  } finally {
    await connector.close();
    await sim.close();
    rmSync(outputDir, { recursive: true, force: true });
  }
}
