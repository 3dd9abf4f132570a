import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type * as Keytar from '@github/keytar';
import { healthResponseSchema, RUNNER_EXIT, runnerStatusSchema } from '../../electron/common/runner-api';
import { LocalRunnerSupervisor, type LocalRunnerState, type RunnerLauncher } from '../../electron/core/runners/local-runner';
import { nodeRunnerLauncher } from '../../electron/core/runners/node-launcher';
import { silentLogger } from '../../electron/core/logger';

const keytar = createRequire(import.meta.url)('@github/keytar') as typeof Keytar;

const supervisors: LocalRunnerSupervisor[] = [];
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()));
});

function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const value = probe();
      if (value) return resolve(value);
      if (Date.now() - started > timeoutMs) return reject(new Error(`Timed out waiting for ${what}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}

function supervise(launch: RunnerLauncher, dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-local-'))) {
  const states: LocalRunnerState[] = [];
  const supervisor = new LocalRunnerSupervisor({
    dataDir,
    launch,
    logger: silentLogger,
    backoff: { initialMs: 200, maxMs: 1000 },
    onChange: (state) => states.push(state),
  });
  supervisors.push(supervisor);
  return { supervisor, states, dataDir };
}

/** Counts launches and remembers the last child's pid (found through /proc by its data dir). */
function countingLauncher(inner: RunnerLauncher) {
  const launches: string[][] = [];
  const launch: RunnerLauncher = (args) => {
    launches.push(args);
    return inner(args);
  };
  return { launch, launches };
}

function pidsFor(dataDir: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataDir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe.runIf(process.env.PADDOCK_KEYRING_SESSION === '1')('local runner with the real OS keychain', () => {
  it('starts, proves it knows the token, and keeps its private key only in the keychain', async () => {
    const logs: string[] = [];
    const { supervisor, dataDir } = supervise(nodeRunnerLauncher({ onLog: (l) => logs.push(l) }));
    supervisor.start();
    await until('running', () => supervisor.state.phase === 'running');
    const session = supervisor.session!;
    const runnerFile = JSON.parse(fs.readFileSync(path.join(dataDir, 'runner.json'), 'utf8'));
    expect(supervisor.state.publicKey).toBe(runnerFile.publicKey);

    const stored = await keytar.getPassword('dev.paddock.runner', runnerFile.runnerId);
    const { privateKey, dataKey } = JSON.parse(stored!);
    expect(privateKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    for (const file of fs.readdirSync(dataDir, { recursive: true }) as string[]) {
      const full = path.join(dataDir, file);
      if (fs.statSync(full).isFile()) {
        const text = fs.readFileSync(full, 'utf8');
        expect(text).not.toContain(privateKey);
        expect(text).not.toContain(dataKey);
      }
    }
    // The token is in neither the argument list nor the environment of the runner process.
    const [pid] = pidsFor(dataDir);
    expect(pid).toBeDefined();
    expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(session.token);
    expect(fs.readFileSync(`/proc/${pid}/environ`, 'utf8')).not.toContain(session.token);
    expect(logs.join('\n')).not.toContain(session.token);
  });

  it('listens on a socket in a 0700 directory and applies the API rules there too', async () => {
    const { supervisor } = supervise(nodeRunnerLauncher());
    supervisor.start();
    await until('running', () => supervisor.state.phase === 'running');
    const endpoint = supervisor.session!.endpoint;
    expect(fs.statSync(path.dirname(endpoint)).mode & 0o777).toBe(0o700);
    const ask = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        http.get({ socketPath: endpoint, path: '/v1/status', headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
    const bearer = { Authorization: `Bearer ${supervisor.session!.token}` };
    expect(await ask({ Host: 'localhost', ...bearer })).toBe(200);
    expect(await ask({ Host: 'localhost' })).toBe(401);
    expect(await ask({ Host: 'localhost', Authorization: 'Bearer wrong' })).toBe(401);
    expect(await ask({ Host: 'evil.example', ...bearer })).toBe(403);
    expect(await ask({ Host: 'localhost', Origin: 'http://evil.example', ...bearer })).toBe(403);
  });

  it('stops cleanly: exit code 0 and its socket directory gone', async () => {
    const exits: (number | null)[] = [];
    const inner = nodeRunnerLauncher();
    const { supervisor } = supervise((args) => {
      const child = inner(args);
      child.onExit((code) => exits.push(code));
      return child;
    });
    supervisor.start();
    await until('running', () => supervisor.state.phase === 'running');
    const endpoint = supervisor.session!.endpoint;
    await supervisor.stop();
    expect(exits).toEqual([RUNNER_EXIT.ok]);
    expect(fs.existsSync(path.dirname(endpoint))).toBe(false);
    expect(supervisor.state.phase).toBe('stopped');
  });

  it('restarts with backoff after a crash', async () => {
    const { launch, launches } = countingLauncher(nodeRunnerLauncher());
    const { supervisor, states, dataDir } = supervise(launch);
    supervisor.start();
    await until('running', () => supervisor.state.phase === 'running');
    for (const pid of pidsFor(dataDir)) process.kill(pid, 'SIGKILL');
    await until('a restart message', () => states.some((s) => s.phase === 'starting' && /stopped unexpectedly/.test(s.message ?? '')));
    await until('running again', () => launches.length === 2 && supervisor.state.phase === 'running');
    expect(await supervisor.session!.connection.request({ method: 'GET', path: '/v1/health' }, healthResponseSchema)).toMatchObject({ status: 'ok' });
  });

  it('runs from the app bundle (.vite/build/runner.cjs, what the utility process loads)', async () => {
    const bundle = path.resolve('.vite/build/runner.cjs');
    if (!fs.existsSync(bundle)) execFileSync(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/build-app.ts'], { stdio: 'inherit' });
    const { supervisor } = supervise(nodeRunnerLauncher({ entry: bundle }));
    supervisor.start();
    await until('running', () => supervisor.state.phase === 'running');
    const status = await supervisor.session!.connection.request(
      { method: 'GET', path: '/v1/status', bearer: supervisor.session!.token },
      runnerStatusSchema,
    );
    expect(status).toMatchObject({ mode: 'local', secretStore: 'keychain', apiVersion: 1 });
  });

  it('deletes its keys and data when purged', async () => {
    const { supervisor, dataDir } = supervise(nodeRunnerLauncher());
    supervisor.start();
    await until('running', () => supervisor.state.phase === 'running');
    const { runnerId } = JSON.parse(fs.readFileSync(path.join(dataDir, 'runner.json'), 'utf8'));
    expect(await keytar.getPassword('dev.paddock.runner', runnerId)).not.toBeNull();
    await supervisor.purge();
    expect(await keytar.getPassword('dev.paddock.runner', runnerId)).toBeNull();
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });
});

describe('local runner failures', () => {
  it('exits with the keychain code when the keychain cannot be reached, says how to fix it, and is not restarted', async () => {
    const { launch, launches } = countingLauncher(
      nodeRunnerLauncher({ env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: '' } }),
    );
    const { supervisor } = supervise(launch);
    supervisor.start();
    await until('failed', () => supervisor.state.phase === 'failed');
    expect(supervisor.state.message).toMatch(/keychain cannot be reached/);
    expect(supervisor.state.message).toMatch(/--secret-store file/);
    await new Promise((r) => setTimeout(r, 1000)); // several backoff periods
    expect(launches).toHaveLength(1);
  });

  it('never sends its token to a socket that cannot prove it knows it (squatting)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdk-squat-'));
    const socketPath = path.join(dir, 's.sock');
    const seenAuthorization: string[] = [];
    const impostor = http.createServer((req, res) => {
      if (req.headers.authorization) seenAuthorization.push(req.headers.authorization);
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ proof: Buffer.alloc(32, 7).toString('base64') }));
    });
    await new Promise<void>((resolve) => impostor.listen(socketPath, resolve));
    let exitListener: ((code: number | null) => void) | undefined;
    const fake: RunnerLauncher = () => {
      let onMessage: ((m: unknown) => void) | undefined;
      setTimeout(
        () =>
          onMessage?.({
            type: 'ready',
            endpoint: socketPath,
            publicKey: Buffer.alloc(32, 1).toString('base64'),
            runnerId: 'r_impostor1',
            version: '0.1.0',
            apiVersion: 1,
          }),
        20,
      );
      return {
        postMessage: () => {},
        onMessage: (l) => (onMessage = l),
        onExit: (l) => (exitListener = l),
        kill: () => setTimeout(() => exitListener?.(null), 10),
      };
    };
    const { supervisor } = supervise(fake);
    supervisor.start();
    await until('failed', () => supervisor.state.phase === 'failed');
    expect(supervisor.state.message).toMatch(/without knowing its token/);
    expect(supervisor.session).toBeNull();
    expect(seenAuthorization).toEqual([]);
    impostor.close();
  });
});

describe.runIf(process.env.PADDOCK_KEYRING_SESSION === '1')('the local runner in the app core (R1)', () => {
  it('is made on first start, removed with its keys on request, not remade at the next start, and set up again on request', async () => {
    const { createCore } = await import('../../electron/core/app-core');
    const { memoryCredentialStore } = await import('../../electron/core/credentials');
    const { openStore } = await import('../../electron/core/store/store');
    const Conf = (await import('conf')).default;
    const appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-app-'));
    const runnerDir = path.join(appDir, 'runner');
    const start = () =>
      createCore({
        store: openStore({ directory: appDir, createBackend: (o) => new Conf(o) as never }),
        appInfo: { name: 'Paddock', version: 'test', shell: 'web', platform: process.platform },
        logger: silentLogger,
        credentials: memoryCredentialStore(),
        localRunner: { dataDir: runnerDir, launch: nodeRunnerLauncher() },
        heartbeatMs: 200,
      });

    const core = start();
    const online = async () => (await core.listRunners()).find((r) => r.id === 'local')?.health.state === 'online';
    for (let i = 0; i < 200 && !(await online()); i++) await new Promise((r) => setTimeout(r, 100));
    const [local] = await core.listRunners();
    expect(local).toMatchObject({ id: 'local', kind: 'local', name: 'Local runner', health: { state: 'online' } });
    expect(local!.publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const { runnerId } = JSON.parse(fs.readFileSync(path.join(runnerDir, 'runner.json'), 'utf8'));

    expect(await core.removeRunner({ id: 'local' })).toEqual([]);
    expect(await keytar.getPassword('dev.paddock.runner', runnerId)).toBeNull();
    await core.dispose();

    const again = start();
    expect(await again.listRunners()).toEqual([]);
    const setUp = await again.setUpLocalRunner();
    expect(setUp.id).toBe('local');
    for (let i = 0; i < 200 && (await again.getRunner({ id: 'local' })).health.state !== 'online'; i++) await new Promise((r) => setTimeout(r, 100));
    const fresh = await again.getRunner({ id: 'local' });
    expect(fresh.health.state).toBe('online');
    expect(fresh.publicKey).not.toBe(local!.publicKey);
    await again.removeRunner({ id: 'local' });
    await again.dispose();
  });
});

describe('local runner: what cannot be repaired by restarting', () => {
  it('a damaged data directory exits 73 with a message, and is not restarted in a loop', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-damaged-'));
    fs.writeFileSync(path.join(dataDir, 'runner.json'), '{"runnerId": ');
    const { launch, launches } = countingLauncher(nodeRunnerLauncher());
    const { supervisor } = supervise(launch, dataDir);
    supervisor.start();
    await until('failed', () => supervisor.state.phase === 'failed');
    expect(supervisor.state.message).toMatch(/runner\.json is not valid JSON.*moved aside/);
    await new Promise((r) => setTimeout(r, 1000));
    expect(launches).toHaveLength(1);
  });

  it('a purge the runner could not finish is reported, and the runner is kept (and still restarted if it crashes)', async () => {
    const { createHmac } = await import('node:crypto');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdk-fake-'));
    const socketPath = path.join(dir, 'f.sock');
    let token = '';
    const fakeRunner = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.setHeader('Content-Type', 'application/json');
        if (req.url === '/v1/hello') {
          const { nonce } = JSON.parse(body);
          res.end(JSON.stringify({ proof: createHmac('sha256', token).update(`paddock-hello-v1\n${nonce}`).digest('base64') }));
        } else if (req.url === '/v1/purge') {
          res.statusCode = 500;
          res.end(JSON.stringify({ error: { code: 'internal', message: 'The runner could not complete this request; details are in its log.' } }));
        } else {
          res.statusCode = 404;
          res.end(JSON.stringify({ error: { code: 'not-found', message: 'no' } }));
        }
      });
    });
    await new Promise<void>((resolve) => fakeRunner.listen(socketPath, resolve));
    let launches = 0;
    const exitListeners: ((code: number | null) => void)[] = [];
    const fake: RunnerLauncher = () => {
      launches++;
      let onMessage: ((m: unknown) => void) | undefined;
      return {
        postMessage: (m) => {
          if (m.type === 'token') {
            token = m.token;
            setTimeout(
              () =>
                onMessage?.({ type: 'ready', endpoint: socketPath, publicKey: Buffer.alloc(32, 1).toString('base64'), runnerId: 'r_fake1234', version: '0.1.0', apiVersion: 1 }),
              10,
            );
          }
        },
        onMessage: (l) => (onMessage = l),
        onExit: (l) => exitListeners.push(l),
        kill: () => exitListeners.forEach((l) => l(null)),
      };
    };
    const { supervisor } = supervise(fake);
    supervisor.start();
    await until('running', () => supervisor.state.phase === 'running');
    await expect(supervisor.purge()).rejects.toThrow(/could not complete/);
    expect(supervisor.state.phase).toBe('running');
    // A crash now is still a crash: restarted, not taken for the end of a purge.
    exitListeners.forEach((l) => l(1));
    await until('restarted', () => launches === 2);
    fakeRunner.close();
  });
});
