/**
 * The question a write's dry run becomes when the server asks the user (elicitation): every
 * request as recorded, and a dry run of many chunks summarised rather than sent whole.
 */
import { question } from '../../src/mcp/elicit.js';

const request = (i: number) => ({
  method: 'POST',
  url: 'https://api.services.mimecast.com/api/directory/add-group-member',
  headers: { authorization: 'Bearer (placeholder)' },
  body: { data: [{ id: 'group-1', emailAddress: `user${i}@example.com` }] },
});

describe('question', () => {
  it('lists each request (method, URL, body), never its headers', () => {
    const text = question('Add Group Member', 'add_group_member', [request(1), request(2)]);
    expect(text).toBe(
      [
        'Send this write to Mimecast? Add Group Member (add_group_member) would send 2 requests; nothing has been sent yet.',
        'POST https://api.services.mimecast.com/api/directory/add-group-member',
        '{"data":[{"id":"group-1","emailAddress":"user1@example.com"}]}',
        'POST https://api.services.mimecast.com/api/directory/add-group-member',
        '{"data":[{"id":"group-1","emailAddress":"user2@example.com"}]}',
      ].join('\n'),
    );
    expect(text).not.toContain('Bearer');
  });

  it('a long dry run is cut at whole requests, saying how many more there are', () => {
    const text = question(
      'Add Group Member',
      'add_group_member',
      Array.from({ length: 200 }, (_, i) => request(i)),
    );
    const shown = text.match(/^POST /gm)!.length;
    expect(text.length).toBeLessThanOrEqual(4000 + 100);
    expect(shown).toBeGreaterThan(10);
    expect(text.endsWith(`… and ${200 - shown} more requests (the assistant has them all in the dry run).`)).toBe(true);
    expect(text).toContain('would send 200 requests');
  });
});
