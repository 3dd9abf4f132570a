import { describe, expect, it, vi } from 'vitest';
import { noDesktop } from '../../../electron/core/desktop';
import { silentLogger } from '../../../electron/core/logger';

vi.mock('electron', () => import('./electron-mock'));
const wireApp = vi.fn(async (options: unknown) => ({ options }));
vi.mock('../../../electron/core/wiring', () => ({ wireApp }));
vi.mock('../../../electron/core/credentials', () => ({ keychainCredentialStore: () => ({ kind: 'keychain' }) }));

const { setupCore } = await import('../../../electron/main/app-core');

describe('setupCore', () => {
  it('wires the core with Electron’s app info, the keychain, this machine’s policy and the runner next to main.cjs', async () => {
    const store = { path: '/tmp/paddock.json' } as never;
    await setupCore({ store, logger: silentLogger, desktop: noDesktop, buildDirectory: '/app/.vite/build', runnerLine: () => {}, isDevelopmentBuild: false });
    const options = wireApp.mock.calls[0]?.[0] as { store: unknown; desktop: unknown; credentials: unknown; appInfo: unknown; policy: unknown; localRunner: { dataDir: string; launch: unknown } };
    expect(options.store).toBe(store);
    expect(options.desktop).toBe(noDesktop);
    expect(options.credentials).toEqual({ kind: 'keychain' });
    expect(options.appInfo).toEqual({ name: 'Paddock', version: '0.0.0-test', shell: 'electron', platform: process.platform, simulation: null });
    expect(options.policy).toMatchObject({ platform: process.platform, env: process.env, isDevelopmentBuild: false });
    expect(options.localRunner.dataDir).toBe('/tmp/paddock-mock/userData/runner');
    expect(typeof options.localRunner.launch).toBe('function');
  });
});
