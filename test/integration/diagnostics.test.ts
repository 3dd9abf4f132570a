// "Collect diagnostics" (issue 11 point 6) through the web host with a real local runner and real log
// files: canaries go into every flow that handles a secret — a personal access token connected at a
// simulated GitHub Enterprise Server, an OAuth client secret in its provider entry, a secret field in a
// log line the logger redacts, and lines a careless logger could have written to the runner's log — and
// none of them is in any file of the zip, which holds what its README says.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealPat } from '../../electron/common/pat';
import { sealClientSecret, type ProviderInput } from '../../electron/common/provider-config';
import { createApiDispatcher } from '../../electron/core/api/dispatcher';
import { createLogger, logFileDestination, silentLogger } from '../../electron/core/logger';
import { startGitHubSimulator, type GitHubSimulator } from '../fakes/github';
import { startWebHost, type WebHost } from '../web-host/server';

const GHES = 'https://ghe-diagnostics.example.test';
const user = { username: 'sam', displayName: 'Sam Example', email: 'sam@example.test' };
// Canaries in no provider's token shape: only the design keeps them out, not the redaction's patterns.
const canaryPat = `canary-pat-${randomUUID()}`;
const canarySecret = `canary-secret-${randomUUID()}`;
const canaryLogged = `canary-logged-${randomUUID()}`;
const canaryCareless = `canary-careless-${randomUUID()}`;
const canaries = [canaryPat, canarySecret, canaryLogged, canaryCareless];

let simulator: GitHubSimulator;
let host: WebHost;
let call: (method: string, input: unknown) => Promise<{ ok: boolean; value?: unknown; error?: unknown }>;
let tmp: string;

async function localRunner() {
  for (let i = 0; i < 300; i++) {
    const [local] = await host.core.listRunners();
    if (local?.health.state === 'online' && local.runnerUid && local.publicKey) return { runnerUid: local.runnerUid, publicKey: local.publicKey };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('The local runner did not come online.');
}

const unzip = (file: string) => Object.fromEntries(Object.entries(unzipSync(new Uint8Array(fs.readFileSync(file)))).map(([name, bytes]) => [name, strFromU8(bytes)]));

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-diagnostics-'));
  simulator = await startGitHubSimulator({
    layout: 'enterprise-server',
    account: { user, personalAccessToken: canaryPat },
    clients: [{ clientId: 'diagnostics-client', clientSecret: canarySecret, name: 'Paddock', redirectUris: ['paddock://oauth/callback', 'http://127.0.0.1/callback'] }],
  });
  const caFile = path.join(tmp, 'ca.pem');
  fs.writeFileSync(caFile, simulator.ca);
  host = await startWebHost({
    dataDir: path.join(tmp, 'data'),
    logger: silentLogger,
    runnerArgs: ['--ca-file', caFile, '--secret-store', 'file'],
    runnerEnv: { PADDOCK_DEV_PROVIDER_ENDPOINTS: JSON.stringify({ [GHES]: simulator.origin }) },
  });
  const dispatcher = createApiDispatcher(host.core, silentLogger);
  call = (method, input) => dispatcher.call(method, input) as never;

  // An admin saves the entry with its client secret sealed in the page; a user connects with the PAT, sealed too.
  const runner = await localRunner();
  const provider: ProviderInput = {
    kind: 'github',
    host: GHES,
    organizations: [],
    collections: [],
    oauth: {
      enabled: true,
      clientId: 'diagnostics-client',
      tenant: null,
      clientSecret: {
        action: 'replace',
        sealed: sealClientSecret({ runnerId: runner.runnerUid, kind: 'github', host: GHES, clientId: 'diagnostics-client', tenant: null, secret: canarySecret }, runner.publicKey),
      },
    },
    pat: { enabled: true },
  };
  const saved = await call('saveProvider', { runnerId: 'local', provider, previousHost: null, confirmWarnings: true });
  expect(saved, JSON.stringify(saved)).toMatchObject({ ok: true, value: { saved: true } });
  const connected = await call('connectWithPat', { runnerId: 'local', host: GHES, organization: null, sealed: sealPat({ runnerId: runner.runnerUid, host: GHES, organization: null }, canaryPat, runner.publicKey) });
  expect(connected, JSON.stringify(connected)).toMatchObject({ ok: true, value: { account: 'sam', state: 'connected' } });

  // A log line with a secret field, through a logger like the app's, into the app's log file.
  createLogger({ name: 'paddock-web-host', destination: logFileDestination(host.logs.main) }).warn('token refused', { host: GHES, token: canaryLogged });
  // Lines a logger without redaction could have written (a secret under a name the loggers do not know, a header, a URL with credentials).
  fs.appendFileSync(
    host.logs.runner,
    [
      JSON.stringify({ level: 40, name: 'paddock-runner', msg: 'careless', sessionToken: canaryCareless }),
      JSON.stringify({ level: 40, name: 'paddock-runner', msg: `fetch https://sam:${canaryCareless}@ghe-diagnostics.example.test/a.git` }),
      `Authorization: Bearer ${canaryCareless}`,
      '',
    ].join('\n'),
  );
}, 120_000);

afterAll(async () => {
  await host?.close();
  await simulator?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('diagnostics through the web host', () => {
  it('About: the versions, the local runner with its version, the paddock:// handler and the paths', async () => {
    const result = await call('getDiagnostics', null);
    expect(result).toMatchObject({
      ok: true,
      value: {
        app: { name: 'Paddock', shell: 'web', platform: process.platform },
        runtime: { electron: null, chrome: null, node: process.versions.node },
        runners: [{ id: 'local', kind: 'local', state: 'online', version: expect.stringMatching(/^\d+\.\d+\.\d+/) }],
        protocolHandler: { isDefault: false },
        paths: { settingsFile: host.store.path, logsFolder: host.logs.folder, localRunnerData: path.join(host.dataDir, 'runner') },
        canCollect: true,
      },
    });
    // The logs are real files, and the secret was there to find (the check below can fail).
    expect(fs.readFileSync(host.logs.main, 'utf8')).toContain('token refused');
    expect(fs.readFileSync(host.logs.runner, 'utf8')).toContain(canaryCareless);
  });

  it('collects a zip into the data folder with the expected entries and no canary in any of them', async () => {
    const result = (await call('collectDiagnostics', null)) as { ok: true; value: { saved: true; path: string; bytes: number; entries: string[] } };
    expect(result.ok).toBe(true);
    expect(result.value.saved).toBe(true);
    expect(host.diagnosticsSaved).toEqual([result.value.path]);
    expect(path.dirname(result.value.path)).toBe(path.join(host.dataDir, 'diagnostics'));
    expect(path.basename(result.value.path)).toMatch(/^paddock-diagnostics-\d{4}-\d{2}-\d{2}\.zip$/);
    expect(fs.statSync(result.value.path).size).toBe(result.value.bytes);

    const files = unzip(result.value.path);
    expect(Object.keys(files)).toEqual(result.value.entries);
    expect(result.value.entries).toEqual([
      'README.txt',
      'app.json',
      'settings.json',
      'state/runners.json',
      'state/hosts.json',
      'state/jobs.json',
      'state/environments.json',
      'state/notices.json',
      'logs/main.log',
      'logs/runner.log',
    ]);
    for (const [name, text] of Object.entries(files)) {
      for (const canary of canaries) expect(text.includes(canary), `${name} holds a canary`).toBe(false);
    }

    // What is there: the connected account (never its token), the entry's secret only as set, the runner's lines.
    const hosts = JSON.parse(files['state/hosts.json']!) as { host: string; connections: { state: string; account: string }[] }[];
    expect(hosts).toMatchObject([{ host: GHES, connections: [{ state: 'connected', account: 'sam' }] }]);
    expect(JSON.parse(files['state/runners.json']!)).toMatchObject([{ id: 'local', health: { state: 'online' } }]);
    expect(JSON.parse(files['settings.json']!)).toMatchObject({ preferences: { theme: 'system' }, runners: [{ id: 'local', kind: 'local' }] });
    expect(files['logs/main.log']).toContain('token refused');
    expect(files['logs/runner.log']).toContain('careless');
    expect(files['logs/runner.log']).toContain('"sessionToken":"[redacted]"');
    expect(files['README.txt']).toContain('What is never inside');
  });

  it('saves nothing when the user cancels, and says so', async () => {
    const before = host.diagnosticsSaved.length;
    host.cancelNextDiagnosticsSave();
    expect(await call('collectDiagnostics', null)).toEqual({ ok: true, value: { saved: false } });
    expect(host.diagnosticsSaved).toHaveLength(before);
    expect(fs.readdirSync(path.join(host.dataDir, 'diagnostics'))).toHaveLength(before);
  });
});
