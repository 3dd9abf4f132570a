import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGit } from '../../electron/runner/git/process';
import type { GitProgressEvent } from '../../electron/runner/git/progress';
import { makeBareRepository, startGitHttpServer, type GitHttpServer } from './support/git-http';
import { groupMembers, type ProcInfo } from './support/procs';

// runGit with the real git: the environment git's children see, outcomes,
// and cancels that leave nothing of git's process group behind (read from
// /proc, so Linux only).
const linux = process.platform === 'linux';

let root: string;
let server: GitHttpServer;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'pdk-git-process-'));
  // 2 MB of incompressible files: at the throttle's 40 kB per 100 ms, a clone takes far longer than the test.
  makeBareRepository(root, 'big', 40, 50_000);
  server = await startGitHttpServer({ root: path.join(root), throttle: { afterBytes: 150_000, bytesPerTick: 4_000, tickMs: 100 } });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Polls the group of the git that `runGit` started, recording every member seen, until stopped. */
function watchGroup() {
  let pgid: number | null = null;
  const seen = new Map<number, ProcInfo>();
  const timer = setInterval(() => {
    if (pgid !== null) for (const p of groupMembers(pgid)) seen.set(p.pid, p);
  }, 10);
  return {
    onStart: (pid: number) => {
      pgid = pid;
    },
    get pgid() {
      return pgid;
    },
    seen: () => [...seen.values()],
    stop: () => clearInterval(timer),
  };
}

describe('runGit', () => {
  it('gives git’s children only the allowlisted and fixed variables, and the configuration', async () => {
    const lines: string[] = [];
    const result = await runGit({
      // A git alias starting with '!' runs through the shell, as a credential helper or a hook would.
      args: ['-c', 'alias.show-env=!env', 'show-env'],
      cwd: root,
      baseEnv: { ...process.env, GIT_DIR: '/nonexistent/.git', PADDOCK_RUNNER_TOKEN: 'runner-secret', NODE_OPTIONS: '--inspect' },
      config: [{ key: 'credential.helper', value: '' }],
      env: { PADDOCK_CRED_SOCKET: '/tmp/example' },
      onStdoutLine: (line) => lines.push(line),
    });
    expect(result).toMatchObject({ outcome: 'exited', exitCode: 0 });
    const env = new Map(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(env.get('GIT_TERMINAL_PROMPT')).toBe('0');
    expect(env.get('GIT_ASKPASS')).toBe('');
    expect(env.get('LC_ALL')).toBe('C');
    expect(env.get('GIT_CONFIG_KEY_0')).toBe('credential.helper');
    expect(env.get('PADDOCK_CRED_SOCKET')).toBe('/tmp/example');
    expect(env.has('GIT_DIR')).toBe(false);
    expect(env.has('PADDOCK_RUNNER_TOKEN')).toBe(false);
    expect(env.has('NODE_OPTIONS')).toBe(false);
  });

  it('keeps the last 50 message lines of stderr for the error, and the exit code', async () => {
    const result = await runGit({ args: ['-c', 'alias.noisy=!i=0; while [ $i -lt 200 ]; do i=$((i+1)); echo "line $i" >&2; done; exit 3', 'noisy'], cwd: root });
    expect(result.outcome).toBe('exited');
    expect(result.outcome === 'exited' && result.exitCode).toBe(3);
    expect(result.stderrTail).toHaveLength(50);
    expect(result.stderrTail[0]).toBe('line 151');
    expect(result.stderrTail.at(-1)).toBe('line 200');
  });

  it('says when git is not there', async () => {
    const result = await runGit({ args: ['--version'], cwd: root, git: path.join(root, 'no-such-git') });
    expect(result).toMatchObject({ outcome: 'not-started', reason: 'not-found', code: 'ENOENT' });
  });

  it('does not start git for a signal that fired already', async () => {
    const watch = watchGroup();
    const result = await runGit({ args: ['--version'], cwd: root, signal: AbortSignal.abort(), onStart: watch.onStart });
    watch.stop();
    expect(result.outcome).toBe('cancelled');
    expect(watch.pgid).toBeNull();
  });

  it.skipIf(!linux)('cancels a slow clone: git, git-remote-http and index-pack end, git removes its half-made folder (reads /proc: Linux only)', async () => {
    const target = path.join(root, 'cancelled-clone');
    const controller = new AbortController();
    const events: GitProgressEvent[] = [];
    const watch = watchGroup();
    const result = await runGit({
      args: ['clone', '--progress', '--', `${server.url}/big.git`, target],
      cwd: root,
      signal: controller.signal,
      onStart: watch.onStart,
      onProgress: (event) => {
        events.push(event);
        // Cancel once objects are arriving (the pack is throttled from here on), and a poll has seen the group.
        if (event.kind === 'progress' && event.phase === 'receiving' && watch.seen().some((p) => p.comm.startsWith('git-remote-'))) controller.abort();
      },
    });
    watch.stop();
    expect(result.outcome).toBe('cancelled');
    const comms = watch.seen().map((p) => p.comm);
    expect(comms).toContain('git');
    expect(comms.some((c) => c.startsWith('git-remote-http'))).toBe(true);
    // Nothing of the group is left, and git's own clean-up ran on SIGTERM.
    expect(groupMembers(watch.pgid!)).toEqual([]);
    expect(fs.existsSync(target)).toBe(false);
    expect(events.some((e) => e.kind === 'progress' && e.phase === 'receiving' && !e.done)).toBe(true);
  });

  it.skipIf(!linux)('kills what ignores SIGTERM once the grace period is over (reads /proc: Linux only)', async () => {
    const controller = new AbortController();
    const watch = watchGroup();
    const started = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (watch.seen().some((p) => p.comm === 'sleep')) {
          clearInterval(poll);
          resolve();
        }
      }, 10);
    });
    const running = runGit({
      // The shell and its sleep ignore SIGTERM (an ignored signal stays ignored across exec).
      args: ['-c', "alias.stubborn=!trap '' TERM; sleep 30; echo never", 'stubborn'],
      cwd: root,
      signal: controller.signal,
      onStart: watch.onStart,
      killGraceMs: 200,
    });
    await started;
    controller.abort();
    const result = await running;
    watch.stop();
    expect(result.outcome).toBe('cancelled');
    expect(watch.seen().map((p) => p.comm)).toEqual(expect.arrayContaining(['git', 'sleep']));
    expect(groupMembers(watch.pgid!)).toEqual([]);
  });

  it.skipIf(!linux)('leaves no git behind when the runner itself dies mid-clone: git stops at its next progress write and removes its folder (reads /proc: Linux only)', async () => {
    const target = path.join(root, 'orphaned-clone');
    const script = path.join(root, 'dying-runner.mts');
    // A stand-in for the runner: starts the clone, reports git's group, and is killed (SIGKILL) once objects arrive.
    fs.writeFileSync(
      script,
      `import { runGit } from ${JSON.stringify(path.resolve('electron/runner/git/process.ts'))};
void runGit({ args: ['clone', '--progress', '--', process.argv[2], process.argv[3]], cwd: process.argv[4],
  onStart: (pid) => process.stdout.write('pgid ' + pid + '\\n'),
  onProgress: (e) => { if (e.kind === 'progress' && e.phase === 'receiving') process.kill(process.pid, 'SIGKILL'); } });
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script, `${server.url}/big.git`, target, root], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const signal = await new Promise((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    const pgid = Number(/pgid (\d+)/.exec(out)?.[1]);
    expect(pgid).toBeGreaterThan(0);
    await expect.poll(() => groupMembers(pgid), { timeout: 15_000, interval: 100 }).toEqual([]);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('lets a git that ended on its own end as it did, a later cancel changing nothing', async () => {
    const controller = new AbortController();
    const result = await runGit({ args: ['--version'], cwd: root, signal: controller.signal });
    controller.abort();
    expect(result).toMatchObject({ outcome: 'exited', exitCode: 0 });
  });
});
