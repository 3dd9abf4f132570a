// Runs one git command for the runner: an environment built from an
// allowlist, configuration through the environment (never a config file or
// argv), stderr read as progress, and a cancel that ends git and every
// process it started.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createProgressParser, type GitProgressEvent } from './progress';

/** One configuration entry for this run, as `git -c key=value` would give it (but through the environment). */
export interface GitConfigEntry {
  readonly key: string;
  readonly value: string;
}

/**
 * The runner's network settings for git (git/network.ts builds them from
 * --proxy, --no-proxy and --ca-file).
 */
export interface GitNetwork {
  /** Configuration entries (http.proxy, http.sslCAInfo, …), given through the environment like `config`. */
  readonly config: readonly GitConfigEntry[];
  /** Variables set for git (NO_PROXY / no_proxy with an explicit proxy). */
  readonly env: Readonly<Record<string, string>>;
  /** Variables of the runner's environment git must not get (its proxy variables when the runner has its own proxy). */
  readonly drop: readonly string[];
  /** Texts that must not appear in what git says (the proxy URL and its credentials): replaced in every stderr line. */
  readonly secrets: readonly string[];
  /** What replaces a secret: the proxy URL without its credentials. */
  readonly redacted: string;
}

/** A line of git's with the network settings' secrets (the proxy's URL and credentials) replaced. */
export function redactGitLine(line: string, network: Pick<GitNetwork, 'secrets' | 'redacted'> | undefined): string {
  if (!network || network.secrets.length === 0) return line;
  let out = line;
  for (const secret of network.secrets) out = out.split(secret).join(network.redacted);
  return out;
}

export interface RunGitOptions {
  /** The arguments after `git`. Never a secret: argv is readable by every local user. */
  readonly args: readonly string[];
  readonly cwd: string;
  /** The git program; default `git` from PATH. */
  readonly git?: string;
  /** Configuration for this run (the credential helper's entries, …). */
  readonly config?: readonly GitConfigEntry[];
  /** More variables for git (the credential helper's socket and capability). They win over the base ones. */
  readonly env?: Readonly<Record<string, string>>;
  /** The runner's own environment, from which the allowlisted variables are taken; default process.env. */
  readonly baseEnv?: NodeJS.ProcessEnv;
  /** The runner's proxy and CA settings, for a run that may reach the network. */
  readonly network?: GitNetwork;
  readonly signal?: AbortSignal;
  /** Each progress update and each text line of stderr, parsed. */
  readonly onProgress?: (event: GitProgressEvent) => void;
  /** Each line of stdout (without its line end). */
  readonly onStdoutLine?: (line: string) => void;
  /** git's process id once it started (on Unix also its process group's id). */
  readonly onStart?: (pid: number) => void;
  /** How long git's process group has after SIGTERM before SIGKILL (Unix); default 3 s. */
  readonly killGraceMs?: number;
  /** For tests: the platform whose rules apply; default process.platform. */
  readonly platform?: NodeJS.Platform;
}

interface Common {
  /** The last stderr lines that were messages (not progress), oldest first; at most STDERR_TAIL_LINES. */
  readonly stderrTail: readonly string[];
}

export type GitRunResult =
  /** git ran to its end: `exitCode` 0 is success. */
  | (Common & { readonly outcome: 'exited'; readonly exitCode: number })
  /** git was ended by a signal nobody here sent (the system, another process). */
  | (Common & { readonly outcome: 'signalled'; readonly signal: NodeJS.Signals })
  /** The signal fired: git and every process of its group are gone. */
  | (Common & { readonly outcome: 'cancelled'; readonly exitCode: number | null; readonly signal: NodeJS.Signals | null })
  /** git could not be started: `not-found` when the program is not there (ENOENT). */
  | (Common & { readonly outcome: 'not-started'; readonly reason: 'not-found' | 'failed'; readonly code: string | null });

export const STDERR_TAIL_LINES = 50;
/** A stdout line without a line end longer than this is let out as it is (bounded memory). */
export const MAX_STDOUT_LINE = 1024 * 1024;
const DEFAULT_KILL_GRACE_MS = 3000;
/** How often the process group is looked at while it winds down after a cancel. */
const GROUP_POLL_MS = 50;
/** After SIGKILL, how long to wait for the group to be gone before giving up looking. */
const AFTER_KILL_MS = 5000;
/** Once git has exited, how long its stdout and stderr may stay open (held by a process it left behind). */
const CLOSE_WAIT_MS = 2000;

/** Variables taken from the runner's environment when set (on every platform). */
const PASSED = [
  'PATH',
  // git reads ~/.gitconfig and $XDG_CONFIG_HOME/git/config (the user's own settings: proxy, CA, line endings).
  'HOME',
  'XDG_CONFIG_HOME',
  'USER',
  'LOGNAME',
  'TMPDIR',
  // ssh remotes with the user's agent.
  'SSH_AUTH_SOCK',
  // Proxies: curl reads the lower-case http_proxy only, and either case of the others.
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'ALL_PROXY',
  'all_proxy',
  'NO_PROXY',
  'no_proxy',
  // A corporate CA.
  'GIT_SSL_CAINFO',
  'GIT_SSL_CAPATH',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
] as const;

/** Windows: what programs and Git for Windows need to start and to find the user's profile. */
const PASSED_WINDOWS = [
  'SYSTEMROOT',
  'SYSTEMDRIVE',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'TEMP',
  'TMP',
  'USERPROFILE',
  'HOMEDRIVE',
  'HOMEPATH',
  'APPDATA',
  'LOCALAPPDATA',
  'PROGRAMDATA',
  'PROGRAMFILES',
  'PROGRAMFILES(X86)',
  'COMMONPROGRAMFILES',
  'USERNAME',
  'USERDOMAIN',
  'COMPUTERNAME',
  'NUMBER_OF_PROCESSORS',
  'PROCESSOR_ARCHITECTURE',
] as const;

/** Set on every run, whatever the runner's environment holds. */
const FIXED: Readonly<Record<string, string>> = {
  // Never ask on a terminal (there is none; git would fail with "terminal prompts disabled").
  GIT_TERMINAL_PROMPT: '0',
  // Set and empty: git then also skips core.askPass and SSH_ASKPASS (prompt.c), and ssh has no program to ask with.
  // GitHub Desktop sets both empty on Windows too; whether an empty variable survives there for every program
  // git starts is not verified (an empty GIT_CONFIG_VALUE_n troubled Python hooks: desktop/desktop#18945).
  GIT_ASKPASS: '',
  SSH_ASKPASS: '',
  // Git Credential Manager, should a helper the reset missed still reach it: never a window.
  GCM_INTERACTIVE: 'never',
  // English messages and progress titles (the progress parser reads titles), whatever the user's locale.
  LC_ALL: 'C',
};

/**
 * The environment git gets: built from scratch, not inherited — an allowlist
 * of the runner's variables, the fixed ones above, the configuration, then
 * `extra`. Nothing else of the runner's environment reaches git (no GIT_DIR
 * or GIT_TRACE from wherever the runner was started, no runner secrets).
 */
export function gitEnvironment(options: {
  baseEnv?: NodeJS.ProcessEnv;
  config?: readonly GitConfigEntry[];
  extra?: Readonly<Record<string, string>>;
  network?: GitNetwork;
  platform?: NodeJS.Platform;
}): Record<string, string> {
  const platform = options.platform ?? process.platform;
  const base = options.baseEnv ?? process.env;
  const env: Record<string, string> = {};
  const names = platform === 'win32' ? [...PASSED, ...PASSED_WINDOWS] : PASSED;
  // Windows' variable names ignore case ("Path"), and a plain object from elsewhere may hold any spelling.
  const lookup = platform === 'win32' ? new Map(Object.entries(base).map(([k, v]) => [k.toUpperCase(), v])) : null;
  for (const name of names) {
    const value = lookup ? lookup.get(name.toUpperCase()) : base[name];
    if (value !== undefined && value !== '') env[name] = value;
  }
  const { network } = options;
  if (network) {
    const dropped = new Set(network.drop.map((name) => (platform === 'win32' ? name.toUpperCase() : name)));
    for (const name of Object.keys(env)) if (dropped.has(platform === 'win32' ? name.toUpperCase() : name)) delete env[name];
  }
  const config = [...(options.config ?? []), ...(network?.config ?? [])];
  Object.assign(env, FIXED, network?.env ?? {}, configEnvironment(config, platform), options.extra ?? {});
  return env;
}

/**
 * Configuration through the environment, so it reaches every git that git
 * starts (filters such as Git LFS, hooks) and no file. On Unix the
 * documented GIT_CONFIG_COUNT/KEY_n/VALUE_n (git ≥ 2.31). On Windows
 * GIT_CONFIG_PARAMETERS, what `git -c` itself passes to its children and
 * what GitHub Desktop ships there: an empty GIT_CONFIG_VALUE_n (the helper
 * reset) breaks Python-based hooks on Windows (desktop/desktop#18945).
 */
export function configEnvironment(config: readonly GitConfigEntry[], platform: NodeJS.Platform = process.platform): Record<string, string> {
  if (config.length === 0) return {};
  for (const { key } of config) {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*(\..+)?\.[A-Za-z][A-Za-z0-9-]*$/.test(key) || /[\n\0]/.test(key)) throw new Error(`Not a git configuration key: ${JSON.stringify(key)}.`);
  }
  for (const { value } of config) if (/[\n\0]/.test(value)) throw new Error('A git configuration value may not hold a line break or NUL.');
  if (platform === 'win32') {
    // The old form, one single-quoted 'key=value' per entry: read by every git, old and new.
    return { GIT_CONFIG_PARAMETERS: config.map(({ key, value }) => shellQuote(`${key}=${value}`)).join(' ') };
  }
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(config.length) };
  config.forEach(({ key, value }, i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** POSIX single quotes: the one quoting with no special characters inside ('\'' for a quote). */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** Splits a stream into lines on '\n' (a '\r' before it dropped), bounded per line. */
function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      while (pending.length > MAX_STDOUT_LINE) {
        parts.push(pending.slice(0, MAX_STDOUT_LINE));
        pending = pending.slice(MAX_STDOUT_LINE);
      }
      for (const part of parts) onLine(part.endsWith('\r') ? part.slice(0, -1) : part);
    },
    end() {
      if (pending !== '') onLine(pending);
      pending = '';
    },
  };
}

/** Whether any process of the process group `pgid` is alive (Unix). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    // ESRCH: none is left. (EPERM would mean only another user's processes hold that id: not git's group.)
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

/** Ends a process tree on Windows: taskkill /T (the tree) /F (at once; Windows has no SIGTERM). */
function taskkill(pid: number, env: NodeJS.ProcessEnv): Promise<void> {
  const systemRoot = env.SYSTEMROOT ?? env.SystemRoot ?? 'C:\\Windows';
  return new Promise((resolve) => {
    const killer = spawn(path.win32.join(systemRoot, 'System32', 'taskkill.exe'), ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    killer.once('error', () => resolve());
    killer.once('exit', () => resolve());
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `git <args>` and resolves when it has ended — after a cancel, only
 * once every process of its group has (Unix) or taskkill has ended its
 * tree (Windows). Never rejects: not being able to start git is an outcome.
 *
 * Unix: git leads its own process group (`detached`, which also takes it
 * out of any terminal's session). A cancel sends SIGTERM to the whole group
 * — git, git-remote-https, index-pack, a credential helper — so `git clone`
 * removes its half-made folder itself (its signal handler), then SIGKILL to
 * what is left after `killGraceMs`.
 * Windows: `taskkill /pid <pid> /T /F`; git's own clean-up does not run, so
 * the caller removes a half-made folder.
 */
export async function runGit(options: RunGitOptions): Promise<GitRunResult> {
  const platform = options.platform ?? process.platform;
  const baseEnv = options.baseEnv ?? process.env;
  const tail: string[] = [];
  const keep = (line: string) => {
    tail.push(line);
    if (tail.length > STDERR_TAIL_LINES) tail.shift();
  };
  const stderrTail = () => [...tail];
  if (options.signal?.aborted) return { outcome: 'cancelled', exitCode: null, signal: null, stderrTail: [] };

  const env = gitEnvironment({ baseEnv, config: options.config, extra: options.env, ...(options.network ? { network: options.network } : {}), platform });
  let child: ChildProcess;
  try {
    child = spawn(options.git ?? 'git', [...options.args], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: platform !== 'win32',
      windowsHide: true,
    });
  } catch (error) {
    return { outcome: 'not-started', reason: 'failed', code: (error as NodeJS.ErrnoException).code ?? null, stderrTail: [] };
  }

  const parser = createProgressParser();
  const { network } = options;
  const emit = (events: GitProgressEvent[]) => {
    for (const raw of events) {
      const event = raw.kind === 'text' && network ? { ...raw, text: redactGitLine(raw.text, network) } : raw;
      if (event.kind === 'text' && !event.progress) keep(event.text);
      options.onProgress?.(event);
    }
  };
  const stdout = lineSplitter((line) => options.onStdoutLine?.(line));
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => stdout.push(chunk));
  child.stderr!.on('data', (chunk: string) => emit(parser.push(chunk)));

  let cancelled = false;
  let gone = false;
  let stopping: Promise<void> | null = null;
  const pid = child.pid;
  if (pid !== undefined) options.onStart?.(pid);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null } | { error: NodeJS.ErrnoException }>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ error }));
    child.once('exit', (code, signal) => {
      gone = true;
      resolve({ code, signal });
    });
  });
  // stdout and stderr read to the end.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));

  const stop = async (): Promise<void> => {
    if (pid === undefined) return;
    if (platform === 'win32') {
      await taskkill(pid, baseEnv);
      return;
    }
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + (options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    while (groupAlive(pid) && Date.now() < deadline) await sleep(GROUP_POLL_MS);
    if (!groupAlive(pid)) return;
    signalGroup(pid, 'SIGKILL');
    const giveUp = Date.now() + AFTER_KILL_MS;
    while (groupAlive(pid) && Date.now() < giveUp) await sleep(GROUP_POLL_MS);
  };

  const onAbort = () => {
    // A cancel that comes once git has ended on its own changes nothing.
    if (gone || stopping) return;
    cancelled = true;
    stopping = stop();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    const end = await exited;
    if ('error' in end) {
      const code = end.error.code ?? null;
      return { outcome: 'not-started', reason: code === 'ENOENT' ? 'not-found' : 'failed', code, stderrTail: [] };
    }
    if (stopping) await stopping;
    // Something outside git's group (a daemon it started) may hold its stderr open: do not wait for it forever.
    await Promise.race([closed, sleep(CLOSE_WAIT_MS)]);
    child.stdout!.destroy();
    child.stderr!.destroy();
    emit(parser.end());
    stdout.end();
    if (cancelled) return { outcome: 'cancelled', exitCode: end.code, signal: end.signal, stderrTail: stderrTail() };
    if (end.signal) return { outcome: 'signalled', signal: end.signal, stderrTail: stderrTail() };
    return { outcome: 'exited', exitCode: end.code ?? -1, stderrTail: stderrTail() };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
