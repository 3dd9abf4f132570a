import { describe, expect, it } from 'vitest';
import type { PolicyRunner } from '../../../../electron/common/policy';
import type { CredentialStore } from '../../../../electron/core/credentials';
import { emptyHealth } from '../../../../electron/core/runners/health';
import { CredentialStoreError, LOCAL_RUNNER_ID, RunnerRecords, runnerView } from '../../../../electron/core/runners/records';
import { localRecord, memoryStore, publicKeyOf, recordsWith, remoteRecord, spkiOf } from './fakes';

const policyRunner = (change: Partial<PolicyRunner> = {}): PolicyRunner => ({
  id: 'build',
  name: 'Build server',
  url: 'https://build.example.test:8443',
  spki: spkiOf('build'),
  publicKey: publicKeyOf('build'),
  runnerUid: 'r_00000000-0000-4000-8000-0000000000b1',
  ...change,
});

describe('runner records', () => {
  it('finds, adds, renames and deletes records in the store', () => {
    const { records } = recordsWith([remoteRecord()]);
    expect(records.find('nope')).toBeUndefined();
    expect(() => records.get('nope')).toThrow(expect.objectContaining({ code: 'not-found', message: 'That runner no longer exists.' }));

    records.add(remoteRecord({ id: 'remote-2', url: 'https://other.example.test' }));
    expect(records.all().map((r) => r.id)).toEqual(['remote-1', 'remote-2']);
    expect(records.atOrigin('https://other.example.test')?.id).toBe('remote-2');
    expect(records.atOrigin('https://third.example.test')).toBeUndefined();

    records.rename('remote-2', '  Other  ');
    expect(records.get('remote-2').name).toBe('Other');
    records.delete('remote-1');
    expect(records.all().map((r) => r.id)).toEqual(['remote-2']);
  });

  it('puts the local runner first, and keeps whether the user removed it', () => {
    const { records, store } = recordsWith([remoteRecord()]);
    expect(records.hasLocal()).toBe(false);
    records.addLocal();
    expect(records.all().map((r) => r.id)).toEqual([LOCAL_RUNNER_ID, 'remote-1']);
    expect(records.get(LOCAL_RUNNER_ID)).toMatchObject({ kind: 'local', name: 'Local runner', publicKey: null, policyId: null });
    expect(records.localRemoved).toBe(false);
    records.localRemoved = true;
    expect(store.get('localRunnerRemoved')).toBe(true);
  });

  it('remembers a key and runner id only when they changed', () => {
    const { records, store } = recordsWith([localRecord()]);
    const writes = store.writes;
    records.remember(LOCAL_RUNNER_ID, publicKeyOf('local'), 'r_00000000-0000-4000-8000-00000000000a');
    expect(records.get(LOCAL_RUNNER_ID)).toMatchObject({ publicKey: publicKeyOf('local'), runnerUid: 'r_00000000-0000-4000-8000-00000000000a' });
    expect(store.writes).toBe(writes + 1);
    records.remember(LOCAL_RUNNER_ID, publicKeyOf('local'), 'r_00000000-0000-4000-8000-00000000000a');
    expect(store.writes).toBe(writes + 1);
    records.remember('gone', publicKeyOf('local'), null);
    expect(store.writes).toBe(writes + 1);
  });

  it('sets the client id of a remote runner only', () => {
    const { records } = recordsWith([localRecord(), remoteRecord({ clientId: null, policyId: 'build' })]);
    records.setClientId('remote-1', 'c_zyxwvutsrqponmlk');
    expect(records.get('remote-1').clientId).toBe('c_zyxwvutsrqponmlk');
    // The store cannot hold a local runner with a client id; the record stays as it is.
    records.setClientId(LOCAL_RUNNER_ID, 'c_zyxwvutsrqponmlk');
    expect(records.get(LOCAL_RUNNER_ID).clientId).toBeNull();
  });

  it('shows a record without the runner’s id for this workstation or the policy id', () => {
    const view = runnerView(remoteRecord({ policyId: 'build' }), emptyHealth('online'));
    expect(view).not.toHaveProperty('clientId');
    expect(view).not.toHaveProperty('policyId');
    expect(view).toMatchObject({ id: 'remote-1', managed: true, health: { state: 'online' } });
    expect(runnerView(remoteRecord(), emptyHealth('online')).managed).toBe(false);
  });

  it('names the admin policy’s id for a runner', () => {
    const { records } = recordsWith([localRecord(), remoteRecord(), remoteRecord({ id: 'managed-build', url: 'https://b.example.test', policyId: 'build' })]);
    expect(records.policyRef(LOCAL_RUNNER_ID)).toBe('local');
    expect(records.policyRef('remote-1')).toBeNull();
    expect(records.policyRef('managed-build')).toBe('build');
    expect(records.policyRef('gone')).toBeNull();
  });

  it('keeps each remote runner’s credential in the keychain, by runner id', async () => {
    const { records, credentials } = recordsWith([remoteRecord()]);
    await records.setCredential('remote-1', 'prk_secret');
    expect(credentials.entries.get('runner:remote-1')).toBe('prk_secret');
    expect(await records.credential('remote-1')).toBe('prk_secret');
    await records.deleteCredential('remote-1');
    expect(await records.credential('remote-1')).toBeNull();
  });

  it('says when the keychain cannot be reached, with the credential store’s own message', async () => {
    const locked: CredentialStore = {
      get: async () => {
        throw new Error('The OS keychain cannot be reached (locked). Unlock your keychain and try again.');
      },
      set: async () => {
        throw new Error('no keychain service');
      },
      delete: async () => {},
    };
    const records = new RunnerRecords(memoryStore(), locked);
    const error = await records.credential('remote-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialStoreError);
    expect((error as Error).message).toBe('The OS keychain cannot be reached (locked). Unlock your keychain and try again.');
    await expect(records.setCredential('remote-1', 'prk_x')).rejects.toBeInstanceOf(CredentialStoreError);
  });
});

describe('the admin policy’s runners', () => {
  it('adds each as managed, waiting for this workstation’s registration', async () => {
    const { records } = recordsWith([localRecord(), remoteRecord()]);
    await records.syncPolicy([policyRunner()]);
    expect(records.all().map((r) => r.id)).toEqual([LOCAL_RUNNER_ID, 'remote-1', 'managed-build']);
    expect(records.get('managed-build')).toMatchObject({
      kind: 'remote',
      name: 'Build server',
      url: 'https://build.example.test:8443',
      spki: spkiOf('build'),
      publicKey: publicKeyOf('build'),
      runnerUid: 'r_00000000-0000-4000-8000-0000000000b1',
      clientId: null,
      policyId: 'build',
    });
    // Once there, it is not added again.
    await records.syncPolicy([policyRunner()]);
    expect(records.all().filter((r) => r.policyId === 'build')).toHaveLength(1);
  });

  it('keeps a registered managed runner in step with the policy, keeping its registration while the key stays', async () => {
    const { records, credentials } = recordsWith([remoteRecord({ id: 'managed-build', url: 'https://build.example.test:8443', spki: spkiOf('build'), publicKey: publicKeyOf('build'), policyId: 'build' })]);
    await credentials.set('runner:managed-build', 'prk_kept');
    await records.syncPolicy([policyRunner({ name: 'Renamed by the admin' })]);
    expect(records.get('managed-build')).toMatchObject({ name: 'Renamed by the admin', clientId: 'c_abcdefghijklmnop', runnerUid: 'r_00000000-0000-4000-8000-0000000000b1' });
    expect(credentials.entries.get('runner:managed-build')).toBe('prk_kept');
  });

  it.each([
    ['fingerprint', { spki: spkiOf('reinstalled') }],
    ['address', { url: 'https://moved.example.test' }],
    ['public key', { publicKey: publicKeyOf('reinstalled') }],
  ])('drops the registration and the credential when the policy names another %s', async (_what, change) => {
    const { records, credentials } = recordsWith([
      remoteRecord({ id: 'managed-build', url: 'https://build.example.test:8443', spki: spkiOf('build'), publicKey: publicKeyOf('build'), policyId: 'build' }),
      remoteRecord({ id: 'remote-2', url: 'https://other.example.test' }),
    ]);
    await credentials.set('runner:managed-build', 'prk_stale');
    await credentials.set('runner:remote-2', 'prk_other');
    await records.syncPolicy([policyRunner(change)]);
    expect(records.get('managed-build')).toMatchObject({ ...change, clientId: null, policyId: 'build' });
    expect(credentials.entries.has('runner:managed-build')).toBe(false);
    expect(credentials.entries.get('runner:remote-2')).toBe('prk_other');
  });

  it('releases a runner the policy no longer names: no longer managed, registration and credential kept', async () => {
    const { records, credentials } = recordsWith([remoteRecord({ id: 'managed-build', url: 'https://build.example.test:8443', policyId: 'build' })]);
    await credentials.set('runner:managed-build', 'prk_kept');
    await records.syncPolicy([]);
    expect(records.get('managed-build')).toMatchObject({ policyId: null, clientId: 'c_abcdefghijklmnop' });
    expect(credentials.entries.get('runner:managed-build')).toBe('prk_kept');
  });
});
