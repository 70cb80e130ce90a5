/**
 * `demo`: a short incident-response run against the embedded simulator, over real HTTP on
 * loopback, through the same runAction a playbook uses. Printed for a person to follow.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ResultEnvelope } from '../runtime/run.js';
import { startSimulator } from '../simulator/server.js';
import { DEMO_ATTACHMENT_ID } from '../simulator/routes/archive.js';
import { DEMO_GROUP_ID } from '../simulator/routes/directory.js';

const say = (s = ''): void => {
  process.stdout.write(s + '\n');
};

export async function runDemo(): Promise<number> {
  const sim = await startSimulator();
  const config = { base_url: sim.url, ...sim.credentials };
  const outputDir = mkdtempSync(join(tmpdir(), 'mimecast-demo-'));
  const opts = { tokenCache: 'memory' as const, outputDir, retry: { minTimeout: 50, maxTimeout: 200 } };
  let step = 0;
  let bad = 0;
  const run = async (title: string, action: string, input: Record<string, unknown>, expect: ResultEnvelope['status'] = 'success'): Promise<ResultEnvelope> => {
    step++;
    say(`\n${step}. ${title}`);
    say(`   $ mimecast-connector run ${action} --input '${JSON.stringify(input)}'`);
    const r = await runAction(action, input, config, opts);
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

    const logs = await run('Who clicked malicious links today? (TTP URL logs, all pages)', 'get_ttp_url_logs', { scan_result: 'malicious', route: 'inbound', page_size: '50' });
    const rows = (logs.data as { url: string; userEmailAddress: string }[]) ?? [];
    const url = rows[0]?.url ?? 'http://malicious-login-3.example.net/verify';
    const clickers = [...new Set(rows.map((r) => r.userEmailAddress))].slice(0, 3);
    say(`   ${rows.length} malicious clicks; first URL ${url}; users: ${clickers.join(', ')}`);

    const attacker = `billing@${new URL(url).hostname}`;
    await run(`Block the attacker ${attacker} for the users who clicked`, 'permit_or_block_sender', {
      permit_block_information: clickers.map((to) => ({ sender: attacker, to, action: 'block' })),
    });

    const groups = await run('Find the profile group for at-risk users', 'search_groups', { source: 'cloud' });
    const groupId = ((groups.data as { id: string }[])?.[0]?.id) ?? DEMO_GROUP_ID;

    await run('Add the users who clicked to that group (one is already a member → partial)', 'add_group_member', {
      member_information: [...clickers.map((emailAddress) => ({ id: groupId, emailAddress })), { id: groupId, emailAddress: clickers[0] }],
    }, 'partial');

    await run('Confirm the group membership', 'get_group_members', { group_id: groupId });

    await run('Pull the malicious attachment from the archive for the sandbox (binary download)', 'get_archive_file', { file_or_attachment_id: DEMO_ATTACHMENT_ID });

    say('\n   (the simulator now answers the next call with HTTP 429 and X-RateLimit-Reset: 300 ms)');
    sim.fault({ kind: 'rate_limit', resetMs: 300 });
    await run('Read the account details through a rate limit (waits, retries once)', 'get_current_account_details', {});

    say('\n   (the simulator now answers the next call with HTTP 503)');
    sim.fault({ kind: 'status', status: 503 });
    await run('A write after a 5xx is not re-sent: Mimecast may have applied it', 'remove_group_member', {
      member_information: [{ id: groupId, emailAddress: clickers[0] }],
    }, 'failed');

    await run('Bad input is refused before anything is sent', 'add_group_member', { member_information: [{ emailAddress: 'x@example.com' }] }, 'failed');

    say(`\nDone: ${step} steps, ${sim.stats.token_requests} token request(s), ${sim.stats.api_requests} API request(s) to the simulator.`);
    say(bad ? `${bad} step(s) did not end as expected.` : 'Every step ended as expected.');
    return bad ? 1 : 0;
  } finally {
    await sim.close();
  }
}
