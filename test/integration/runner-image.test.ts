import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWorkstation, runnerCall, type RemoteRunnerHandle } from '../helpers/remote-runner';

// The runner's OCI image (build/runner/Containerfile, built by
// build/runner/build-image.sh; docs/runner-on-a-server.md, "In a container").
//
// What the Containerfile says is checked everywhere. Building and running the
// image needs buildah (Debian package buildah) and, with no image registry
// reachable, mmdebstrap and a Debian mirror to assemble the base (or that base
// already in buildah's storage). `podman run` cannot run it on these machines
// (crun: setrlimit RLIMIT_NOFILE: Operation not permitted), so the test runs
// the image's own entrypoint, user and health check, as its config gives them,
// in a working container with `buildah run --isolation chroot`. That shares
// the host's network and process namespace: Node is not PID 1 there, so what
// it shows for signals is that the runner stops cleanly on SIGTERM; as PID 1
// it does the same, since it handles SIGTERM itself rather than relying on the
// default action PID 1 does not get.

const execFileAsync = promisify(execFile);
const containerfile = fs.readFileSync(path.resolve('build/runner/Containerfile'), 'utf8');
const buildah = ['buildah', '--storage-driver', 'vfs'];
const image = 'localhost/paddock-runner:test';
const base = 'localhost/paddock-runner-base:bookworm';

/** The Containerfile's instructions (continuation lines joined, comments left out). */
function instructions(): { name: string; args: string }[] {
  return containerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => ({ name: line.split(/\s+/)[0]!.toUpperCase(), args: line.slice(line.indexOf(' ') + 1).trim() }));
}
const only = (name: string) => {
  const found = instructions().filter((i) => i.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!.args;
};

function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
function baseImagePresent(): boolean {
  try {
    execFileSync(buildah[0]!, [...buildah.slice(1), 'inspect', '--type', 'image', base], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const cannotBuild =
  process.platform !== 'linux' || process.getuid?.() !== 0
    ? 'building the image with buildah (vfs) needs Linux and root here'
    : !has('buildah')
      ? 'buildah is not installed (Debian package buildah)'
      : !baseImagePresent() && !has('mmdebstrap')
        ? `neither ${base} in buildah's storage nor mmdebstrap to assemble it from Debian packages`
        : null;
if (cannotBuild) console.warn(`runner-image.test.ts, building and running the image skipped: ${cannotBuild}`);

describe('the Containerfile', () => {
  it('runs the runner as a non-root user with its data directory as a volume, a health check, and Node receiving the signals', () => {
    expect(only('USER')).toBe('paddock-runner:paddock-runner');
    expect(JSON.parse(only('VOLUME'))).toEqual(['/var/lib/paddock-runner']);
    expect(only('STOPSIGNAL')).toBe('SIGTERM');
    // Exec form (a JSON array): no shell in between that would keep SIGTERM from Node.
    const entrypoint = JSON.parse(only('ENTRYPOINT')) as string[];
    expect(entrypoint).toEqual(['paddock-runner', 'serve', '--data-dir', '/var/lib/paddock-runner', '--secret-store', 'file', '--log-format', 'json']);
    expect(JSON.parse(only('CMD'))).toEqual(['--listen', '0.0.0.0:8443']);
    const healthcheck = only('HEALTHCHECK');
    expect(healthcheck).toMatch(/^--interval=\S+ --timeout=\S+ --start-period=\S+ --retries=\d+ CMD \[/);
    expect(JSON.parse(healthcheck.slice(healthcheck.indexOf('[')))).toEqual(['paddock-runner', 'health', '--data-dir', '/var/lib/paddock-runner']);
    // No init process: nothing but Node is started.
    expect(containerfile).not.toMatch(/tini|dumb-init/);
  });
});

describe.skipIf(cannotBuild !== null)('the image, built with buildah', () => {
  let container: string;
  let config: { User: string; Entrypoint: string[]; Cmd: string[]; Volumes: Record<string, object>; Healthcheck: { Test: string[] }; Env: string[] };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-image-data-'));

  beforeAll(async () => {
    await execFileAsync('bash', ['build/runner/build-image.sh', image], {
      env: { ...process.env, BUILDAH_OPTS: '--storage-driver vfs', PADDOCK_RUNNER_BASE_FROM_DEBIAN: '1', PADDOCK_RUNNER_IMAGE_ARCHIVE: '0' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const { stdout } = await execFileAsync(buildah[0]!, [...buildah.slice(1), 'inspect', '--type', 'image', image], { maxBuffer: 16 * 1024 * 1024 });
    config = (JSON.parse(stdout) as { Docker: { config: typeof config } }).Docker.config;
    container = (await execFileAsync(buildah[0]!, [...buildah.slice(1), 'from', image])).stdout.trim();
    // The volume, as a container engine gives it: a directory of the image's user (uid 10001).
    fs.chownSync(dataDir, 10001, 10001);
  }, 600_000);
  afterAll(async () => {
    if (container) await execFileAsync(buildah[0]!, [...buildah.slice(1), 'rm', container]);
  });

  /** `buildah run` in the working container as the image's user, with the data directory as its volume. */
  const runArgs = (command: string[]) => [...buildah.slice(1), 'run', '--isolation', 'chroot', '--user', config.User, '-v', `${dataDir}:/var/lib/paddock-runner`, container, '--', ...command];

  it('has the image config the Containerfile asks for', () => {
    expect(config.User).toBe('paddock-runner:paddock-runner');
    expect(Object.keys(config.Volumes)).toEqual(['/var/lib/paddock-runner']);
    expect(config.Healthcheck.Test).toEqual(['CMD', 'paddock-runner', 'health', '--data-dir', '/var/lib/paddock-runner']);
  });

  it('runs its entrypoint as its user: serves, passes its health check, registers a workstation, and stops cleanly on SIGTERM', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    // The entrypoint as the image gives it, with the image's CMD replaced (as `podman run IMAGE --listen …` does).
    expect(config.Cmd[0]).toBe('--listen');
    const child = spawn(buildah[0]!, runArgs([...config.Entrypoint, '--listen', `127.0.0.1:${port}`]), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const lines = () => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { msg: string; pid: number; url?: string; spki?: string; publicKey?: string });
    try {
      for (let i = 0; i < 600 && !lines().some((l) => l.msg === 'runner listening') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
      const listening = lines().find((l) => l.msg === 'runner listening');
      if (!listening) throw new Error(`The image's runner did not start:\n${stdout}\n${stderr}`);
      const files = fs.readdirSync(dataDir);
      expect(files).toEqual(expect.arrayContaining(['runner.json', 'secret-store.json']));
      for (const file of files) expect(fs.statSync(path.join(dataDir, file)).uid, file).toBe(10001);

      const health = await execFileAsync(buildah[0]!, runArgs(config.Healthcheck.Test.slice(1)));
      expect(health.stdout).toMatch(/^healthy: answering at 127\.0\.0\.1:/);

      const runner = {
        url: listening.url!,
        createToken: async (expires = '1h', role: 'admin' | 'user' = 'user') =>
          (JSON.parse((await execFileAsync(buildah[0]!, runArgs(['paddock-runner', 'registration', 'create', '--data-dir', '/var/lib/paddock-runner', '--expires', expires, '--role', role, '--json']))).stdout) as { token: string }).token,
      } as unknown as RemoteRunnerHandle;
      const admin = await registerWorkstation(runner, 'admin', 'Admin workstation');
      expect(await runnerCall(runner, admin.apiToken, 'GET', '/v1/status')).toMatchObject({ status: 200, body: { spki: listening.spki, client: { role: 'admin' } } });

      // SIGTERM to the runner's Node (buildah run itself would not forward it).
      process.kill(listening.pid, 'SIGTERM');
      expect(await exited).toBe(0);
      expect(lines().at(-1)?.msg).toBe('runner stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
