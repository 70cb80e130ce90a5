/**
 * Progress of long work on stderr: a line per page, call and retry wait; on a terminal one line
 * that updates in place (and is cleared at the end). Lines are redacted and made printable like
 * every log line (a server's text in a message cannot steer the terminal).
 */
import { printable, redact } from '../base/log.js';
import type { ProgressListener } from '../client/progress.js';

export interface ProgressPrinter {
  listener: ProgressListener;
  /** Clears the updating line (a terminal), so that what follows starts on a clean line. */
  done(): void;
}

export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): ProgressPrinter {
  let showing = false;
  const clean = (text: string) => printable(redact(text));
  if (!stream.isTTY) return { listener: (e) => stream.write(`${clean(e.message)}\n`), done: () => undefined };
  return {
    listener: (e) => {
      // Longer than the terminal, a line would wrap and the next one could not replace it.
      const width = Math.max(20, (stream.columns || 80) - 1);
      const text = clean(e.message);
      stream.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      showing = true;
    },
    done: () => {
      if (showing) stream.write('\r\x1b[2K');
      showing = false;
    },
  };
}
