/** The CLI's progress printer: a line per event on a pipe; one updating line on a terminal, cleared at the end; redacted. */
import { registerSecret } from '../../src/base/log.js';
import { progressPrinter } from '../../src/cli/progress.js';

function fakeStream(isTTY: boolean, columns?: number): NodeJS.WriteStream & { text: string } {
  const s = { isTTY, columns, text: '', write: (chunk: string) => ((s.text += chunk), true) };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

const page = (n: number) => ({ kind: 'page' as const, page: n, rows: n * 10, message: `page ${n}/3: ${n * 10} entries so far` });

describe('progressPrinter', () => {
  it('on a pipe (a playbook step): one line per event', () => {
    const s = fakeStream(false);
    const p = progressPrinter(s);
    p.listener(page(1));
    p.listener(page(2));
    p.done();
    expect(s.text).toBe('page 1/3: 10 entries so far\npage 2/3: 20 entries so far\n');
  });

  it('on a terminal: one line updated in place, cut to the width, and cleared at the end', () => {
    const s = fakeStream(true, 24);
    const p = progressPrinter(s);
    p.listener(page(1));
    p.listener(page(2));
    p.done();
    expect(s.text).toBe('\r\x1b[2Kpage 1/3: 10 entries s…\r\x1b[2Kpage 2/3: 20 entries s…\r\x1b[2K');
  });

  it('nothing to clear when nothing was shown', () => {
    const s = fakeStream(true);
    progressPrinter(s).done();
    expect(s.text).toBe('');
  });

  it('redacts secrets', () => {
    registerSecret('progress-canary-secret-31f');
    const s = fakeStream(false);
    progressPrinter(s).listener({ kind: 'wait', reason: 'retry', ms: 5, attempt: 2, message: 'echo progress-canary-secret-31f' });
    expect(s.text).toBe('echo [REDACTED]\n');
  });
});
