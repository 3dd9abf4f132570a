// The user's proxy from Settings (D4) reaches the local runner: saving it
// restarts the runner, whose provider requests then go through it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type PaddockCore } from '../../electron/core/app-core';
import { memoryCredentialStore } from '../../electron/core/credentials';
import { silentLogger } from '../../electron/core/logger';
import { nodeRunnerLauncher } from '../../electron/core/runners/node-launcher';
import { openStore } from '../../electron/core/store/store';
import { startHttpProxy, type HttpProxy } from '../fakes/http-proxy';

let proxy: HttpProxy;
let core: PaddockCore | null = null;
const dirs: string[] = [];

beforeAll(async () => {
  proxy = await startHttpProxy();
});
afterAll(async () => {
  await core?.dispose();
  await proxy?.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const online = async (c: PaddockCore, after = 0) => {
  for (let i = 0; i < 400; i++) {
    const local = (await c.listRunners()).find((r) => r.id === 'local');
    if (local?.health.state === 'online' && Date.parse(local.health.lastSeen ?? '') >= after) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the local runner did not come online');
};

describe.runIf(process.env.PADDOCK_KEYRING_SESSION === '1')('the proxy set in Settings', () => {
  it('restarts the local runner, whose provider requests then go through it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-settings-proxy-'));
    dirs.push(dataDir);
    const launches: string[][] = [];
    const launch = nodeRunnerLauncher({ onLog: () => {}, env: { ...process.env, HTTPS_PROXY: '', https_proxy: '', NO_PROXY: '', no_proxy: '' } });
    const store = openStore({ directory: dataDir, createBackend: (options) => new Conf(options) as never });
    core = createCore({
      store,
      appInfo: { name: 'Paddock', version: '0.0.0-test', shell: 'web', platform: process.platform },
      logger: silentLogger,
      credentials: memoryCredentialStore(),
      localRunner: { dataDir: path.join(dataDir, 'runner'), launch: (args) => (launches.push(args), launch(args)), args: ['--environments-dir', path.join(dataDir, 'environments')] },
      heartbeatMs: 200,
    });
    await online(core);
    expect(launches).toHaveLength(1);

    const saved = Date.now();
    await core.updatePreferences({ network: { proxy: proxy.origin, noProxy: 'localhost', caFile: null } });
    for (let i = 0; i < 200 && launches.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(launches).toHaveLength(2);
    expect(launches[1]).toContain('--no-proxy');
    await online(core, saved);

    // Saving an entry checks its host over the network: through the proxy now.
    await core
      .saveProvider({
        runnerId: 'local',
        provider: { kind: 'github', host: 'https://ghe.settings-proxy.invalid', organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: true } },
        previousHost: null,
        confirmWarnings: true,
      })
      .catch(() => undefined);
    expect(proxy.requests.some((r) => r.method === 'CONNECT' && r.target === 'ghe.settings-proxy.invalid:443'), JSON.stringify(proxy.requests)).toBe(true);
  });
});
