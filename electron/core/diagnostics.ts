import fs from 'node:fs';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { redactLogText, redactValue } from '../common/redaction';
import type { AppJobEvent } from './jobs';

// "Collect diagnostics" (About): a zip of the app's logs, its settings and
// the state of runners, accounts, jobs, environments and notices, for a
// support request. Every file in it passes the redaction of
// electron/common/redaction.ts on its way in, also the logs, which the
// loggers redacted already: a second line of defence. docs/desktop.md says
// what the zip holds and what it never does.

/** How much of each log goes in: its last 5 MB (older lines are left out, the README says so). */
export const DIAGNOSTICS_LOG_TAIL_BYTES = 5 * 1024 * 1024;

/** How long one part of the state (a runner's environments) may take before the zip is made without it. */
export const DIAGNOSTICS_PART_TIMEOUT_MS = 10_000;

/** The app's log files, as the main process (or the web host) writes them. */
export interface DiagnosticsLogs {
  /** The folder they are in, shown in About. */
  folder: string;
  /** Each log file, by the name it has in the zip (`main.log`, `runner.log`) and where it is. */
  files: readonly { name: string; path: string }[];
}

/** The last `maxBytes` of a log file, from its first whole line; null when there is no such file. */
export async function readLogTail(file: string, maxBytes = DIAGNOSTICS_LOG_TAIL_BYTES): Promise<{ text: string; truncated: boolean } | null> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    let read = 0;
    while (read < buffer.length) {
      const { bytesRead } = await handle.read(buffer, read, buffer.length - read, start + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    let text = buffer.subarray(0, read).toString('utf8');
    // Cut mid-line (and perhaps mid-character): start at the first whole line.
    if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    return { text, truncated: start > 0 };
  } finally {
    await handle.close();
  }
}

/** A job as the diagnostics list it: what ran, how it ended (never its progress, which may name what was cloned). */
export interface DiagnosticsJob {
  runnerId: string;
  jobId: string;
  kind: string | null;
  state: string;
  startedAt: string | null;
  endedAt: string | null;
  error: { code: string; message: string } | null;
}

/** The jobs this app followed since it started (the latest `limit`), from their events, for the diagnostics. */
export class DiagnosticsJobs {
  readonly #jobs = new Map<string, DiagnosticsJob>();

  constructor(private readonly limit = 100) {}

  record({ runnerId, jobId, event }: AppJobEvent): void {
    const key = `${runnerId} ${jobId}`;
    const known = this.#jobs.get(key) ?? { runnerId, jobId, kind: null, state: 'running', startedAt: null, endedAt: null, error: null };
    if (event.type === 'state') {
      known.kind = event.job.kind;
      known.state = event.job.state;
      known.startedAt = event.job.startedAt;
      known.endedAt = event.job.endedAt;
      if (event.job.outcome?.state === 'failed') known.error = { code: event.job.outcome.error.code, message: event.job.outcome.error.message };
    } else if (event.type === 'end') {
      known.state = event.outcome.state;
      known.endedAt ??= new Date().toISOString();
      if (event.outcome.state === 'failed') known.error = { code: event.outcome.error.code, message: event.outcome.error.message };
    }
    this.#jobs.delete(key);
    this.#jobs.set(key, known);
    for (const oldest of this.#jobs.keys()) {
      if (this.#jobs.size <= this.limit) break;
      this.#jobs.delete(oldest);
    }
  }

  list(): DiagnosticsJob[] {
    return [...this.#jobs.values()].map((job) => ({ ...job }));
  }
}

/** What goes into the zip: each part as the core has it; the builder redacts them all. */
export interface DiagnosticsContents {
  createdAt: Date;
  /** The app, its runtime, the paddock:// handler, the tray, the paths: what About shows. */
  app: unknown;
  /** The settings file's content (parsed), or why it is left out. */
  settings: { ok: true; value: unknown } | { ok: false; reason: string };
  /** Each part of the app's state by its file name in `state/` (runners, hosts, jobs, environments, notices). */
  states: Record<string, unknown>;
  logs: readonly { name: string; tail: { text: string; truncated: boolean } | null }[];
}

/** The file name offered for the zip: paddock-diagnostics-<the local date>.zip. */
export function diagnosticsFileName(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `paddock-diagnostics-${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}.zip`;
}

const json = (value: unknown) => `${JSON.stringify(redactValue(value), null, 2)}\n`;
const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'unnamed';

/** The zip's files, in order, and the README that says what each is. */
export function diagnosticsFiles(contents: DiagnosticsContents): Map<string, string> {
  const files = new Map<string, string>();
  const described: string[] = [];
  const add = (name: string, text: string, description: string) => {
    files.set(name, text);
    described.push(`  ${name.padEnd(26)} ${description}`);
  };
  add('app.json', json(contents.app), 'Paddock and what runs it: versions, platform, whether paddock:// links reach it, the tray, its folders.');
  if (contents.settings.ok) add('settings.json', json(contents.settings.value), 'The settings file (preferences, runners, remembered choices), with anything secret-looking replaced by [redacted].');
  for (const [part, value] of Object.entries(contents.states)) {
    add(`state/${safeName(part)}.json`, json(value), stateDescriptions[part] ?? `The ${part} as Paddock had them.`);
  }
  const logNotes: string[] = [];
  for (const log of contents.logs) {
    const name = `logs/${safeName(log.name)}`;
    if (log.tail === null) {
      logNotes.push(`  ${log.name} was not there (nothing was logged to it yet).`);
      continue;
    }
    add(name, redactLogText(log.tail.text), log.tail.truncated ? 'The log’s last 5 MB (older lines are left out).' : 'The whole log.');
  }
  const readme = [
    'Paddock diagnostics',
    `Collected ${contents.createdAt.toISOString()}.`,
    '',
    'What is inside:',
    ...described,
    ...(contents.settings.ok ? [] : ['', `The settings file is left out: ${contents.settings.reason}`]),
    ...(logNotes.length ? ['', ...logNotes] : []),
    '',
    'What is never inside: tokens (personal access tokens, OAuth access and refresh tokens), OAuth codes and',
    'states, client secrets, passwords, private keys, the runners’ API tokens, the contents of your repositories.',
    'The logs never hold them; they were checked again on the way into this file, and anything that looks like',
    'a secret was replaced by [redacted]. Paths and repository addresses are inside: look before you send it.',
    '',
  ].join('\n');
  return new Map([['README.txt', readme], ...files]);
}

const stateDescriptions: Record<string, string> = {
  runners: 'Each runner: kind, health (state, version, last answer), role. Never its credentials.',
  hosts: 'Each host with repository access and your accounts there: state, expiry. Never a token.',
  jobs: 'The jobs Paddock followed since it started (clones, sign-ins, checks): kind, state, how they ended.',
  environments: 'Your environments as each runner reports them: repository, state, folder.',
  notices: 'The notices Paddock showed.',
};

/** The zip itself (fflate, deflate), and the names of its entries in order. */
export function buildDiagnosticsZip(contents: DiagnosticsContents): { data: Uint8Array; entries: string[] } {
  const files = diagnosticsFiles(contents);
  const mtime = contents.createdAt;
  const zippable: Zippable = {};
  for (const [name, text] of files) zippable[name] = [strToU8(text), { mtime, level: 6 }];
  return { data: zipSync(zippable), entries: [...files.keys()] };
}

/** A part of the state, or what kept it out (an unreachable runner, one too slow to answer). */
export async function statePart<T>(load: () => Promise<T>, timeoutMs = DIAGNOSTICS_PART_TIMEOUT_MS): Promise<T | { unavailable: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      load(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
        timer.unref();
      }),
    ]);
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
