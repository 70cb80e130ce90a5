/**
 * Binary answers: the file is streamed to the output directory (never buffered whole), hashed
 * on the way, written under a temporary name and renamed when complete. The name comes from
 * Content-Disposition (or the caller's fallback) and cannot escape the directory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ConnectorError } from '../base/errors.js';

export interface FileOutput {
  file_name: string;
  path: string;
  size: number;
  sha256: string;
  content_type: string;
}

export interface SaveOptions {
  outputDir?: string;
  fallbackName: string;
}

export function fileNameFromDisposition(cd: string | undefined): string | undefined {
  if (!cd) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(cd);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(cd);
  return plain ? (plain[2] ?? plain[1]).trim() : undefined;
}

/** A file name that cannot escape the output directory or hide control characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').replace(/^\.+/, '').trim();
  return (cleaned || 'attachment').slice(0, 200);
}

export async function saveStream(stream: NodeJS.ReadableStream, headers: Record<string, string>, o: SaveOptions): Promise<FileOutput> {
  const contentType = headers['content-type'] ?? 'application/octet-stream';
  const dir = o.outputDir ?? mkdtempSync(join(tmpdir(), 'mimecast-connector-'));
  mkdirSync(dir, { recursive: true });
  const name = safeFileName(fileNameFromDisposition(headers['content-disposition']) ?? o.fallbackName);
  let target = join(dir, name);
  for (let n = 1; existsSync(target); n++) {
    const dot = name.lastIndexOf('.');
    target = join(dir, dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`);
  }
  const part = `${target}.${randomBytes(4).toString('hex')}.part`;
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  try {
    await pipeline(stream, meter, createWriteStream(part, { mode: 0o600 }));
  } catch (e) {
    rmSync(part, { force: true });
    // The request reached Mimecast: a read is retried, a write is not re-sent.
    throw new ConnectorError('transport_error', `the file download was cut off: ${(e as Error).message}`, { retryable: true, maybeApplied: true });
  }
  renameSync(part, target);
  return { file_name: basename(target), path: target, size, sha256: hash.digest('hex'), content_type: contentType };
}
