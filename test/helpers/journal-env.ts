/**
 * Jest setup: the write runs of the in-process tests record into a journal of their own (a fresh
 * temp directory per test file), not into the developer's cache directory. The journal tests give
 * their directory explicitly; the CLI's children get a fresh XDG_CACHE_HOME (test/helpers/cli.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.MIMECAST_JOURNAL_DIR) process.env.MIMECAST_JOURNAL_DIR = mkdtempSync(join(tmpdir(), 'mc-journal-'));
