import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { ProviderService, ProviderServiceError } from '../../../electron/runner/provider-service';
import { ProviderStore } from '../../../electron/runner/provider-store';
import { Vault } from '../../../electron/runner/vault';

function service() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-providers-'));
  const vault = new Vault(path.join(dir, 'vault'), new Uint8Array(32).fill(3));
  const keys = nacl.box.keyPair();
  return new ProviderService({ runnerId: 'r_test1234', keys, store: new ProviderStore(dir, vault, path.join(dir, 'vault')) });
}

const ghe = { kind: 'github' as const, host: 'https://ghe.example.test', organizations: [], collections: [], pat: { enabled: true } };

describe('ProviderService and managed entries', () => {
  it('refuses to change or remove a managed entry, whatever the request says', async () => {
    const providers = service();
    expect(providers.applyPolicy([{ ...ghe, oauth: null }])).toEqual({ applied: 1, problems: [] });
    await expect(
      providers.save({
        provider: { ...ghe, oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: false } },
        previousHost: 'https://ghe.example.test',
        confirmWarnings: true,
      }),
    ).rejects.toBeInstanceOf(ProviderServiceError);
    expect(() => providers.delete('https://ghe.example.test')).toThrow(/managed by the admin policy/);
    // When the policy no longer names it, it is the admin's to edit again.
    providers.applyPolicy([]);
    expect(providers.list()[0]?.managed).toBe(false);
    expect(providers.delete('https://ghe.example.test')).toEqual({ deletedTokens: 0 });
  });

  it('reports a policy entry whose sealed secret was sealed for something else, and applies the rest', () => {
    const providers = service();
    const result = providers.applyPolicy([
      { ...ghe, oauth: { clientId: 'x', tenant: null, clientSecret: { type: 'sealed', sealed: 'A'.repeat(80) } } },
      { ...ghe, host: 'https://ghe2.example.test', oauth: null },
    ]);
    expect(result.applied).toBe(1);
    expect(result.problems).toEqual([{ host: 'https://ghe.example.test', message: expect.stringMatching(/not sealed to this runner/) }]);
  });
});
