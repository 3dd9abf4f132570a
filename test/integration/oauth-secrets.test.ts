// Secrets of authorization (issue 9 point 9), end to end through the app's core and a real local
// runner against the provider simulators: OAuth codes, access and refresh tokens, PKCE verifiers
// and a pasted PAT are collected from what went over the wire to the providers (the simulators'
// traffic), then looked for everywhere else: the app's store and files, the runner's files
// (its vault is encrypted), both logs, the runner's argv and environment, every app-API message
// and event, and the runner-API traffic between app and runner (recorded by a proxy on the
// local runner's socket). The one secret the runner API must carry is the authorization code
// itself (the app hands it to the runner: that is the design); the PAT crosses only sealed.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Conf from 'conf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeepLink } from '../../electron/common/deep-link';
import { sealPat } from '../../electron/common/pat';
import type { ProviderInput } from '../../electron/common/provider-config';
import { memoryCredentialStore } from '../../electron/core/credentials';
import { noDesktop } from '../../electron/core/desktop';
import { createLogger } from '../../electron/core/logger';
import type { RunnerLauncher } from '../../electron/core/runners/local-runner';
import { nodeRunnerLauncher } from '../../electron/core/runners/node-launcher';
import { openStore } from '../../electron/core/store/store';
import { wireApp, type WiredApp } from '../../electron/core/wiring';
import { SIMULATED_OAUTH, SIMULATED_TENANT, SIMULATED_TOKENS, startProviderSimulators, type ProviderSimulators } from '../helpers/provider-simulators';

const ADO = 'https://dev.azure.com';
const GITLAB = 'https://gitlab.com';
const canaryPat = SIMULATED_TOKENS.azureDevOps;

let sims: ProviderSimulators;
let app: WiredApp;
let dataDir: string;
let runnerDir: string;
let scheme = true;
const appLogs: string[] = [];
const runnerLogs: string[] = [];
const messages: string[] = [];
const wire: Buffer[] = [];
const argvSeen: string[][] = [];
const opened: string[] = [];
const codes: string[] = [];
let proxy: net.Server;

/** The local runner's socket, seen through a recording proxy: the core talks to the proxy's socket. */
function proxiedLauncher(inner: RunnerLauncher, dir: string): RunnerLauncher {
  return (args) => {
    argvSeen.push(args);
    const child = inner(args);
    return {
      ...child,
      onMessage: (listener) =>
        child.onMessage((message) => {
          const ready = message as { type?: string; endpoint?: string };
          if (ready.type !== 'ready' || !ready.endpoint) return listener(message);
          const real = ready.endpoint;
          const front = path.join(dir, 'proxy.sock');
          fs.rmSync(front, { force: true });
          proxy = net.createServer((client) => {
            const upstream = net.connect(real);
            client.on('data', (chunk) => wire.push(Buffer.from(chunk)));
            upstream.on('data', (chunk) => wire.push(Buffer.from(chunk)));
            client.pipe(upstream).pipe(client);
            client.on('error', () => upstream.destroy());
            upstream.on('error', () => client.destroy());
          });
          proxy.listen(front, () => listener({ ...ready, endpoint: front }));
        }),
    };
  };
}

/** An app-API call as a transport carries it, both directions kept. */
async function call<T>(method: string, input: unknown): Promise<T> {
  messages.push(JSON.stringify(input));
  const envelope = (await app.dispatcher.call(method, input)) as { ok: boolean; value?: T; error?: unknown };
  messages.push(JSON.stringify(envelope));
  if (!envelope.ok) throw new Error(`${method} failed: ${JSON.stringify(envelope.error)}`);
  return envelope.value as T;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false): Promise<T> {
  for (let i = 0; i < 800; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

async function jobEnd(runnerId: string, jobId: string) {
  return until('the job’s end', async () => {
    const job = await call<{ state: string; outcome: { state: string; error?: { message: string } } | null }>('getJob', { runnerId, jobId });
    return job.state !== 'running' && job;
  });
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile());
}

const entry = (kind: ProviderInput['kind'], host: string, clientId: string, extra: Partial<ProviderInput> = {}): ProviderInput => ({
  kind,
  host,
  organizations: [],
  collections: [],
  oauth: { enabled: true, clientId, tenant: kind === 'azure-devops' ? SIMULATED_TENANT : null, clientSecret: { action: 'none' } },
  pat: { enabled: true },
  ...extra,
});

beforeAll(async () => {
  sims = await startProviderSimulators();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-secrets-'));
  runnerDir = path.join(dataDir, 'runner');
  const store = openStore({ directory: dataDir, createBackend: (options) => new Conf(options) as never });
  const logger = createLogger({
    name: 'test',
    destination: new Writable({
      write(chunk, _encoding, done) {
        appLogs.push(String(chunk));
        done();
      },
    }) as never,
  });
  app = await wireApp({
    store,
    logger,
    credentials: memoryCredentialStore(),
    appInfo: { name: 'Paddock', version: '0.0.0-test', shell: 'web', platform: process.platform },
    policy: { platform: process.platform, env: {}, isDevelopmentBuild: true, readFile: async () => '' },
    localRunner: {
      dataDir: runnerDir,
      launch: proxiedLauncher(nodeRunnerLauncher({ onLog: (line) => runnerLogs.push(line), env: { ...process.env, ...sims.runnerEnv } }), dataDir),
      args: [...sims.runnerArgs, '--secret-store', 'file'],
    },
    desktop: {
      ...noDesktop,
      openExternal: async (url) => void opened.push(url),
      notify: (notification) => void messages.push(JSON.stringify(notification)),
      customSchemeHandled: () => scheme,
    },
  });
  for (const event of ['hostsChanged', 'jobEvent', 'runnersChanged'] as const) app.dispatcher.subscribe(event, (payload) => messages.push(JSON.stringify(payload)));
  await until('the local runner online', async () => (await call<{ id: string; health: { state: string } }[]>('listRunners', null)).find((r) => r.id === 'local' && r.health.state === 'online'));
  for (const provider of [
    entry('azure-devops', ADO, SIMULATED_OAUTH.azureDevOps.clientId, {
      organizations: [
        { name: 'contoso', tenant: SIMULATED_TENANT, tenantOrigin: 'entered' },
        { name: 'fabrikam', tenant: SIMULATED_TENANT, tenantOrigin: 'entered' },
      ],
    }),
    entry('gitlab', GITLAB, SIMULATED_OAUTH.gitlab.clientId),
  ]) {
    const saved = await call<{ saved: boolean }>('saveProvider', { runnerId: 'local', provider, previousHost: null, confirmWarnings: true });
    expect(saved.saved).toBe(true);
  }
}, 90_000);

afterAll(async () => {
  await app?.core.dispose();
  proxy?.close();
  await sims?.close();
});

describe('secrets of authorization', () => {
  it('connects by OAuth (custom scheme and loopback), refreshes and pastes a PAT, and no secret appears anywhere but where it must', async () => {
    // Azure DevOps through paddock://, as the OS hands the link over.
    scheme = true;
    const ado = await call<{ job: { id: string }; authorizeUrl: string; callback: string }>('connectOAuth', { runnerId: 'local', host: ADO, organization: 'contoso' });
    expect(ado.callback).toBe('custom-scheme');
    const adoRedirect = await sims.oauth.entra.authorize(ado.authorizeUrl, 'allow');
    if (adoRedirect.kind !== 'redirect') throw new Error('expected a redirect');
    codes.push(new URL(adoRedirect.location).searchParams.get('code')!);
    const link = parseDeepLink(adoRedirect.location);
    if (!link.ok) throw new Error(link.error.message);
    await app.core.main.handleDeepLink(link.action);
    expect((await jobEnd('local', ado.job.id)).outcome?.state).toBe('succeeded');

    // GitLab through the loopback listener, as the browser follows the redirect.
    scheme = false;
    const gitlab = await call<{ job: { id: string }; authorizeUrl: string; callback: string }>('connectOAuth', { runnerId: 'local', host: GITLAB, organization: null });
    expect(gitlab.callback).toBe('loopback');
    const gitlabRedirect = await sims.oauth.gitlab.authorize(gitlab.authorizeUrl, 'allow');
    if (gitlabRedirect.kind !== 'redirect') throw new Error('expected a redirect');
    codes.push(new URL(gitlabRedirect.location).searchParams.get('code')!);
    expect((await fetch(gitlabRedirect.location)).status).toBe(200);
    expect((await jobEnd('local', gitlab.job.id)).outcome?.state).toBe('succeeded');

    // GitLab's token expires; a check refreshes it (a rotating refresh token is redeemed).
    sims.oauth.gitlab.advance(3 * 3600 * 1000);
    const tokens = await call<{ id: string; host: string }[]>('listTokens', { id: 'local' });
    const gitlabToken = tokens.find((t) => t.host === GITLAB)!;
    const check = await call<{ id: string }>('startJob', { runnerId: 'local', job: { kind: 'token-check', id: gitlabToken.id } });
    const checked = await jobEnd('local', check.id);
    expect(checked.outcome, JSON.stringify(checked.outcome)).toMatchObject({ state: 'succeeded', result: { refreshed: true } });

    // A pasted PAT for another organization, sealed in the page.
    const runner = (await call<{ id: string; publicKey: string; runnerUid: string }[]>('listRunners', null)).find((r) => r.id === 'local')!;
    const sealed = sealPat({ runnerId: runner.runnerUid, host: ADO, organization: 'fabrikam' }, canaryPat, runner.publicKey);
    await call('connectWithPat', { runnerId: 'local', host: ADO, organization: 'fabrikam', sealed });

    // What went over the wire to the providers: every access and refresh token issued, every verifier sent.
    const traffic = [...Object.values(sims.oauth)].flatMap((sim) => sim.traffic);
    const issued = traffic.flatMap((t) => {
      try {
        const answer = JSON.parse(t.responseBody) as { access_token?: string; refresh_token?: string };
        return [answer.access_token, answer.refresh_token].filter((v): v is string => typeof v === 'string');
      } catch {
        return [];
      }
    });
    const verifiers = traffic.flatMap((t) => {
      const verifier = new URLSearchParams(t.requestBody).get('code_verifier');
      return verifier ? [verifier] : [];
    });
    // Two exchanges (Azure DevOps, GitLab) and one refresh: at least five tokens, and a verifier per exchange.
    expect(issued.length).toBeGreaterThanOrEqual(5);
    expect(verifiers.length).toBe(2);
    expect(codes.every((c) => c.length > 10)).toBe(true);
    const secrets: Record<string, string> = {
      ...Object.fromEntries(issued.map((t, i) => [`token ${i}`, t])),
      ...Object.fromEntries(verifiers.map((v, i) => [`verifier ${i}`, v])),
      pat: canaryPat,
    };

    const runnerWire = Buffer.concat(wire).toString('latin1');
    expect(runnerWire.length).toBeGreaterThan(1000);
    const haystacks: Record<string, string> = {
      'app log': appLogs.join(''),
      'runner log': runnerLogs.join('\n'),
      'runner argv': JSON.stringify(argvSeen),
      'app-API messages and events': messages.join('\n'),
      'runner-API traffic': runnerWire,
      'browser hand-offs': opened.join('\n'),
      ...Object.fromEntries(filesUnder(dataDir).map((f) => [f, fs.readFileSync(f).toString('latin1')])),
    };
    expect(filesUnder(path.join(runnerDir, 'vault')).filter((f) => path.basename(f).startsWith('token.')).length).toBe(3);
    for (const [name, secret] of Object.entries(secrets)) {
      for (const [where, text] of Object.entries(haystacks)) {
        expect(text.includes(secret), `${name} is in ${where}`).toBe(false);
        expect(text.includes(secret.slice(-16)), `part of ${name} is in ${where}`).toBe(false);
      }
    }
    // Codes: handed to the runner (the runner-API traffic carries them, once each), nowhere else.
    for (const [index, code] of codes.entries()) {
      for (const [where, text] of Object.entries(haystacks)) {
        if (where === 'runner-API traffic') expect(text.split(code).length - 1, `code ${index} in ${where}`).toBe(1);
        else expect(text.includes(code), `code ${index} is in ${where}`).toBe(false);
      }
    }
    // The check can fail: the sealed PAT is in the traffic, the tokens' views too, and a value we know is there is found.
    expect(runnerWire).toContain(sealed);
    expect(messages.join('\n')).toContain(gitlabToken.id);
  }, 120_000);
});
