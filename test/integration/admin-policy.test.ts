import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPaddockError } from '../../electron/common/errors';
import { createCore } from '../../electron/core/app-core';
import { memoryCredentialStore } from '../../electron/core/credentials';
import { silentLogger } from '../../electron/core/logger';
import { loadPolicy } from '../../electron/core/policy/load';
import { nodeRunnerLauncher } from '../../electron/core/runners/node-launcher';
import { openStore } from '../../electron/core/store/store';
import { SIMULATED_TENANT, startProviderSimulators } from '../helpers/provider-simulators';

let simulators: Awaited<ReturnType<typeof startProviderSimulators>>;
beforeAll(async () => {
  simulators = await startProviderSimulators();
});
afterAll(() => simulators?.close());

describe.runIf(process.env.PADDOCK_KEYRING_SESSION === '1')('admin policy on the local runner (S7)', () => {
  it('provisions managed entries, reports the invalid part and applies the rest, and refuses changes to managed entries', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-policy-'));
    const canary = `canary-policy-secret-${randomUUID()}`;
    const policyFile = path.join(dir, 'policy.json');
    fs.writeFileSync(
      policyFile,
      JSON.stringify({
        version: 1,
        providers: [
          {
            runner: 'local',
            kind: 'azure-devops',
            host: 'https://dev.azure.com',
            organizations: [{ name: 'contoso', tenant: SIMULATED_TENANT }],
            oauth: { clientId: '0f9c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f', tenant: SIMULATED_TENANT, publicClient: true },
            pat: { enabled: true },
          },
          // A GitHub OAuth app needs a secret; on the local runner the policy may carry one (RFC 8252 §8.5).
          { runner: 'local', kind: 'github', host: 'https://ghe.example.test', oauth: { clientId: 'Iv1.0123456789abcdef', clientSecret: canary }, pat: { enabled: true } },
          { runner: 'local', kind: 'svn', host: 'https://svn.example.test' },
        ],
      }),
    );
    const policy = await loadPolicy({ platform: process.platform, env: { PADDOCK_POLICY_FILE: policyFile }, isDevelopmentBuild: true, readFile: (f) => fs.readFileSync(f, 'utf8') });
    expect(policy.providers).toHaveLength(2);
    const appDir = path.join(dir, 'app');
    fs.mkdirSync(appDir);
    const runnerLogs: string[] = [];
    const core = createCore({
      store: openStore({ directory: appDir, createBackend: (o) => new Conf(o) as never }),
      appInfo: { name: 'Paddock', version: 'test', shell: 'web', platform: process.platform },
      logger: silentLogger,
      credentials: memoryCredentialStore(),
      localRunner: {
        dataDir: path.join(appDir, 'runner'),
        launch: nodeRunnerLauncher({ onLog: (l) => runnerLogs.push(l), env: { ...process.env, ...simulators.runnerEnv } }),
        args: simulators.runnerArgs,
      },
      heartbeatMs: 200,
      policy,
    });
    try {
      let providers: Awaited<ReturnType<typeof core.listProviders>> = [];
      for (let i = 0; i < 200 && providers.length < 2; i++) {
        providers = await core.listProviders({ id: 'local' }).catch(() => []);
        if (providers.length < 2) await new Promise((r) => setTimeout(r, 100));
      }
      expect(providers.map((p) => [p.kind, p.host, p.managed, p.oauth.secretSet])).toEqual([
        ['azure-devops', 'https://dev.azure.com', true, false],
        ['github', 'https://ghe.example.test', true, true],
      ]);

      const notices = await core.listNotices();
      expect(notices.map((n) => n.message).join('\n')).toMatch(/providers\[2\]/);

      for (const attempt of [
        core.saveProvider({
          runnerId: 'local',
          provider: {
            kind: 'azure-devops',
            host: 'https://dev.azure.com/',
            organizations: [],
            collections: [],
            oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } },
            pat: { enabled: true },
          },
          previousHost: 'https://dev.azure.com',
          confirmWarnings: true,
        }),
        core.deleteProvider({ runnerId: 'local', host: 'https://ghe.example.test' }),
      ]) {
        const error = await attempt.then(() => null, (e: unknown) => e);
        expect(isPaddockError(error) && error.code).toBe('forbidden');
        expect((error as { message: string }).message).toMatch(/managed by the admin policy/);
      }
      expect(await core.listProviders({ id: 'local' })).toHaveLength(2);

      // The policy's plain secret is kept only inside the runner, encrypted.
      const runnerFiles = (fs.readdirSync(path.join(appDir, 'runner'), { recursive: true }) as string[]).map((f) => path.join(appDir, 'runner', f));
      for (const file of runnerFiles.filter((f) => fs.statSync(f).isFile())) expect(fs.readFileSync(file).toString('latin1')).not.toContain(canary);
      expect(fs.readFileSync(path.join(appDir, 'paddock.json'), 'utf8')).not.toContain(canary);
      expect(runnerLogs.join('\n')).not.toContain(canary);
      expect(JSON.stringify(notices)).not.toContain(canary);
    } finally {
      await core.dispose();
    }
  });
});

describe.runIf(process.env.PADDOCK_KEYRING_SESSION === '1')('admin policy: a managed runner on a server (S7)', () => {
  it('is listed as managed and unregistered, registers with a token only, pins the policy key, and gets its pre-sealed entries', async () => {
    const { startRemoteRunner } = await import('../helpers/remote-runner');
    const { sealClientSecret } = await import('../../electron/common/provider-config');
    const { keychainCredentialStore } = await import('../../electron/core/credentials');
    // The runner's identity exists after its first start; the admin then writes the policy and restarts it with --policy.
    const net = await import('node:net');
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const first = await startRemoteRunner({ listen: `127.0.0.1:${port}` });
    await first.stop();
    const runnerUid = JSON.parse(fs.readFileSync(path.join(first.dataDir, 'runner.json'), 'utf8')).runnerId as string;
    const canary = `canary-sealed-policy-${randomUUID()}`;
    // The admin seals the GitHub Enterprise secret to the runner's key, bound to its entry (docs/policy.md).
    const sealed = sealClientSecret(
      { runnerId: runnerUid, kind: 'github', host: 'https://ghe.example.test', clientId: 'Iv1.policy', tenant: null, secret: canary },
      first.publicKey,
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-policy-remote-'));
    const policyFile = path.join(dir, 'policy.json');
    fs.writeFileSync(
      policyFile,
      JSON.stringify({
        version: 1,
        runners: [{ id: 'build', name: 'Build server', url: first.url, spki: first.spki, publicKey: first.publicKey, runnerUid }],
        providers: [{ runner: 'build', kind: 'github', host: 'https://ghe.example.test', oauth: { clientId: 'Iv1.policy', sealedClientSecret: sealed }, pat: { enabled: true } }],
      }),
    );
    const remote = await startRemoteRunner({ dataDir: first.dataDir, listen: `127.0.0.1:${port}`, extraArgs: ['--ca-file', simulators.caFile, '--policy', policyFile] });
    expect(remote.output()).toMatch(/Policy: 1 managed provider entry/);
    try {
      const policy = await loadPolicy({ platform: process.platform, env: { PADDOCK_POLICY_FILE: policyFile }, isDevelopmentBuild: true, readFile: (f) => fs.readFileSync(f, 'utf8') });
      expect(policy.problems).toEqual([]);
      const appDir = path.join(dir, 'app');
      fs.mkdirSync(appDir);
      const core = createCore({
        store: openStore({ directory: appDir, createBackend: (o) => new Conf(o) as never }),
        appInfo: { name: 'Paddock', version: 'test', shell: 'web', platform: process.platform },
        logger: silentLogger,
        credentials: keychainCredentialStore(),
        localRunner: null,
        heartbeatMs: 200,
        policy,
      });
      try {
        const until = async (what: string, probe: () => Promise<boolean>) => {
          for (let i = 0; i < 150; i++) {
            if (await probe()) return;
            await new Promise((r) => setTimeout(r, 100));
          }
          throw new Error(`Timed out waiting for ${what}`);
        };
        const runner = () => core.getRunner({ id: 'managed-build' });
        await until('unregistered', async () => (await runner()).health.state === 'unregistered');
        expect(await runner()).toMatchObject({ name: 'Build server', managed: true, url: remote.url, spki: remote.spki });

        for (const attempt of [core.renameRunner({ id: 'managed-build', name: 'Mine' }), core.removeRunner({ id: 'managed-build', force: true })]) {
          const error = await attempt.then(() => null, (e: unknown) => e);
          expect(isPaddockError(error) && error.code).toBe('forbidden');
        }

        const registered = await core.registerManagedRunner({ id: 'managed-build', token: await remote.createToken('24h', 'admin') });
        expect(registered.managed).toBe(true);
        await until('online', async () => (await runner()).health.state === 'online');
        // Its policy entries were applied on the runner, the sealed secret opened there.
        await until('managed entry', async () => (await core.listProviders({ id: 'managed-build' })).length === 1);
        expect(await core.listProviders({ id: 'managed-build' })).toEqual([
          expect.objectContaining({ kind: 'github', host: 'https://ghe.example.test', managed: true, oauth: expect.objectContaining({ secretSet: true }) }),
        ]);
        const deleted = await core.deleteProvider({ runnerId: 'managed-build', host: 'https://ghe.example.test' }).then(() => null, (e: unknown) => e);
        expect(isPaddockError(deleted) && deleted.code).toBe('forbidden');
        expect(remote.output()).not.toContain(canary);
        expect(fs.readFileSync(path.join(appDir, 'paddock.json'), 'utf8')).not.toContain(canary);
      } finally {
        await core.dispose();
      }
    } finally {
      await remote.stop();
    }
  });
});
