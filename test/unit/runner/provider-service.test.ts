import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { PaddockError } from '../../../electron/common/errors';
import { sealClientSecret, type ProviderInput, type ProviderValidation } from '../../../electron/common/provider-config';
import { entryFingerprint, ProviderService } from '../../../electron/runner/provider-service';
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
    expect(await providers.applyPolicy([{ ...ghe, oauth: null }])).toEqual({ applied: 1, problems: [] });
    await expect(
      providers.save({
        provider: { ...ghe, oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: false } },
        previousHost: 'https://ghe.example.test',
        confirmWarnings: true,
      }),
    ).rejects.toBeInstanceOf(PaddockError);
    await expect(providers.delete('https://ghe.example.test')).rejects.toThrow(/managed by the admin policy/);
    // Another spelling of the same server cannot stand beside it (an http entry shadowing https, another case).
    for (const host of ['https://GHE.example.test/', 'https://ghe.example.test:443']) {
      await expect(
        providers.save({
          provider: { ...ghe, host, oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } } },
          previousHost: null,
          confirmWarnings: true,
        }),
      ).rejects.toThrow(/managed by the admin policy/);
    }
    // When the policy no longer names it, it is the admin's to edit again.
    await providers.applyPolicy([]);
    expect(providers.list()[0]?.managed).toBe(false);
    expect(await providers.delete('https://ghe.example.test')).toEqual({ deletedTokens: 0 });
  });

  it('refuses an http entry for the same Azure DevOps Server as a managed https one, whatever the path case', async () => {
    const providers = service();
    const tfs = { kind: 'azure-devops-server' as const, organizations: [], collections: [{ name: 'DefaultCollection' }], pat: { enabled: true } };
    await providers.applyPolicy([{ ...tfs, host: 'https://tfs.example.test/tfs', oauth: null }]);
    for (const host of ['http://tfs.example.test/tfs', 'https://tfs.example.test/TFS', 'https://tfs.example.test/t%66s']) {
      await expect(
        providers.save({ provider: { ...tfs, host, oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } } }, previousHost: null, confirmWarnings: true }),
      ).rejects.toThrow(/same server/);
    }
  });

  it('keeps a managed entry managed (and unchanged) when a policy update for it is refused', async () => {
    const providers = service();
    await providers.applyPolicy([{ ...ghe, oauth: null }]);
    const result = await providers.applyPolicy([{ ...ghe, oauth: { clientId: 'rotated', tenant: null, clientSecret: { type: 'sealed', sealed: 'A'.repeat(80) } } }]);
    expect(result.problems).toHaveLength(1);
    expect(providers.list()).toEqual([expect.objectContaining({ host: 'https://ghe.example.test', managed: true, oauth: expect.objectContaining({ enabled: false }) })]);
  });

  it('runs saves and policy updates one at a time: a save cannot overwrite an entry that became managed meanwhile', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-providers-'));
    const vault = new Vault(path.join(dir, 'vault'), new Uint8Array(32).fill(3));
    const providers = new ProviderService({
      runnerId: 'r_test1234',
      keys: nacl.box.keyPair(),
      store: new ProviderStore(dir, vault, path.join(dir, 'vault')),
      networkCheck: async () => {
        await gate;
        return { host: [], oauth: [], pat: [] };
      },
    });
    const save = providers.save({
      provider: { ...ghe, oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } } },
      previousHost: null,
      confirmWarnings: true,
    });
    const policy = providers.applyPolicy([{ ...ghe, oauth: null, pat: { enabled: false } }]);
    release();
    await save;
    await policy;
    expect(providers.list()).toEqual([expect.objectContaining({ managed: true, pat: { enabled: false } })]);
  });

  it('reports a policy entry whose sealed secret was sealed for something else, and applies the rest', async () => {
    const providers = service();
    const result = await providers.applyPolicy([
      { ...ghe, oauth: { clientId: 'x', tenant: null, clientSecret: { type: 'sealed', sealed: 'A'.repeat(80) } } },
      { ...ghe, host: 'https://ghe2.example.test', oauth: null },
    ]);
    expect(result.applied).toBe(1);
    expect(result.problems).toEqual([{ host: 'https://ghe.example.test', message: expect.stringMatching(/not sealed to this runner/) }]);
  });
});

describe('the OAuth tenant of an entry', () => {
  const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const setup = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-providers-'));
    const vault = new Vault(path.join(dir, 'vault'), new Uint8Array(32).fill(3));
    const keys = nacl.box.keyPair();
    return { keys, providers: new ProviderService({ runnerId: 'r_test1234', keys, store: new ProviderStore(dir, vault, path.join(dir, 'vault')) }) };
  };
  const ado = (tenant: string | null, clientSecret: ProviderInput['oauth']['clientSecret'] = { action: 'none' }): ProviderInput => ({
    kind: 'azure-devops',
    host: 'https://dev.azure.com',
    organizations: [{ name: 'contoso', tenant: 'organizations', tenantOrigin: 'default' }],
    collections: [],
    oauth: { enabled: true, clientId: 'ado-client', tenant, clientSecret },
    pat: { enabled: true },
  });

  it('refuses a tenant Entra would read as another authority (Common, consumers, a name), with a tenant error', async () => {
    const { providers } = setup();
    for (const tenant of ['Common', 'COMMON', 'consumers', 'Consumers', 'Organizations', 'contoso.onmicrosoft.com', '00000000-0000-0000-0000-000000000000', `${TENANT}/v2.0`]) {
      const result = await providers.save({ provider: ado(tenant), previousHost: null, confirmWarnings: true });
      expect(result.saved, tenant).toBe(false);
      expect(result.validation.oauth, tenant).toContainEqual({ level: 'error', code: 'tenant', message: expect.stringMatching(/^The tenant of the OAuth app cannot be used\. /) });
    }
    expect(providers.list()).toEqual([]);
  });

  it('takes a tenant ID (stored lowercased), “organizations”, “common” or none', async () => {
    for (const [tenant, stored] of [
      [TENANT.toUpperCase(), TENANT],
      ['organizations', 'organizations'],
      ['common', 'common'],
      [null, null],
    ] as const) {
      const { providers } = setup();
      const result = await providers.save({ provider: ado(tenant), previousHost: null, confirmWarnings: true });
      expect(result.saved, String(tenant)).toBe(true);
      expect(result.provider?.oauth.tenant).toBe(stored);
    }
  });

  it('opens a secret sealed with the tenant as typed (an upper-case GUID), and keeps it when the entry is saved again', async () => {
    const { providers, keys } = setup();
    const typed = TENANT.toUpperCase();
    const sealed = sealClientSecret({ runnerId: 'r_test1234', kind: 'azure-devops', host: 'https://dev.azure.com', clientId: 'ado-client', tenant: typed, secret: 's3cret-value' }, Buffer.from(keys.publicKey).toString('base64'));
    const first = await providers.save({ provider: ado(typed, { action: 'replace', sealed }), previousHost: null, confirmWarnings: true });
    expect(first).toMatchObject({ saved: true, provider: { oauth: { tenant: TENANT, secretSet: true } } });
    expect(providers.clientSecret('https://dev.azure.com')).toBe('s3cret-value');
    const again = await providers.save({ provider: ado(typed, { action: 'keep' }), previousHost: 'https://dev.azure.com', confirmWarnings: true });
    expect(again).toMatchObject({ saved: true, deletedTokens: 0 });
    expect(JSON.stringify(again)).not.toContain('s3cret-value');
  });

  it('refuses a tenant on an entry of another provider', async () => {
    const { providers } = setup();
    const result = await providers.save({
      provider: { ...ghe, oauth: { enabled: true, clientId: 'gh-client', tenant: TENANT, clientSecret: { action: 'none' } } },
      previousHost: null,
      confirmWarnings: true,
    });
    expect(result.saved).toBe(false);
    expect(result.validation.oauth).toContainEqual(expect.objectContaining({ level: 'error', code: 'tenant', message: expect.stringMatching(/Only Azure DevOps/) }));
  });

  it('reports a policy entry (PUT /v1/policy) whose tenant cannot be used, and applies the rest', async () => {
    const { providers } = setup();
    const managed = (tenant: string | null) => ({
      kind: 'azure-devops' as const,
      host: 'https://dev.azure.com',
      organizations: [{ name: 'contoso', tenant: 'organizations', tenantOrigin: 'default' as const }],
      collections: [],
      oauth: { clientId: 'ado-client', tenant, clientSecret: { type: 'none' as const } },
      pat: { enabled: true },
    });
    const result = await providers.applyPolicy([managed('consumers'), { ...ghe, oauth: null }]);
    expect(result).toEqual({ applied: 1, problems: [{ host: 'https://dev.azure.com', message: expect.stringMatching(/tenant .* cannot be used/) }] });
    expect(providers.list().map((p) => p.host)).toEqual(['https://ghe.example.test']);
    expect((await providers.applyPolicy([managed(TENANT)])).problems).toEqual([]);
  });
});

describe('saving with what is known (the network only warns)', () => {
  const unreachable = { level: 'error' as const, code: 'host-refused', message: 'GitHub at https://ghe.example.test cannot be reached from this runner: connection refused.' };
  const setup = (network: () => Promise<ProviderValidation> | ProviderValidation) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-providers-'));
    const vault = new Vault(path.join(dir, 'vault'), new Uint8Array(32).fill(3));
    let calls = 0;
    const warned: unknown[][] = [];
    const providers = new ProviderService({
      runnerId: 'r_test1234',
      keys: nacl.box.keyPair(),
      store: new ProviderStore(dir, vault, path.join(dir, 'vault')),
      networkCheck: async () => {
        calls++;
        return network();
      },
      now: () => new Date('2026-12-04T10:00:00.000Z'),
      logger: { warn: (message: string, fields?: Record<string, unknown>) => void warned.push([message, fields]) },
    });
    return { providers, calls: () => calls, warned };
  };
  const patOnly = (patch: Partial<ProviderInput> = {}): ProviderInput => ({
    ...ghe,
    oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } },
    ...patch,
  });

  it('asks to confirm a host that cannot be reached (a warning, not an error), saves when confirmed, and records the failed check', async () => {
    const { providers } = setup(() => ({ host: [unreachable], oauth: [], pat: [] }));
    const first = await providers.save({ provider: patOnly(), previousHost: null, confirmWarnings: false });
    expect(first).toMatchObject({ saved: false, needsConfirmation: true, provider: null });
    expect(first.validation.host).toEqual([{ ...unreachable, level: 'warning' }]);
    expect(providers.list()).toEqual([]);

    const confirmed = await providers.save({ provider: patOnly(), previousHost: null, confirmWarnings: true });
    expect(confirmed.saved).toBe(true);
    const expectedCheck = { at: '2026-12-04T10:00:00.000Z', outcome: 'failed', message: unreachable.message, errors: 1, warnings: 0 };
    expect(confirmed.provider?.lastCheck).toEqual(expectedCheck);
    expect(providers.list()[0]).toMatchObject({ lastCheck: expectedCheck, acceptedWarnings: { codes: ['host-refused'] } });
  });

  it('does not ask again for warnings accepted for the same values; asks for a new warning or changed values', async () => {
    let network: ProviderValidation = { host: [unreachable], oauth: [], pat: [] };
    const { providers } = setup(() => network);
    await providers.save({ provider: patOnly(), previousHost: null, confirmWarnings: true });
    const host = 'https://ghe.example.test';

    // The same values, the same warning: saved without asking.
    expect(await providers.save({ provider: patOnly(), previousHost: host, confirmWarnings: false })).toMatchObject({ saved: true, needsConfirmation: false });

    // The same values, another warning as well: asked.
    network = { host: [unreachable], oauth: [], pat: [{ level: 'warning', code: 'pat-token-check', message: 'The endpoint did not answer.' }] };
    expect(await providers.save({ provider: patOnly(), previousHost: host, confirmWarnings: false })).toMatchObject({ saved: false, needsConfirmation: true });

    // Other values (OAuth's app changes what is checked): asked again, even for the warning accepted before.
    network = { host: [unreachable], oauth: [], pat: [] };
    // GitLab: a public client (PKCE) needs no Client Secret.
    const withOAuth = patOnly({ kind: 'gitlab', oauth: { enabled: true, clientId: 'gl-client', tenant: null, clientSecret: { action: 'none' } } });
    expect(await providers.save({ provider: withOAuth, previousHost: host, confirmWarnings: false })).toMatchObject({ saved: false, needsConfirmation: true });
  });

  it('Save anyway accepts the warnings the admin saw; one the save finds beyond them is asked about first', async () => {
    let network: ProviderValidation = { host: [unreachable], oauth: [], pat: [] };
    const { providers } = setup(() => network);
    // Between the answer the admin saw and Save anyway, the token endpoint stopped answering too.
    network = { host: [unreachable], oauth: [], pat: [{ level: 'warning', code: 'pat-token-check', message: 'The endpoint did not answer.' }] };
    const asked = await providers.save({ provider: patOnly(), previousHost: null, confirmWarnings: true, warningsSeen: ['host-refused'] });
    expect(asked).toMatchObject({ saved: false, needsConfirmation: true });
    expect(providers.list()).toEqual([]);
    const saved = await providers.save({ provider: patOnly(), previousHost: null, confirmWarnings: true, warningsSeen: ['host-refused', 'pat-token-check'] });
    expect(saved.saved).toBe(true);
    expect(providers.list()[0]?.acceptedWarnings?.codes.sort()).toEqual(['host-refused', 'pat-token-check']);
  });

  it('keeps errors for what is wrong in the form itself, whatever the request says', async () => {
    const { providers, calls } = setup(() => ({ host: [], oauth: [{ level: 'error', code: 'client-secret-required', message: 'GitHub needs the Client Secret.' }], pat: [] }));
    const missingSecret = await providers.save({
      provider: patOnly({ oauth: { enabled: true, clientId: 'gh-client', tenant: null, clientSecret: { action: 'none' } } }),
      previousHost: null,
      confirmWarnings: true,
    });
    expect(missingSecret).toMatchObject({ saved: false, needsConfirmation: false });
    expect(missingSecret.validation.oauth).toEqual([expect.objectContaining({ level: 'error', code: 'client-secret-required' })]);

    // A malformed host and a missing Client ID are refused before the network is asked.
    const before = calls();
    const malformed = await providers.save({ provider: patOnly({ host: 'https://not a host' }), previousHost: null, confirmWarnings: true });
    expect(malformed.validation.host).toEqual([expect.objectContaining({ level: 'error', code: 'invalid-url' })]);
    const noClientId = await providers.save({
      provider: patOnly({ oauth: { enabled: true, clientId: null, tenant: null, clientSecret: { action: 'none' } } }),
      previousHost: null,
      confirmWarnings: true,
    });
    expect(noClientId.validation.oauth).toContainEqual(expect.objectContaining({ level: 'error', code: 'client-id' }));
    expect(calls()).toBe(before);
    expect(providers.list()).toEqual([]);
  });

  it('saves when the check itself cannot run, saying so as a warning; why goes to the log, not into the entry', async () => {
    const { providers, warned } = setup(() => {
      throw new Error('the CA bundle cannot be read');
    });
    const first = await providers.save({ provider: patOnly(), previousHost: null, confirmWarnings: false });
    expect(first).toMatchObject({ saved: false, needsConfirmation: true });
    expect(first.validation.host).toEqual([expect.objectContaining({ level: 'warning', code: 'check-not-run' })]);
    expect(first.validation.host[0]?.message).not.toMatch(/CA bundle/);
    expect(warned).toContainEqual(['provider check did not run', expect.objectContaining({ error: 'the CA bundle cannot be read' })]);
    const saved = await providers.save({ provider: patOnly(), previousHost: null, confirmWarnings: true });
    expect(saved.provider?.lastCheck).toMatchObject({ outcome: 'failed' });
    expect(JSON.stringify(providers.list())).not.toContain('CA bundle');
  });

  it('refuses OAuth without the Client Secret its provider needs even when the check cannot run', async () => {
    const { providers } = setup(() => {
      throw new Error('no network');
    });
    const saved = await providers.save({
      provider: patOnly({ oauth: { enabled: true, clientId: 'gh-client', tenant: null, clientSecret: { action: 'none' } } }),
      previousHost: null,
      confirmWarnings: true,
    });
    expect(saved).toMatchObject({ saved: false, needsConfirmation: false });
    expect(saved.validation.oauth).toContainEqual(expect.objectContaining({ level: 'error', code: 'client-secret-required' }));
    expect(providers.list()).toEqual([]);
  });

  it('keeps a tenant the provider names as another one an error: saving anyway cannot store it', async () => {
    const mismatch = { level: 'error' as const, code: 'organization-tenant-mismatch', message: 'The organization fabrikam belongs to another tenant.' };
    const { providers } = setup(() => ({ host: [], oauth: [mismatch], pat: [] }));
    const saved = await providers.save({ provider: patOnly(), previousHost: null, confirmWarnings: true });
    expect(saved).toMatchObject({ saved: false, needsConfirmation: false });
    expect(saved.validation.oauth).toEqual([mismatch]);
  });

  it('cuts a very long finding to the schema’s length, so the entry stays readable', async () => {
    const long = { level: 'error' as const, code: 'tls-untrusted', message: `The certificate of ${'x'.repeat(5000)} is not trusted.` };
    const { providers } = setup(() => ({ host: [long], oauth: [], pat: [] }));
    const saved = await providers.save({ provider: patOnly(), previousHost: null, confirmWarnings: true });
    expect(saved.saved).toBe(true);
    const [entry] = providers.list();
    expect(entry?.lastCheck?.message?.length).toBe(2000);
    expect(entry?.lastCheck?.message?.endsWith('…')).toBe(true);
  });

  it('saves an entry that passes without asking, recorded as passed; without a network check it is not checked yet', async () => {
    const { providers } = setup(() => ({ host: [{ level: 'ok', code: 'host-probe', message: 'GitHub answered.' }], oauth: [], pat: [] }));
    const saved = await providers.save({ provider: patOnly(), previousHost: null, confirmWarnings: false });
    expect(saved.provider).toMatchObject({ lastCheck: { outcome: 'passed', message: null } });
    expect(saved.provider?.acceptedWarnings).toBeUndefined();
    const plain = service();
    expect((await plain.save({ provider: patOnly(), previousHost: null, confirmWarnings: false })).provider?.lastCheck).toBeNull();
  });

  it('records “Check again” on the entry it checked, not on one changed meanwhile', async () => {
    const { providers } = setup(() => ({ host: [], oauth: [], pat: [] }));
    const host = 'https://ghe.example.test';
    await providers.save({ provider: patOnly(), previousHost: null, confirmWarnings: false });
    const saved = providers.list().find((entry) => entry.host === host);
    const fingerprint = saved ? entryFingerprint(saved) : null;
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(await providers.recordCheck(host, fingerprint ?? '', { host: [unreachable], oauth: [], pat: [] })).toBe(true);
    expect(providers.list()[0]?.lastCheck).toMatchObject({ outcome: 'failed', message: unreachable.message });

    const changed = await providers.save({ provider: patOnly({ kind: 'gitlab', oauth: { enabled: true, clientId: 'gl-client', tenant: null, clientSecret: { action: 'none' } } }), previousHost: host, confirmWarnings: true });
    expect(changed.saved).toBe(true);
    expect(await providers.recordCheck(host, fingerprint ?? '', { host: [], oauth: [], pat: [] })).toBe(false);
    expect(providers.list()[0]?.lastCheck).toMatchObject({ outcome: 'passed' });
    expect(await providers.recordCheck('https://gone.example.test', fingerprint ?? '', { host: [], oauth: [], pat: [] })).toBe(false);
  });
});
