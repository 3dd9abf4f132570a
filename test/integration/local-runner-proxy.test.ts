// The admin policy's proxy for the local runner (D4) reaches the runner with
// its token over the process channel, not on its command line: the proxy URL
// may hold a user name and password, and every local user can read argv.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LocalRunnerSupervisor } from '../../electron/core/runners/local-runner';
import { nodeRunnerLauncher } from '../../electron/core/runners/node-launcher';
import { silentLogger } from '../../electron/core/logger';
import { startHttpProxy, type HttpProxy } from '../fakes/http-proxy';
import { listProcesses, readArgvAndEnviron } from './support/procs';

const user = `pxu-${randomUUID().slice(0, 8)}`;
const password = `proxy-canary-${randomUUID().replaceAll('-', '')}`;
let proxy: HttpProxy;
let supervisor: LocalRunnerSupervisor | null = null;

beforeAll(async () => {
  proxy = await startHttpProxy({ credentials: { user, password } });
});
afterAll(async () => {
  await supervisor?.stop();
  await proxy?.close();
});

describe.runIf(process.env.PADDOCK_KEYRING_SESSION === '1')('the local runner’s proxy', () => {
  it('is used for provider requests, and is on no command line', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-local-proxy-'));
    const logs: string[] = [];
    const launches: string[][] = [];
    const launch = nodeRunnerLauncher({ onLog: (line) => logs.push(line), env: { ...process.env, HTTPS_PROXY: '', https_proxy: '', NO_PROXY: '', no_proxy: '' } });
    supervisor = new LocalRunnerSupervisor({
      dataDir,
      launch: (args) => (launches.push(args), launch(args)),
      proxy: `http://${user}:${password}@127.0.0.1:${proxy.port}`,
      args: ['--no-proxy', 'localhost'],
      logger: silentLogger,
      onChange: () => {},
    });
    supervisor.start();
    for (let i = 0; i < 400 && supervisor.state.phase !== 'running'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(supervisor.state.phase, JSON.stringify(supervisor.state)).toBe('running');
    const session = supervisor.session!;
    // Saving an entry checks its host over the network: through the proxy.
    await session.connection
      .request(
        {
          method: 'PUT',
          path: '/v1/providers',
          bearer: session.token,
          body: {
            provider: { kind: 'github', host: 'https://ghe.proxy-test.invalid', organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: true } },
            previousHost: null,
            confirmWarnings: true,
          },
        },
        z.unknown(),
      )
      .then((answer) => logs.push(`answer ${JSON.stringify(answer)}`), (error: Error) => logs.push(`refused ${error.message}`));
    // The proxy was asked, with the credentials from the URL (the host does not exist: it answers 502).
    expect(proxy.requests.some((r) => r.method === 'CONNECT' && r.target === 'ghe.proxy-test.invalid:443' && r.user === user), JSON.stringify(proxy.requests)).toBe(true);
    expect(JSON.stringify(launches)).not.toContain(password);
    const runnerProcesses = listProcesses()
      .map((p) => ({ pid: p.pid, seen: readArgvAndEnviron(p.pid) }))
      .filter((p) => p.seen?.cmdline.includes(dataDir));
    expect(runnerProcesses.length).toBeGreaterThan(0);
    for (const process of runnerProcesses) expect(process.seen!.cmdline).not.toContain(password);
    expect(logs.join('\n')).not.toContain(password);
  });
});
