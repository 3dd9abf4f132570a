import nacl from 'tweetnacl';
import type { PaddockApi, Runner } from '../../../../electron/common/api';
import { bytesToBase64 } from '../../../../electron/common/encoding';
import { openClientSecret, type SealedSecretEnvelope } from '../../../../electron/common/provider-config';

/** A runner key pair, as the runner keeps it: the page gets only the public half. */
export function runnerKeys() {
  const pair = nacl.box.keyPair();
  return {
    publicKey: bytesToBase64(pair.publicKey),
    /** Opens a sealed client secret as the runner would, checking its binding. */
    open(sealed: string, expected: Omit<SealedSecretEnvelope, 'secret'>) {
      return openClientSecret(sealed, pair, expected);
    },
  };
}

export function localRunner(publicKey: string | null): Runner {
  // `as`: a field the app API adds to runners later (their role, say) is not read by the dialogs tested here.
  return {
    id: 'local',
    name: 'Local runner',
    kind: 'local',
    managed: false,
    url: null,
    publicKey,
    runnerUid: publicKey ? 'r_0f5c3a52-7c3e-4a6c-9d1e-2b4f6a8c0d1e' : null,
    spki: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    health: { state: 'online', message: null, version: '0.1.0', apiVersion: 1, lastSeen: '2025-01-01T00:00:00.000Z' },
  } as Runner;
}

/** The app API with only the methods a test gives; any other call fails the test loudly. */
export function fakeApi(methods: Partial<PaddockApi>): PaddockApi {
  return new Proxy(methods, {
    get(target, name) {
      if (typeof name === 'string' && name in target) return target[name as keyof PaddockApi];
      // Not a thenable: a Proxy with a `then` would be awaited as a promise.
      if (name === 'then') return undefined;
      return () => {
        throw new Error(`The test's API has no ${String(name)}.`);
      };
    },
  }) as PaddockApi;
}
