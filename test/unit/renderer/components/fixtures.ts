import nacl from 'tweetnacl';
import { act } from '@testing-library/react';
import type { EventPayload, PaddockApi, Runner } from '../../../../electron/common/api';
import type { JobView } from '../../../../electron/common/runner-api';
import { bytesToBase64 } from '../../../../electron/common/encoding';
import { openClientSecret, type SealedSecretEnvelope } from '../../../../electron/common/provider-config';
import { openPat, type PatBinding } from '../../../../electron/common/pat';

/** A runner key pair, as the runner keeps it: the page gets only the public half. */
export function runnerKeys() {
  const pair = nacl.box.keyPair();
  return {
    publicKey: bytesToBase64(pair.publicKey),
    /** Opens a sealed client secret as the runner would, checking its binding. */
    open(sealed: string, expected: Omit<SealedSecretEnvelope, 'secret'>) {
      return openClientSecret(sealed, pair, expected);
    },
    /** Opens a sealed personal access token as the runner would, checking its binding. */
    openPat(sealed: string, expected: PatBinding) {
      return openPat(sealed, pair, expected);
    },
  };
}

export function localRunner(publicKey: string | null): Runner {
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
    role: 'admin',
  };
}

/** A runner on a server, where this workstation has `role` (null: the runner has not answered yet). */
export function remoteRunner(role: Runner['role'], publicKey: string | null = null): Runner {
  return {
    ...localRunner(publicKey),
    id: 'remote-1',
    name: 'Build server',
    kind: 'remote',
    url: 'https://runner.example.test:8443',
    spki: 'sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    role,
  };
}

/**
 * onJobEvent and onRunnersChanged as the app API has them, with `emit…` to
 * send an event (inside act, so the page has updated when it returns), and
 * how many listeners are subscribed.
 */
export function eventHub() {
  const jobs = new Set<(payload: EventPayload<'jobEvent'>) => void>();
  const runners = new Set<(payload: Runner[]) => void>();
  return {
    onJobEvent: (listener: (payload: EventPayload<'jobEvent'>) => void) => {
      jobs.add(listener);
      return () => void jobs.delete(listener);
    },
    onRunnersChanged: (listener: (payload: Runner[]) => void) => {
      runners.add(listener);
      return () => void runners.delete(listener);
    },
    emitJob(payload: EventPayload<'jobEvent'>) {
      act(() => {
        for (const listener of [...jobs]) listener(payload);
      });
    },
    emitRunners(payload: Runner[]) {
      act(() => {
        for (const listener of [...runners]) listener(payload);
      });
    },
    jobListeners: () => jobs.size,
  };
}

/** A job's view as the runner sends it; `progress` and `outcome` as given. */
export function jobView(id: string, overrides: Partial<JobView> = {}): JobView {
  return {
    id,
    kind: 'provider-check',
    state: 'running',
    startedAt: '2025-01-01T00:00:00.000Z',
    endedAt: null,
    progress: [],
    dropped: 0,
    outcome: null,
    ...overrides,
  };
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
