/**
 * Binary answers: the file is streamed to the output directory (never buffered whole), hashed
 * on the way, written under a temporary name and, when complete, given its final name by an
 * atomic claim (never over another file). The name comes from Content-Disposition (or the
 * caller's fallback) and cannot escape the directory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, linkSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
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
  /** The largest file saved, in bytes (max_download_mb); a larger one is removed and refused. */
  maxBytes?: number;
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

/** Most bytes of a saved file's name: room is left for " (12)" and the ".<random>.part" name it is written under (255 in all). */
export const MAX_NAME_BYTES = 200;

const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Cuts text to at most `bytes` UTF-8 bytes without splitting a character. */
function cutToBytes(text: string, bytes: number): string {
  let out = '';
  for (const ch of text) {
    if (utf8Length(out) + utf8Length(ch) > bytes) break;
    out += ch;
  }
  return out;
}

/**
 * A file name that cannot escape the output directory or hide what it is: no path, no control
 * characters, no bidirectional or invisible formatting characters (a right-to-left override makes
 * "invoice\u202Egpj.exe" look like "invoiceexe.jpg"), at most MAX_NAME_BYTES bytes of UTF-8 with its
 * extension kept.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[\p{Cc}<>:"|?*]/gu, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  const whole = cleaned || 'attachment';
  if (utf8Length(whole) <= MAX_NAME_BYTES) return whole;
  const ext = /\.[\p{L}\p{N}]{1,16}$/u.exec(whole)?.[0] ?? '';
  const stem = cutToBytes(whole.slice(0, whole.length - ext.length), MAX_NAME_BYTES - utf8Length(ext)).trimEnd();
  return `${stem || 'attachment'}${ext}`;
}

/** The output directory as an absolute path; an existing non-directory there is an input_error (checked before anything is sent). */
export function checkOutputDir(dir: string): string {
  const abs = resolve(dir);
  let st: ReturnType<typeof statSync> | undefined;
  try {
    st = statSync(abs);
  } catch {
    return abs; // created (owner-only) when the first file is saved
  }
  if (!st.isDirectory()) throw new ConnectorError('input_error', `output_dir ${abs} exists and is not a directory`, { field: 'output_dir' });
  return abs;
}

/** `name`, then `name (1).ext`, `name (2).ext`... */
function numbered(name: string, n: number): string {
  if (n === 0) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

/** Errors of link() that say the file system has no hard links, rather than that the name is taken. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Gives the complete `part` file the first free name of `name`, `name (1)`... and returns its path.
 * A check that a name is free and a rename after it would let parallel runs saving the same name
 * overwrite each other's file (each reporting a path and sha256 the disk no longer holds), so the
 * name is claimed atomically: link() fails if the name exists; where the file system has no hard
 * links, an exclusive create ('wx') claims the name and the rename then replaces only that claim.
 */
function claimName(part: string, dir: string, name: string): string {
  let links = true;
  for (let n = 0; ; n++) {
    const target = join(dir, numbered(name, n));
    try {
      if (links) {
        linkSync(part, target);
        rmSync(part, { force: true });
      } else {
        closeSync(openSync(target, 'wx', 0o600));
        try {
          renameSync(part, target);
        } catch (e) {
          rmSync(target, { force: true }); // the empty claim, not another run's file
          throw e;
        }
      }
      return target;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (links && NO_LINKS.has(code)) {
        links = false;
        n--;
        continue;
      }
      if (code !== 'EEXIST') throw e;
    }
  }
}

export async function saveStream(stream: NodeJS.ReadableStream, headers: Record<string, string>, o: SaveOptions): Promise<FileOutput> {
  const contentType = headers['content-type'] ?? 'application/octet-stream';
  const dir = o.outputDir ? checkOutputDir(o.outputDir) : mkdtempSync(join(tmpdir(), 'mimecast-connector-'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = safeFileName(fileNameFromDisposition(headers['content-disposition']) ?? o.fallbackName);
  const part = join(dir, `${name}.${randomBytes(4).toString('hex')}.part`);
  const hash = createHash('sha256');
  let size = 0;
  const limit = o.maxBytes ?? Infinity;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > limit) {
        const mb = Math.round((limit / 1024 / 1024) * 10) / 10;
        return cb(
          new ConnectorError('api_error', `the file is larger than ${mb} MB, the most this instance saves (max_download_mb); nothing was kept`, {
            hint: 'Raise max_download_mb in the instance configuration if the file is expected to be this large.',
          }),
        );
      }
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(stream, meter, createWriteStream(part, { mode: 0o600 }));
  } catch (e) {
    rmSync(part, { force: true });
    if (e instanceof ConnectorError) throw e;
    // The request reached Mimecast: a read is retried, a write is not re-sent.
    throw new ConnectorError('transport_error', `the file download was cut off: ${(e as Error).message}`, { retryable: true, maybeApplied: true });
  }
  let target: string;
  try {
    target = claimName(part, dir, name);
  } catch (e) {
    rmSync(part, { force: true });
    throw e;
  }
  return { file_name: basename(target), path: target, size, sha256: hash.digest('hex'), content_type: contentType };
}
