/**
 * The files of the cache directory (the token cache, the shared quota windows): an owner-only
 * directory, files read without following a symlink or blocking on a FIFO, and files replaced
 * whole (a new owner-only file, then a rename), never written through a link or over another's.
 */
import { chmodSync, closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

const NO_FOLLOW_READ = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const NO_FOLLOW_CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Reads a regular file without following a symlink or blocking on a FIFO; null for anything else. */
export function readRegular(path: string): { text: string; mode: number; uid: number } | null {
  let fd: number | undefined;
  try {
    fd = openSync(path, NO_FOLLOW_READ);
    const st = fstatSync(fd);
    if (!st.isFile()) return null;
    return { text: readFileSync(fd, 'utf8'), mode: st.mode, uid: st.uid };
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** True when a file read by readRegular is this user's and nobody else's. */
export function ownerOnly(file: { mode: number; uid: number }): boolean {
  return (file.mode & 0o077) === 0 && (typeof process.getuid !== 'function' || file.uid === process.getuid());
}

/** Creates a new file (never through a symlink, never over an existing one), owner-only. */
export function createExclusive(path: string, text: string): void {
  const fd = openSync(path, NO_FOLLOW_CREATE, 0o600);
  try {
    writeFileSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/** Replaces a file whole: a new owner-only file beside it, renamed over it. Throws when it cannot. */
export function replaceFile(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    createExclusive(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Makes the directory owner-only (creating it); the reason it cannot be used, or undefined when it can. */
export function privateDir(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    if (st.isSymbolicLink()) return `${dir} is a symlink; the connector does not change modes through one`;
    if (!st.isDirectory()) return `${dir} is not a directory`;
    if ((st.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
    return undefined;
  } catch (e) {
    return `${dir} cannot be used: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}
