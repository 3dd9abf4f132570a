import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type * as Keytar from '@github/keytar';

// keytar is CommonJS with a native addon; load it as Node would in the runner.
const keytar = createRequire(import.meta.url)('@github/keytar') as typeof Keytar;

const inKeyringSession = process.platform !== 'linux' || process.env.PADDOCK_KEYRING_SESSION === '1';

if (inKeyringSession) {
  describe('OS keychain (gnome-keyring in a private D-Bus session on Linux)', () => {
  const service = `dev.paddock.test.${process.pid}`;

  it('stores, reads and deletes a secret through keytar', async () => {
    const canary = `canary-${crypto.randomUUID()}`;
    await keytar.setPassword(service, 'data-key', canary);
    expect(await keytar.getPassword(service, 'data-key')).toBe(canary);
    expect(await keytar.findCredentials(service)).toEqual([{ account: 'data-key', password: canary }]);
    expect(await keytar.deletePassword(service, 'data-key')).toBe(true);
    expect(await keytar.getPassword(service, 'data-key')).toBeNull();
  });

  it('keeps entries of other services apart', async () => {
    await keytar.setPassword(`${service}.a`, 'key', 'alpha');
    await keytar.setPassword(`${service}.b`, 'key', 'beta');
    expect(await keytar.getPassword(`${service}.a`, 'key')).toBe('alpha');
    expect(await keytar.getPassword(`${service}.b`, 'key')).toBe('beta');
    await keytar.deletePassword(`${service}.a`, 'key');
    await keytar.deletePassword(`${service}.b`, 'key');
  });
});
} else {
  describe('OS keychain', () => {
    it.skip('skipped: needs the private keyring session that test/integration/with-keyring.sh starts (npm run test:integration)', () => {});
  });
}
