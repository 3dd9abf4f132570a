// Jobs on the runner API (issue 8 point 2), over both transports the app uses: the local
// runner's socket and a remote runner's pinned TLS. A provider check is started, watched by
// two streams (one drops and reconnects, and gets the current state first), and cancelled:
// the request the check had in flight to a stuck provider is closed by the runner.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jobAnswerSchema,
  jobEventSchema,
  runnerRoutes,
  saveProviderResponseSchema,
  type JobEvent,
  type JobProgress,
} from '../../electron/common/runner-api';
import { localConnection, pinnedConnection, type RunnerConnection } from '../../electron/core/runners/connection';
import { LocalRunnerSupervisor } from '../../electron/core/runners/local-runner';
import { nodeRunnerLauncher } from '../../electron/core/runners/node-launcher';
import { silentLogger } from '../../electron/core/logger';
import { startGitHubSimulator } from '../fakes/github';
import type { Simulator } from '../fakes/simulator';
import { registerWorkstation, startRemoteRunner, type RemoteRunnerHandle } from '../helpers/remote-runner';

const host = 'https://ghe.example.test';

function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const value = probe();
      if (value) return resolve(value);
      if (Date.now() - started > timeoutMs) return reject(new Error(`Timed out waiting for ${what}`));
      setTimeout(tick, 25);
    };
    tick();
  });
}

interface Target {
  name: string;
  connection: RunnerConnection;
  bearer: string;
}

let sim: Simulator;
let caFile: string;
let env: NodeJS.ProcessEnv;
let remote: RemoteRunnerHandle;
let supervisor: LocalRunnerSupervisor;
const targets: Target[] = [];

beforeAll(async () => {
  sim = await startGitHubSimulator({ layout: 'enterprise-server' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-jobs-'));
  caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, sim.ca);
  env = { ...process.env, PADDOCK_DEV_PROVIDER_ENDPOINTS: JSON.stringify({ [host]: sim.origin }) };

  remote = await startRemoteRunner({ extraArgs: ['--ca-file', caFile], env });
  const registered = await registerWorkstation(remote, 'admin', 'jobs-test');
  targets.push({ name: 'remote runner over pinned TLS', connection: pinnedConnection(new URL(remote.url), remote.spki), bearer: registered.apiToken });

  supervisor = new LocalRunnerSupervisor({
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-jobs-local-')),
    launch: nodeRunnerLauncher({ env }),
    args: ['--secret-store', 'file', '--ca-file', caFile],
    logger: silentLogger,
    onChange: () => {},
  });
  supervisor.start();
  await until('the local runner', () => supervisor.state.phase === 'running');
  // The local session's own connection: the app's keep-alive agent over the socket.
  targets.push({ name: 'local runner over its socket', connection: localConnection(supervisor.session!.endpoint), bearer: supervisor.session!.token });
}, 60_000);

afterAll(async () => {
  for (const target of targets) target.connection.close();
  await Promise.all([remote?.stop(), supervisor?.stop(), sim?.close()]);
});

describe.each(['remote runner over pinned TLS', 'local runner over its socket'])('jobs on the %s', (name) => {
  const target = () => targets.find((t) => t.name === name)!;
  const route = runnerRoutes;

  it('streams a job’s progress to several watchers, gives a reconnecting watcher the state first, and a cancel stops its work', async () => {
    const { connection, bearer } = target();
    sim.fail(null);
    const saved = await connection.request(
      {
        method: route.saveProvider.method,
        path: route.saveProvider.path,
        bearer,
        body: {
          provider: { kind: 'github', host, organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: true } },
          previousHost: null,
          confirmWarnings: true,
        },
      },
      saveProviderResponseSchema,
    );
    expect(saved.saved).toBe(true);

    // The provider is stuck from now on: the check's request hangs until cancelled.
    sim.fail({ type: 'hang' });
    const heldBefore = sim.held();
    const started = await connection.request({ method: 'POST', path: '/v1/jobs', bearer, body: { kind: 'provider-check', host } }, jobAnswerSchema);
    expect(started.job).toMatchObject({ kind: 'provider-check', state: 'running', outcome: null });
    const id = started.job.id;

    const first: JobEvent[] = [];
    const firstDone = connection.stream({ method: 'GET', path: `/v1/jobs/${id}/events`, bearer }, jobEventSchema, (event) => first.push(event));

    // A second watcher that goes away, then comes back.
    const dropped = new AbortController();
    const second: JobEvent[] = [];
    const secondDone = connection.stream({ method: 'GET', path: `/v1/jobs/${id}/events`, bearer, signal: dropped.signal }, jobEventSchema, (event) => second.push(event));
    await until('the second watcher’s state', () => second.length > 0);
    dropped.abort();
    await expect(secondDone).rejects.toMatchObject({ code: 'cancelled' });

    await until('the check’s request to reach the stuck provider', () => sim.held() > heldBefore);
    const again: JobEvent[] = [];
    const againDone = connection.stream({ method: 'GET', path: `/v1/jobs/${id}/events`, bearer }, jobEventSchema, (event) => again.push(event));
    await until('the reconnected watcher’s state', () => again.length > 0);
    expect(again[0]).toMatchObject({ type: 'state', job: { id, state: 'running' } });
    // The checks made before the stuck request were already reported, and the reconnected watcher sees them in its state.
    const progressSoFar = again[0]!.type === 'state' ? again[0]!.job.progress : [];
    expect(first.filter((e) => e.type === 'progress').length).toBe(progressSoFar.length);

    const cancelled = await connection.request({ method: 'DELETE', path: `/v1/jobs/${id}`, bearer }, jobAnswerSchema);
    expect(cancelled.job).toMatchObject({ id, state: 'cancelled', outcome: { state: 'cancelled' } });
    // The cancel answers only once the work has stopped: the request to the provider is closed.
    expect(sim.held()).toBe(heldBefore);

    await Promise.all([firstDone, againDone]);
    expect(first[0]).toMatchObject({ type: 'state', job: { id, state: 'running' } });
    expect(first.at(-1)).toEqual({ type: 'end', jobId: id, outcome: { state: 'cancelled' } });
    expect(again.at(-1)).toEqual({ type: 'end', jobId: id, outcome: { state: 'cancelled' } });

    // A watcher that joins after the end gets the final state and the stream ends at once.
    const late: JobEvent[] = [];
    await connection.stream({ method: 'GET', path: `/v1/jobs/${id}/events`, bearer }, jobEventSchema, (event) => late.push(event));
    expect(late).toEqual([{ type: 'state', job: expect.objectContaining({ id, state: 'cancelled' }) }]);
  });

  it('runs a job to its end with a typed result, each check as progress', async () => {
    const { connection, bearer } = target();
    sim.fail(null);
    const { job } = await connection.request({ method: 'POST', path: '/v1/jobs', bearer, body: { kind: 'provider-check', host } }, jobAnswerSchema);
    const events: JobEvent[] = [];
    await connection.stream({ method: 'GET', path: `/v1/jobs/${job.id}/events`, bearer }, jobEventSchema, (event) => events.push(event));
    const end = events.at(-1);
    expect(end?.type).toBe('end');
    if (end?.type !== 'end' || end.outcome.state !== 'succeeded' || end.outcome.result.kind !== 'provider-check') throw new Error(`expected success, got ${JSON.stringify(end)}`);
    const { validation } = end.outcome.result;
    const checks = (progress: JobProgress[]) => progress.flatMap((p) => (p.kind === 'provider-check' ? [p] : []));
    const reported = checks(events.flatMap((e) => (e.type === 'progress' ? [e.progress] : [])));
    const state = checks(events[0]?.type === 'state' ? events[0].job.progress.map((p) => p.progress) : []);
    // Every check of the result was reported as progress, in the state or after it.
    expect([...state, ...reported].map((p) => `${p.group}:${p.check.code}`).sort()).toEqual(
      [...validation.host.map((c) => `host:${c.code}`), ...validation.oauth.map((c) => `oauth:${c.code}`), ...validation.pat.map((c) => `pat:${c.code}`)].sort(),
    );
    expect(validation.host.some((c) => c.level === 'ok')).toBe(true);

    // After its end: the job is read, and a watcher that joins late gets the final state, the result included.
    const read = await connection.request({ method: 'GET', path: `/v1/jobs/${job.id}`, bearer }, jobAnswerSchema);
    expect(read.job).toMatchObject({ state: 'succeeded', outcome: { state: 'succeeded', result: { validation } } });
    const late: JobEvent[] = [];
    await connection.stream({ method: 'GET', path: `/v1/jobs/${job.id}/events`, bearer }, jobEventSchema, (event) => late.push(event));
    expect(late).toEqual([{ type: 'state', job: read.job }]);
  });

  it('does not show one workstation’s job to another, and names a job that is not there as not found', async () => {
    const { connection, bearer } = target();
    await expect(connection.request({ method: 'GET', path: '/v1/jobs/j_0000000000000000000000', bearer }, jobAnswerSchema)).rejects.toMatchObject({
      status: 404,
      code: 'not-found',
    });
    await expect(
      connection.stream({ method: 'GET', path: '/v1/jobs/j_0000000000000000000000/events', bearer }, jobEventSchema, () => {}),
    ).rejects.toMatchObject({ code: 'not-found' });
  });
});
