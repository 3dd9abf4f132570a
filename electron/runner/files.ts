import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

/** Writes a file atomically (temp file + rename) with owner-only permissions. */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(temp, data, { mode });
  fs.renameSync(temp, file);
}

/** Reads and validates a JSON file; `fallback` when it does not exist. Throws a clear error when it is damaged. */
export function readJsonFile<T>(file: string, schema: z.ZodType<T>, fallback: T): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON; move it aside to start fresh.`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`${file} is not in the expected format (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}).`);
  return parsed.data;
}

export function writeJsonFile(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 5_000;
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Runs `change` holding an exclusive lock on `file` (a `file.lock` made with
 * O_EXCL), so read-modify-write cycles by the server and by
 * `registration create` in another process cannot lose or undo each other's
 * writes. A lock older than 10 s is taken to be left by a crash.
 */
export function withFileLock<T>(file: string, change: () => T): T {
  const lock = `${file}.lock`;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.closeSync(fs.openSync(lock, 'wx', 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > LOCK_STALE_MS) fs.rmSync(lock, { force: true });
      } catch {
        // Gone between the two calls: try again.
      }
      if (Date.now() > deadline) throw new Error(`${file} is locked by another process (${lock}); try again.`, { cause: error });
      sleep(5);
    }
  }
  try {
    return change();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}
