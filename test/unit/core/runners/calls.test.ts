import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PaddockError } from '../../../../electron/common/errors';
import { LocalNotRunning, MissingCredential, RunnerCalls, toAppError } from '../../../../electron/core/runners/calls';
import { RunnerRequestError, RunnerUnreachableError, SpkiMismatchError, type RunnerRequest } from '../../../../electron/core/runners/connection';
import { fakeConnection, localRecord, recordsWith, remoteRecord, spkiOf } from './fakes';

const echo = z.object({ bearer: z.string(), path: z.string() }).strict();
const answerWithBearer = (request: RunnerRequest) => ({ bearer: request.bearer ?? '', path: request.path });

function expectAppError(error: unknown, code: string, message: string) {
  expect(error).toBeInstanceOf(PaddockError);
  expect(error).toMatchObject({ code, message });
}

function setup(options: { running?: boolean; healthMessage?: string | null; localStarted?: () => Promise<void> } = {}) {
  const { records, credentials } = recordsWith([localRecord(), remoteRecord(), remoteRecord({ id: 'remote-2', url: 'https://two.example.test', spki: spkiOf('two') })]);
  const local = fakeConnection(answerWithBearer, 'The local runner');
  const made: { url: string; spki: string; connection: ReturnType<typeof fakeConnection> }[] = [];
  let answer: (request: RunnerRequest) => unknown = answerWithBearer;
  const calls = new RunnerCalls({
    records,
    localSession: () => (options.running === false ? null : { connection: local, token: 'local-session-token' }),
    healthMessage: () => options.healthMessage ?? null,
    ...(options.localStarted ? { localStarted: options.localStarted } : {}),
    remote: (url, spki) => {
      const connection = fakeConnection((request) => answer(request));
      made.push({ url: url.origin, spki, connection });
      return connection;
    },
  });
  return { calls, records, credentials, local, made, answerWith: (next: typeof answer) => (answer = next) };
}

describe('runner calls', () => {
  it('calls the local runner with its session token', async () => {
    const { calls, local } = setup();
    expect(await calls.call('local', { method: 'GET', path: '/v1/providers' }, echo)).toEqual({ bearer: 'local-session-token', path: '/v1/providers' });
    expect(local.requests).toEqual([{ method: 'GET', path: '/v1/providers', bearer: 'local-session-token' }]);
  });

  it('calls a remote runner with this workstation’s credential from the keychain, pinned to its fingerprint', async () => {
    const { calls, credentials, made } = setup();
    await credentials.set('runner:remote-1', 'prk_one');
    expect(await calls.call('remote-1', { method: 'GET', path: '/v1/status' }, echo)).toEqual({ bearer: 'prk_one', path: '/v1/status' });
    expect(made.map(({ url, spki }) => ({ url, spki }))).toEqual([{ url: 'https://runner.example.test:8443', spki: spkiOf('runner') }]);
  });

  it('keeps one connection per remote runner while its address and fingerprint stay, and closes it when they change or it goes', async () => {
    const { calls, credentials, made, records } = setup();
    await credentials.set('runner:remote-1', 'prk_one');
    await credentials.set('runner:remote-2', 'prk_two');
    await calls.call('remote-1', { method: 'GET', path: '/v1/status' }, echo);
    await calls.call('remote-1', { method: 'GET', path: '/v1/providers' }, echo);
    await calls.call('remote-2', { method: 'GET', path: '/v1/status' }, echo);
    expect(made).toHaveLength(2);
    expect(made[0]!.connection.requests).toHaveLength(2);

    // The admin policy moved it: a new connection for the new pin, the old one closed.
    records.delete('remote-1');
    records.add(remoteRecord({ spki: spkiOf('reinstalled') }));
    await calls.call('remote-1', { method: 'GET', path: '/v1/status' }, echo);
    expect(made).toHaveLength(3);
    expect(made[2]!.spki).toBe(spkiOf('reinstalled'));
    expect(made[0]!.connection.closed).toBe(true);

    calls.close('remote-2');
    expect(made[1]!.connection.closed).toBe(true);
    expect(made[2]!.connection.closed).toBe(false);
    calls.close();
    expect(made[2]!.connection.closed).toBe(true);
  });

  it('says a local runner that is not running cannot be reached, and why', async () => {
    const { calls } = setup({ running: false, healthMessage: 'The OS keychain is locked.' });
    const error = await calls.call('local', { method: 'GET', path: '/v1/providers' }, echo).catch((e: unknown) => e);
    expectAppError(error, 'runner-unavailable', 'Local runner is not running: The OS keychain is locked.');
    const starting = await setup({ running: false }).calls.request(localRecord(), { method: 'GET', path: '/v1/status' }, echo).catch((e: unknown) => e);
    expect(starting).toBeInstanceOf(LocalNotRunning);
    expect((starting as Error).message).toBe('Local runner is not running: it is starting.');
  });

  it('waits for a starting local runner before calling it, and says it is not running only if it still is not', async () => {
    let running = false;
    const local = fakeConnection(answerWithBearer, 'The local runner');
    const { records } = recordsWith([localRecord()]);
    const waits: string[] = [];
    const calls = new RunnerCalls({
      records,
      localSession: () => (running ? { connection: local, token: 'local-session-token' } : null),
      localStarted: async () => {
        waits.push('waited');
        running = true;
      },
      healthMessage: () => null,
    });
    expect(await calls.call('local', { method: 'GET', path: '/v1/providers' }, echo)).toEqual({ bearer: 'local-session-token', path: '/v1/providers' });
    expect(waits).toEqual(['waited']);
    // Running: no wait.
    await calls.call('local', { method: 'GET', path: '/v1/providers' }, echo);
    expect(waits).toEqual(['waited']);

    const stillStarting = await setup({ running: false, localStarted: async () => {} }).calls.call('local', { method: 'GET', path: '/v1/providers' }, echo).catch((e: unknown) => e);
    expectAppError(stillStarting, 'runner-unavailable', 'Local runner is not running: it is starting.');
  });

  it('says a remote runner without a credential cannot be reached, without calling it', async () => {
    const { calls, made } = setup();
    const error = await calls.call('remote-1', { method: 'GET', path: '/v1/providers' }, echo).catch((e: unknown) => e);
    expectAppError(error, 'runner-unavailable', "Build server cannot be reached: this workstation's credential for it is missing from the OS keychain.");
    expect(made).toEqual([]);
  });

  it('maps the runner’s refusals to app errors', async () => {
    const { calls, credentials, answerWith } = setup();
    await credentials.set('runner:remote-1', 'prk_one');
    answerWith(() => {
      throw new RunnerRequestError(403, 'forbidden', 'https://ghe.example.test is managed by the admin policy.');
    });
    const error = await calls.call('remote-1', { method: 'DELETE', path: '/v1/providers' }, echo).catch((e: unknown) => e);
    expectAppError(error, 'forbidden', 'https://ghe.example.test is managed by the admin policy.');
  });

  it('does not know the runner: an unknown one is not found', async () => {
    const { calls } = setup();
    await expect(calls.call('gone', { method: 'GET', path: '/v1/status' }, echo)).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('toAppError', () => {
  const runner = { id: 'remote-1', name: 'Build server' };
  it.each(['forbidden', 'not-found', 'invalid-input', 'policy-blocked', 'reconnect-needed', 'conflict', 'incompatible-api'] as const)(
    'keeps the runner’s code %s, its message, issues and detail, and names the runner (never read from the HTTP status or the text)',
    (code) => {
      const data = { code, message: 'What the runner said.', issues: [{ path: 'host', message: 'Bad host.' }], detail: { host: 'https://dev.azure.com', providerCode: 'AADSTS65001' } };
      // A status that disagrees with the code: the code wins.
      const mapped = toAppError(runner, new RunnerRequestError(500, code, data.message, data));
      expect(mapped).toBeInstanceOf(PaddockError);
      expect((mapped as PaddockError).toData()).toEqual({ ...data, detail: { ...data.detail, runnerId: 'remote-1' } });
    },
  );

  it('turns a refused credential into runner-unavailable with what to do', () => {
    const mapped = toAppError(runner, new RunnerRequestError(401, 'unauthorized', 'Missing or wrong API token.'));
    expect(mapped).toMatchObject({ code: 'runner-unavailable', message: expect.stringMatching(/Build server no longer accepts this workstation.*add it again/) });
  });

  it('says timeout for a runner that did not answer in time', () => {
    expect(toAppError(runner, new RunnerUnreachableError('It did not answer within 10 seconds.', 'timeout'))).toMatchObject({ code: 'timeout' });
  });

  it.each([
    ['unreachable', new RunnerUnreachableError('Cannot reach it (ECONNREFUSED).')],
    ['another key', new SpkiMismatchError('https://runner.example.test:8443', 'sha256/seen', 'sha256/pinned')],
    ['no credential', new MissingCredential('the credential is missing.')],
  ])('%s: the runner cannot be reached, and why', (_what, error) => {
    const mapped = toAppError(runner, error);
    expect(mapped).toBeInstanceOf(PaddockError);
    expect(mapped).toMatchObject({ code: 'runner-unavailable', message: `Build server cannot be reached: ${error.message}` });
  });

  it('passes on what it does not know, for the dispatcher to log', () => {
    const error = new TypeError('boom');
    expect(toAppError(runner, error)).toBe(error);
    const already = new PaddockError('cancelled', 'Cancelled.');
    expect(toAppError(runner, already)).toBe(already);
  });
});
