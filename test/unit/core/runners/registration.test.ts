import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PaddockError } from '../../../../electron/common/errors';
import { RunnerRequestError, RunnerUnreachableError } from '../../../../electron/core/runners/connection';
import { checkRunnerUrl, checkToken, RunnerRegistration, type Audience } from '../../../../electron/core/runners/registration';
import { FakeRegistrationRunner, publicKeyOf, recordingLogger, registrationToken, spkiOf } from './fakes';

const url = new URL('https://runner.example.test:8443');

function setup() {
  const runner = new FakeRegistrationRunner();
  const logger = recordingLogger();
  const registration = new RunnerRegistration({ logger, workstationName: 'alice@workstation', transport: runner.transport });
  return { runner, logger, registration };
}

async function refusal(promise: Promise<unknown>): Promise<PaddockError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PaddockError);
  return error as PaddockError;
}

const admin = (runner: FakeRegistrationRunner, token: string) => ({ url, token, spki: runner.tlsSpki, publicKey: null, audience: 'runner-admin' as const });
const managed = (runner: FakeRegistrationRunner, token: string, publicKey = runner.publicKey) => ({
  url,
  token,
  spki: runner.tlsSpki,
  publicKey,
  audience: 'workstation-user' as const,
});

describe('what is typed, before anything is sent', () => {
  it('takes an https runner address only, as an error on the URL field', () => {
    expect(checkRunnerUrl(' https://runner.example.test:8443 ').origin).toBe('https://runner.example.test:8443');
    for (const raw of ['http://runner.example.test', 'https://runner.example.test/path', 'not a url']) {
      expect(() => checkRunnerUrl(raw)).toThrow(expect.objectContaining({ code: 'invalid-input', issues: [expect.objectContaining({ path: 'url' })] }));
    }
  });

  it('takes a registration token that has not expired, saying what to do to the reader', () => {
    const token = registrationToken(new Date(Date.now() + 60_000));
    expect(checkToken(`  ${token}\n`, 'runner-admin')).toBe(token);
    expect(() => checkToken('hello', 'runner-admin')).toThrow(
      expect.objectContaining({ issues: [{ path: 'token', message: expect.stringMatching(/^That is not a registration token: tokens start with prt1_/) }] }),
    );
    const expired = registrationToken(new Date('2026-01-01T00:00:00Z'));
    const says = (audience: Audience) => {
      try {
        checkToken(expired, audience);
      } catch (error) {
        return (error as PaddockError).issues?.[0];
      }
      return null;
    };
    expect(says('runner-admin')).toEqual({ path: 'token', message: 'This registration token expired at 2026-01-01T00:00:00.000Z. Create a new one on the runner.' });
    expect(says('workstation-user')).toEqual({ path: 'token', message: 'This registration token expired at 2026-01-01T00:00:00.000Z. Ask your admin for a new one.' });
  });
});

describe('probing a runner', () => {
  it('checks the proof without revealing the token, reports what it saw, and registers nothing', async () => {
    const { runner, registration } = setup();
    const expiresAt = new Date(Date.now() + 3600_000);
    const token = runner.issue('usable', expiresAt);
    const probe = await registration.probe(url, token);
    expect(probe).toEqual({
      url: 'https://runner.example.test:8443',
      spki: runner.tlsSpki,
      publicKey: runner.publicKey,
      version: '1.2.3',
      apiVersion: 1,
      tokenExpiresAt: expiresAt.toISOString(),
    });
    // The first connection reports whatever key it sees; the next is pinned to it.
    expect(runner.requests.map((r) => [r.path, r.pin])).toEqual([
      ['/v1/registration/challenge', 'probe'],
      ['/v1/health', { spki: runner.tlsSpki }],
    ]);
    const challenge = runner.requests[0]!.body as { nonce: string; tokenId: string };
    expect(challenge.tokenId).toBe(createHash('sha256').update(token).digest('hex').slice(0, 16));
    expect(JSON.stringify(runner.requests)).not.toContain(token);
    expect(runner.registered).toEqual([]);
    expect(runner.tokens.get(createHash('sha256').update(token).digest('hex'))).toBe('usable');
    // A fresh nonce each time.
    await registration.probe(url, token);
    expect((runner.requests[2]!.body as { nonce: string }).nonce).not.toBe(challenge.nonce);
  });

  it('refuses a server that cannot prove it made the token, before the token is sent', async () => {
    const { runner, registration } = setup();
    runner.forgeProof = true;
    const token = runner.issue();
    const error = await refusal(registration.probe(url, token));
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/^The server at https:\/\/runner.example.test:8443 could not prove that it is the runner that made this registration token\./);
    expect(runner.requests.map((r) => r.path)).toEqual(['/v1/registration/challenge']);
  });

  it('refuses a relay: the proof binds another key than the one on this connection', async () => {
    const { runner, registration } = setup();
    runner.provedSpki = spkiOf('the real runner behind a relay');
    const token = runner.issue();
    expect((await refusal(registration.probe(url, token))).message).toMatch(/could not prove/);
    expect((await refusal(registration.register(admin(runner, token)))).message).toMatch(/could not prove/);
    expect(runner.registered).toEqual([]);
  });

  it('refuses a runner that speaks another API version', async () => {
    const { runner, registration } = setup();
    runner.apiVersion = 2;
    const error = await refusal(registration.probe(url, runner.issue()));
    expect(error.code).toBe('incompatible-api');
    expect(error.message).toBe('The runner at https://runner.example.test:8443 speaks runner API v2; this app speaks v1. Update the older of the two, then try again.');
  });
});

describe('registering', () => {
  it('proves, then reveals the token on a second connection pinned to the fingerprint, and returns the credential', async () => {
    const { runner, registration } = setup();
    const token = runner.issue();
    const result = await registration.register(admin(runner, token));
    expect(result).toMatchObject({ clientId: runner.registered[0]!.clientId, apiToken: expect.stringMatching(/^prk_/), publicKey: runner.publicKey });
    expect(runner.registered).toEqual([{ name: 'alice@workstation', clientId: result.clientId }]);
    expect(runner.requests.map((r) => [r.path, r.pin])).toEqual([
      ['/v1/registration/challenge', { spki: runner.tlsSpki }],
      ['/v1/registration', { spki: runner.tlsSpki }],
    ]);
    expect(runner.requests[1]!.body).toEqual({ token, name: 'alice@workstation' });
  });

  it('refuses a runner that shows another key than the confirmed one, before sending anything', async () => {
    const { runner, registration } = setup();
    const token = runner.issue();
    const error = await refusal(registration.register({ ...admin(runner, token), spki: spkiOf('what the admin confirmed') }));
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/now presents a different key/);
    expect(runner.requests).toEqual([]);
  });

  it('refuses a runner whose registration answer carries another key than its proof', async () => {
    const { runner, registration } = setup();
    runner.registeredPublicKey = publicKeyOf('swapped');
    const error = await refusal(registration.register(admin(runner, runner.issue())));
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe('The runner at https://runner.example.test:8443 changed its public key during registration. Paddock did not add it; try again.');
  });

  it('refuses a managed runner that proves another key than the policy names, before revealing the token', async () => {
    const { runner, registration } = setup();
    const token = runner.issue();
    const error = await refusal(registration.register(managed(runner, token, publicKeyOf('what the policy names'))));
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe(
      'The runner at https://runner.example.test:8443 shows another public key than the admin policy names. Paddock did not register; tell your admin.',
    );
    expect(runner.requests.map((r) => r.path)).toEqual(['/v1/registration/challenge']);
  });

  it('refuses a managed runner that answers the registration with another key than the policy names', async () => {
    const { runner, registration } = setup();
    runner.registeredPublicKey = publicKeyOf('swapped');
    const error = await refusal(registration.register(managed(runner, runner.issue())));
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe('The runner at https://runner.example.test:8443 answered the registration with another public key than the admin policy names. Tell your admin.');
  });

  it('registers with a managed runner whose key is the policy’s', async () => {
    const { runner, registration } = setup();
    await expect(registration.register(managed(runner, runner.issue()))).resolves.toMatchObject({ publicKey: runner.publicKey });
  });
});

describe('a token the runner refuses', () => {
  const cases = [
    ['used', 'token-used', 'This registration token was already used. Ask your admin for a new one for this workstation.'],
    ['expired', 'token-expired', 'This registration token has expired. Ask your admin for a new one for this workstation.'],
    ['unknown', 'unauthorized', 'The runner does not know this registration token. Ask your admin for a new one for this workstation.'],
  ] as const;

  it.each(cases)('%s: the runner admin reads the runner’s own message on the token field', async (state) => {
    const { runner, registration } = setup();
    const token = state === 'unknown' ? registrationToken(new Date(Date.now() + 60_000)) : runner.issue(state);
    for (const attempt of [registration.probe(url, token), registration.register(admin(runner, token))]) {
      const error = await refusal(attempt);
      expect(error.code).toBe('invalid-input');
      expect(error.issues).toEqual([{ path: 'token', message: expect.stringMatching(/Create a new one on the runner: paddock-runner registration create/) }]);
    }
  });

  it.each(cases)('%s: a workstation user is told to ask the admin, by the code the runner sent', async (state, _code, message) => {
    const { runner, registration } = setup();
    // The runner's text says something else: the code decides.
    runner.refusalMessage = () => 'This registration token expired, was already used, and is unknown here.';
    const token = state === 'unknown' ? registrationToken(new Date(Date.now() + 60_000)) : runner.issue(state);
    const error = await refusal(registration.register(managed(runner, token)));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toBe(message);
    expect(error.issues).toEqual([{ path: 'token', message }]);
  });

  it.each(cases)('%s at the registration step (after a good proof) reads the same', async (_state, code, message) => {
    const { runner, registration } = setup();
    runner.failures.set('/v1/registration', new RunnerRequestError(401, code, 'The runner’s words for its admin.'));
    const error = await refusal(registration.register(managed(runner, runner.issue())));
    expect(error.issues).toEqual([{ path: 'token', message }]);
    runner.failures.set('/v1/registration', new RunnerRequestError(401, code, 'The runner’s words for its admin.'));
    expect((await refusal(registration.register(admin(runner, runner.issue())))).issues).toEqual([{ path: 'token', message: 'The runner’s words for its admin.' }]);
  });
});

describe('other failures', () => {
  it('a runner that cannot be reached is an error on the URL field', async () => {
    const { runner, registration } = setup();
    runner.failures.set('connect', new RunnerUnreachableError('Cannot reach the runner at https://runner.example.test:8443 (ECONNREFUSED).'));
    const error = await refusal(registration.probe(url, runner.issue()));
    expect(error.issues).toEqual([{ path: 'url', message: 'Cannot reach the runner at https://runner.example.test:8443 (ECONNREFUSED).' }]);
  });

  it('another refusal names the runner and says what it said', async () => {
    const { runner, registration } = setup();
    runner.failures.set('/v1/registration', new RunnerRequestError(400, 'invalid-input', 'name: must be printable.'));
    const error = await refusal(registration.register(admin(runner, runner.issue())));
    expect(error.code).toBe('runner-unavailable');
    expect(error.message).toBe('The runner at https://runner.example.test:8443 refused: name: must be printable.');
    runner.failures.set('/v1/registration/challenge', new RunnerRequestError(400, 'incompatible-api', 'This runner speaks runner API v2.'));
    const version = await refusal(registration.register(admin(runner, runner.issue())));
    expect(version).toMatchObject({ code: 'incompatible-api', message: 'This runner speaks runner API v2.' });
  });

  it('anything else is logged, and the person is pointed to the log', async () => {
    const { runner, registration, logger } = setup();
    runner.failures.set('/v1/registration/challenge', new TypeError('boom'));
    const error = await refusal(registration.probe(url, runner.issue()));
    expect(error).toMatchObject({ code: 'internal', message: 'Paddock could not talk to the runner at https://runner.example.test:8443; details are in the log.' });
    expect(logger.lines).toEqual([expect.objectContaining({ level: 'error', message: 'remote runner request failed' })]);
  });
});
