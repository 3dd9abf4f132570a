import { afterEach, describe, expect, it } from 'vitest';
import type { Runner } from '../../../../electron/common/api';
import { PaddockError } from '../../../../electron/common/errors';
import { RunnerUnreachableError, type RunnerRequest } from '../../../../electron/core/runners/connection';
import { RunnerRegistry } from '../../../../electron/core/runners/registry';
import { fakeConnection, FakeRegistrationRunner, memoryStore, recordingLogger, status } from './fakes';
import { memoryCredentialStore } from '../../../../electron/core/credentials';

const registries: RunnerRegistry[] = [];
afterEach(async () => {
  await Promise.all(registries.splice(0).map((r) => r.dispose()));
});

/** The facade over a fake runner on a server: registration through its transport, calls through a fake connection. */
function setup(options: { policy?: boolean } = {}) {
  const runner = new FakeRegistrationRunner();
  const store = memoryStore();
  const credentials = memoryCredentialStore();
  const published: Runner[][] = [];
  let answer: (request: RunnerRequest) => unknown = (request) => (request.path === '/v1/status' ? status({ publicKey: runner.publicKey }) : { ok: true });
  const connections: ReturnType<typeof fakeConnection>[] = [];
  const registry = new RunnerRegistry({
    store,
    credentials,
    logger: recordingLogger(),
    local: null,
    heartbeatMs: 60_000,
    workstationName: 'alice@workstation',
    onChange: (list) => published.push(list),
    ...(options.policy
      ? { policyRunners: [{ id: 'build', name: 'Build server', url: 'https://runner.example.test:8443', spki: runner.tlsSpki, publicKey: runner.publicKey, runnerUid: 'r_00000000-0000-4000-8000-0000000000b1' }] }
      : {}),
    reach: {
      registration: runner.transport,
      remote: () => {
        const connection = fakeConnection((request) => answer(request));
        connections.push(connection);
        return connection;
      },
    },
  });
  registries.push(registry);
  registry.start();
  return { runner, registry, store, credentials, published, connections, answerWith: (next: typeof answer) => (answer = next) };
}

const url = 'https://runner.example.test:8443';

describe('the runner registry', () => {
  it('adds a runner on a server: credential in the keychain only, record pinned, checked at once', async () => {
    const { runner, registry, store, credentials, published, connections } = setup();
    const added = await registry.addRemote({ url, token: runner.issue(), name: ' Build server ', spki: runner.tlsSpki });
    expect(added).toMatchObject({ name: 'Build server', kind: 'remote', url, spki: runner.tlsSpki, publicKey: runner.publicKey, managed: false, health: { state: 'online' } });
    const apiToken = credentials.entries.get(`runner:${added.id}`);
    expect(apiToken).toMatch(/^prk_/);
    expect(JSON.stringify(store.get('runners'))).not.toContain(apiToken);
    expect(store.get('runners')[0]).toMatchObject({ clientId: runner.registered[0]!.clientId });
    // The heartbeat's request carries its own deadline.
    expect(connections[0]!.requests).toEqual([{ method: 'GET', path: '/v1/status', bearer: apiToken, signal: expect.any(AbortSignal) }]);
    expect(published.at(-1)).toEqual([expect.objectContaining({ id: added.id, health: expect.objectContaining({ state: 'online' }) })]);

    const again = await registry.probeRemote({ url, token: runner.issue() }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(PaddockError);
    expect(again).toMatchObject({ issues: [{ path: 'url', message: 'This runner is already added as “Build server”.' }] });
  });

  it('registers with a managed runner, telling a workstation user to ask the admin when the token was used', async () => {
    const { runner, registry, credentials } = setup({ policy: true });
    expect(registry.get('managed-build')).toMatchObject({ managed: true });
    expect(() => registry.rename('managed-build', 'Mine')).toThrow(expect.objectContaining({ code: 'forbidden' }));

    const used = runner.issue('used');
    const error = await registry.registerManaged('managed-build', used).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid-input', message: 'This registration token was already used. Ask your admin for a new one for this workstation.' });
    expect(credentials.entries.size).toBe(0);

    const registered = await registry.registerManaged('managed-build', runner.issue());
    expect(registered).toMatchObject({ id: 'managed-build', managed: true, health: { state: 'online' } });
    expect(credentials.entries.get('runner:managed-build')).toMatch(/^prk_/);
    const twice = await registry.registerManaged('managed-build', runner.issue()).catch((e: unknown) => e);
    expect(twice).toMatchObject({ code: 'invalid-input', message: 'This workstation is already registered with that runner.' });
  });

  it('removes a runner on a server: its client deleted there, the credential and connection here', async () => {
    const { runner, registry, credentials, connections } = setup();
    const added = await registry.addRemote({ url, token: runner.issue(), name: 'Build server', spki: runner.tlsSpki });
    expect(await registry.remove(added.id)).toEqual([]);
    expect(connections[0]!.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/v1/clients/self' });
    expect(connections[0]!.closed).toBe(true);
    expect(credentials.entries.size).toBe(0);
  });

  it('does not remove a runner it cannot reach unless forced', async () => {
    const { runner, registry, credentials, answerWith } = setup();
    const added = await registry.addRemote({ url, token: runner.issue(), name: 'Build server', spki: runner.tlsSpki });
    answerWith(() => {
      throw new RunnerUnreachableError('Cannot reach the runner at https://runner.example.test:8443 (ECONNREFUSED).');
    });
    const refused = await registry.remove(added.id).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'runner-unavailable',
      message:
        'Build server could not delete what it stores for this workstation: Cannot reach the runner at https://runner.example.test:8443 (ECONNREFUSED). Try again when it is reachable, or remove it from Paddock anyway (its data then stays on the runner).',
    });
    expect(registry.list()).toHaveLength(1);
    expect(await registry.remove(added.id, true)).toEqual([]);
    expect(credentials.entries.size).toBe(0);
  });
});
