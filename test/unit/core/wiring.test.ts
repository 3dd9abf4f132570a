import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Conf from 'conf';
import { describe, expect, it } from 'vitest';
import { memoryCredentialStore } from '../../../electron/core/credentials';
import { silentLogger } from '../../../electron/core/logger';
import { openStore } from '../../../electron/core/store/store';
import { wireApp } from '../../../electron/core/wiring';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function wired(policyFile: string | null) {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-wiring-'));
  const store = openStore({ directory, createBackend: (options) => new Conf(options) as never });
  return wireApp({
    store,
    logger: silentLogger,
    credentials: memoryCredentialStore(),
    appInfo: { name: 'Paddock', version: '0.0.0-test', shell: 'web', platform: process.platform, simulation: null },
    policy: {
      platform: 'linux',
      env: policyFile ? { PADDOCK_POLICY_FILE: policyFile } : {},
      isDevelopmentBuild: true,
      readFile: (file) => fs.promises.readFile(file, 'utf8'),
    },
    localRunner: null,
  });
}

describe('wireApp', () => {
  it('builds the core with the admin policy and a dispatcher that carries the contract’s methods only', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-policy-')), 'policy.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, runners: [{ id: 'x' }] }));
    const app = await wired(file);
    try {
      expect(app.policy.found).toBe(true);
      // The policy's problems reach the user as notices.
      const notices = await app.dispatcher.call('listNotices', null);
      expect(notices.ok && (notices.value as { id: string }[]).some((n) => n.id.startsWith('policy:'))).toBe(true);
      expect(await app.dispatcher.call('getAppInfo', null)).toMatchObject({ ok: true, value: { shell: 'web', apiVersion: 1 } });
      expect(await app.dispatcher.call('refreshHosts', null)).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
      expect(typeof app.core.main.refreshHosts).toBe('function');
    } finally {
      await app.core.main.dispose();
    }
  });

  it('is the one place the Electron main process and the web host build the core', () => {
    for (const file of ['electron/main/app-core.ts', 'test/web-host/server.ts']) {
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      expect(text, file).toMatch(/\bwireApp\(/);
      expect(text, file).not.toMatch(/\bcreateCore\(|\bcreateApiDispatcher\(|\bloadPolicy\(/);
    }
  });
});
