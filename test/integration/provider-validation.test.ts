import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderKind } from '../../electron/common/provider-kind';
import type { ValidationCheck } from '../../electron/common/provider-config';
import { probe, createHttpClient } from '../../electron/runner/providers/http';
import { validateProvider } from '../../electron/runner/providers/validate';
import type { ProviderValidationConfig, ValidateProviderOptions } from '../../electron/runner/providers/validate';
import { startAzureDevOpsSimulator } from '../fakes/azure-devops';
import type { AzureDevOpsSimulator } from '../fakes/azure-devops';
import { startAzureDevOpsServerSimulator } from '../fakes/azure-devops-server';
import { startBitbucketCloudSimulator } from '../fakes/bitbucket-cloud';
import { startBitbucketDcSimulator } from '../fakes/bitbucket-dc';
import { startEntraSimulator } from '../fakes/entra';
import type { EntraSimulator } from '../fakes/entra';
import { startGitHubSimulator } from '../fakes/github';
import { startGitLabSimulator } from '../fakes/gitlab';
import type { Simulator } from '../fakes/simulator';

// The runner's validation on save (issue 4 point 4) against the provider
// simulators: every request stays on 127.0.0.1, over TLS the runner trusts
// only through the CA bundle it is given.

const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const otherTenant = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const unknownTenant = 'cccccccc-dddd-4eee-8fff-000000000000';
const beefTenant = 'bbbbbbbb-0000-4000-8000-00000000beef';

const simulators: Simulator[] = [];
async function track<T extends Simulator>(started: Promise<T>): Promise<T> {
  const simulator = await started;
  simulators.push(simulator);
  return simulator;
}

let directory: string;
let caFile: string;
let entra: EntraSimulator;
let ado: AzureDevOpsSimulator;

beforeAll(async () => {
  entra = await track(startEntraSimulator({ tenants: [tenant, otherTenant, beefTenant], wrongIssuerFor: [beefTenant] }));
  ado = await track(
    startAzureDevOpsSimulator({
      authority: entra.origin,
      organizations: {
        contoso: { tenant },
        fabrikam: { tenant: otherTenant },
        ghost: { tenant: unknownTenant },
        personal: { tenant: 'msa' },
        beef: { tenant: beefTenant },
      },
    }),
  );
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-validation-'));
  caFile = path.join(directory, 'ca.pem');
  fs.writeFileSync(caFile, ado.ca);
});

afterAll(async () => {
  await Promise.all(simulators.map((simulator) => simulator.close()));
  fs.rmSync(directory, { recursive: true, force: true });
});

function config(kind: ProviderKind, host: string, extra: Partial<ProviderValidationConfig> = {}): ProviderValidationConfig {
  return {
    kind,
    host,
    organizations: [],
    collections: [],
    oauth: { enabled: false, clientId: null, tenant: null, secretSet: false },
    pat: { enabled: true },
    ...extra,
  };
}

function azure(organizations: Array<[string, string]>, oauthTenant: string | null = tenant): ProviderValidationConfig {
  return config('azure-devops', 'https://dev.azure.com', {
    organizations: organizations.map(([name, orgTenant]) => ({ name, tenant: orgTenant, tenantOrigin: 'entered' as const })),
    oauth: { enabled: true, clientId: 'app-id', tenant: oauthTenant, secretSet: false },
  });
}

const azureEndpoints = () => ({ 'https://dev.azure.com': ado.origin, 'https://login.microsoftonline.com': entra.origin });
const trusted = (extra: ValidateProviderOptions = {}): ValidateProviderOptions => ({ http: { caFile }, endpoints: azureEndpoints(), ...extra });

const all = (result: { host: ValidationCheck[]; oauth: ValidationCheck[]; pat: ValidationCheck[] }) => [...result.host, ...result.oauth, ...result.pat];
const levels = (checks: ValidationCheck[]) => [...new Set(checks.map((check) => check.level))].sort();
const find = (checks: ValidationCheck[], code: string) => checks.find((check) => check.code === code);

describe('Azure DevOps Services', () => {
  it('accepts an organization whose tenant matches, with the tenant’s OpenID configuration', async () => {
    const before = ado.requests.length;
    const result = await validateProvider(azure([['contoso', tenant]]), trusted({ secretCheck: { level: 'ok', code: 'sealed-secret', message: 'The sealed secret opens.' } }));
    expect(levels(all(result))).toEqual(['ok']);
    expect(find(result.host, 'host-reachable')).toBeDefined();
    expect(find(result.host, 'organization-tenant')?.message).toContain(tenant);
    expect(result.oauth[0]?.code).toBe('sealed-secret');
    expect(find(result.oauth, 'tenant-openid-configuration')?.message).toContain(tenant);
    expect(find(result.pat, 'pat-token-check')?.level).toBe('ok');
    // Messages name the host as the admin knows it, not where a test moved it.
    expect(find(result.pat, 'pat-token-check')?.message).toContain('dev.azure.com/contoso');
    expect(find(result.pat, 'pat-token-check')?.message).not.toContain('127.0.0.1');
    const seen = ado.requests.slice(before);
    expect(seen.map((request) => `${request.method} ${request.path}`)).toEqual(['HEAD /contoso']);
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it('refuses a tenant that differs from the organization’s, naming both', async () => {
    const result = await validateProvider(azure([['contoso', otherTenant]], otherTenant), trusted());
    const mismatch = find(result.host, 'organization-tenant-mismatch');
    expect(mismatch?.level).toBe('error');
    expect(mismatch?.message).toContain(tenant);
    expect(mismatch?.message).toContain(otherTenant);
  });

  it('refuses a tenant for an organization backed by Microsoft accounts, and suggests the organisation’s tenant over “organizations”', async () => {
    const result = await validateProvider(azure([['personal', tenant], ['fabrikam', 'organizations']], null), trusted());
    expect(result.host.filter((check) => check.code === 'organization-tenant-mismatch')).toHaveLength(1);
    expect(find(result.host, 'organization-tenant-generic')).toMatchObject({ level: 'warning' });
    expect(find(result.host, 'organization-tenant-generic')?.message).toContain(otherTenant);
  });

  it('warns about an unknown organization (what the service answers is not documented)', async () => {
    const result = await validateProvider(azure([['contoso', tenant], ['nosuchorg', tenant]]), trusted());
    expect(find(result.host, 'organization-not-found')).toMatchObject({ level: 'warning' });
    expect(find(result.host, 'organization-not-found')?.message).toContain('nosuchorg');
    expect(levels(all(result))).toEqual(['ok', 'warning']);
  });

  it('refuses an Entra tenant that Entra does not know, and an OpenID configuration naming another tenant', async () => {
    const unknown = await validateProvider(azure([['ghost', unknownTenant]], unknownTenant), trusted());
    expect(find(unknown.host, 'organization-tenant')?.level).toBe('ok');
    const notFound = find(unknown.oauth, 'tenant-not-found');
    expect(notFound?.level).toBe('error');
    expect(notFound?.message).toContain(unknownTenant);
    expect(notFound?.message).toContain('invalid_tenant');

    const wrong = await validateProvider(azure([['beef', beefTenant]], beefTenant), trusted());
    expect(find(wrong.oauth, 'tenant-issuer-mismatch')?.level).toBe('error');
  });

  it('skips the OpenID configuration when OAuth is off', async () => {
    const before = entra.requests.length;
    const result = await validateProvider({ ...azure([['contoso', tenant]]), oauth: { enabled: false, clientId: null, tenant: null, secretSet: false } }, trusted());
    expect(result.oauth).toEqual([]);
    expect(entra.requests.length).toBe(before);
  });

  it('reports a server that is down as a host error, never throwing', async () => {
    ado.fail({ type: 'reset' });
    try {
      const result = await validateProvider(azure([['contoso', tenant]]), trusted());
      expect(find(result.host, 'host-reset')?.level).toBe('error');
      expect(find(result.host, 'host-reset')?.message).toContain(new URL(ado.origin).host);
      expect(result.host).toHaveLength(1);
    } finally {
      ado.fail(null);
    }

    const closed = await startAzureDevOpsSimulator({ organizations: { contoso: { tenant } } });
    await closed.close();
    const refused = await validateProvider(azure([['contoso', tenant]]), trusted({ endpoints: { ...azureEndpoints(), 'https://dev.azure.com': closed.origin } }));
    expect(find(refused.host, 'host-refused')).toMatchObject({ level: 'error' });
    expect(find(refused.host, 'host-refused')?.message).toMatch(/ECONNREFUSED/);
  });

  it('names the untrusted certificate, then trusts it once the CA bundle is given', async () => {
    const untrusted = await validateProvider(azure([['contoso', tenant]]), { endpoints: azureEndpoints() });
    const tlsError = find(untrusted.host, 'host-tls-untrusted');
    expect(tlsError?.level).toBe('error');
    expect(tlsError?.message).toContain('CN=127.0.0.1');
    expect(tlsError?.message).toMatch(/self-signed/);
    expect(tlsError?.message).toMatch(/CA bundle/);
    expect(find(untrusted.oauth, 'entra-tls-untrusted')?.level).toBe('error');

    const withCa = await validateProvider(azure([['contoso', tenant]]), trusted());
    expect(levels(all(withCa))).toEqual(['ok']);
  });

  it('reports an unreadable CA bundle without making requests', async () => {
    const before = ado.requests.length;
    const result = await validateProvider(azure([['contoso', tenant]]), trusted({ http: { caFile: path.join(directory, 'missing.pem') } }));
    expect(find(result.host, 'ca-file')?.level).toBe('error');
    expect(ado.requests.length).toBe(before);
  });
});

describe('the other kinds', () => {
  it('GitHub Enterprise Server: good; private mode only warns (the probe is unconfirmed); OAuth without a secret is refused', async () => {
    const ghes = await track(startGitHubSimulator({ layout: 'enterprise-server' }));
    const good = await validateProvider(config('github', ghes.origin), { http: { caFile } });
    expect(levels(all(good))).toEqual(['ok']);
    expect(ghes.requests.at(-1)?.path).toBe('/api/v3/meta');

    const privateMode = await track(startGitHubSimulator({ layout: 'enterprise-server', privateMode: true }));
    const result = await validateProvider(
      config('github', privateMode.origin, { oauth: { enabled: true, clientId: 'Iv1.abc', tenant: null, secretSet: false } }),
      { http: { caFile } },
    );
    expect(find(result.host, 'host-probe-needs-sign-in')?.level).toBe('warning');
    expect(find(result.oauth, 'client-secret-required')?.level).toBe('error');
  });

  it('github.com: the API host is moved onto the simulator', async () => {
    const api = await track(startGitHubSimulator({ layout: 'api' }));
    const result = await validateProvider(config('github', 'https://github.com'), { http: { caFile }, endpoints: { 'https://api.github.com': api.origin } });
    expect(levels(all(result))).toEqual(['ok']);
    expect(api.requests.at(-1)?.path).toBe('/meta');
  });

  it('GitLab with a relative root: good, with the OAuth endpoints of its OpenID configuration; a web page instead is refused', async () => {
    const gitlab = await track(startGitLabSimulator({ relativeRoot: '/gitlab' }));
    const withOAuth = { oauth: { enabled: true, clientId: 'gitlab-app', tenant: null, secretSet: false } };
    const good = await validateProvider(config('gitlab', gitlab.baseUrl, withOAuth), { http: { caFile } });
    expect(levels(all(good))).toEqual(['ok']);
    expect(find(good.oauth, 'oauth-endpoints')).toBeDefined();

    gitlab.fail({ type: 'html' });
    const page = await validateProvider(config('gitlab', gitlab.baseUrl, withOAuth), { http: { caFile } });
    gitlab.fail(null);
    expect(find(page.host, 'host-probe-not-provider')?.level).toBe('error');
  });

  it('Bitbucket Cloud: good; a web page only warns (unconfirmed probe); OAuth needs the secret', async () => {
    const cloud = await track(startBitbucketCloudSimulator());
    const options = { http: { caFile }, endpoints: { 'https://api.bitbucket.org': cloud.origin } };
    const good = await validateProvider(config('bitbucket-cloud', 'https://bitbucket.org'), options);
    expect(levels(all(good))).toEqual(['ok']);
    expect(cloud.requests.at(-1)?.path).toBe('/2.0/user');

    cloud.fail({ type: 'html' });
    const page = await validateProvider(config('bitbucket-cloud', 'https://bitbucket.org'), options);
    cloud.fail(null);
    expect(find(page.host, 'host-probe-unexpected')?.level).toBe('warning');
    expect(levels(all(page))).toEqual(['ok', 'warning']);

    const noSecret = { oauth: { enabled: true, clientId: 'consumer-key', tenant: null, secretSet: false } };
    const withoutSecret = await validateProvider(config('bitbucket-cloud', 'https://bitbucket.org', noSecret), options);
    expect(find(withoutSecret.oauth, 'client-secret-required')?.level).toBe('error');
    const withSecret = await validateProvider(config('bitbucket-cloud', 'https://bitbucket.org', { oauth: { ...noSecret.oauth, secretSet: true } }), options);
    expect(withSecret.oauth).toEqual([]);
  });

  it('Bitbucket Data Center with a context path: good; the wrong path only warns; a server that is gone is an error', async () => {
    const dc = await track(startBitbucketDcSimulator({ contextPath: '/bitbucket' }));
    const good = await validateProvider(config('bitbucket-dc', dc.baseUrl), { http: { caFile } });
    expect(levels(all(good))).toEqual(['ok']);
    expect(find(good.pat, 'pat-token-check')?.message).toMatch(/which answers/);

    const wrongPath = await validateProvider(config('bitbucket-dc', dc.origin), { http: { caFile } });
    expect(find(wrongPath.host, 'host-probe-not-found')?.level).toBe('warning');

    const gone = await startBitbucketDcSimulator();
    await gone.close();
    const refused = await validateProvider(config('bitbucket-dc', gone.baseUrl), { http: { caFile } });
    expect(find(refused.host, 'host-refused')?.level).toBe('error');
  });

  it('Azure DevOps Server with /tfs: a known collection answers; an unknown one only warns', async () => {
    const server = await track(startAzureDevOpsServerSimulator({ virtualDirectory: '/tfs', collections: ['DefaultCollection'] }));
    const good = await validateProvider(config('azure-devops-server', `${server.origin}/tfs`, { collections: [{ name: 'DefaultCollection' }] }), { http: { caFile } });
    expect(levels(all(good))).toEqual(['ok']);

    const unknown = await validateProvider(
      config('azure-devops-server', `${server.origin}/tfs`, { collections: [{ name: 'DefaultCollection' }, { name: 'Missing' }] }),
      { http: { caFile } },
    );
    expect(find(unknown.host, 'collection-probe-not-found')?.level).toBe('warning');
    expect(find(unknown.host, 'collection-probe-not-found')?.message).toContain('Missing');
  });

  it('Azure DevOps Server over plain http: a warning, and the server answers', async () => {
    const plain = http.createServer((request, response) => {
      response.writeHead(/\/_apis\/connectionData$/.test(request.url ?? '') ? 401 : 404).end();
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = plain.address() as AddressInfo;
      const result = await validateProvider(config('azure-devops-server', `http://127.0.0.1:${port}`, { collections: [{ name: 'DefaultCollection' }] }), {});
      expect(find(result.host, 'http')?.level).toBe('warning');
      expect(find(result.host, 'collection-probe')?.level).toBe('ok');
    } finally {
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });
});

// A small HTTP CONNECT proxy on 127.0.0.1 that counts the tunnels it opens.
interface TestProxy {
  readonly url: string;
  readonly tunnels: string[];
  refuseWith: number | null;
  close(): Promise<void>;
}

async function startProxy(): Promise<TestProxy> {
  const sockets = new Set<Socket>();
  const server = http.createServer((_request, response) => response.writeHead(405).end());
  const proxy: TestProxy = {
    url: '',
    tunnels: [],
    refuseWith: null,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (request: http.IncomingMessage, client: Socket, head: Buffer) => {
    const target = request.url ?? '';
    proxy.tunnels.push(target);
    const [host, port] = target.split(':');
    if (proxy.refuseWith !== null || host !== '127.0.0.1') {
      client.end(`HTTP/1.1 ${proxy.refuseWith ?? 403} Refused\r\n\r\n`);
      return;
    }
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(proxy, { url: `http://127.0.0.1:${port}` });
}

describe('through a proxy', () => {
  let proxy: TestProxy;
  beforeAll(async () => {
    proxy = await startProxy();
  });
  afterAll(() => proxy.close());

  const adoHost = () => new URL(ado.origin).host;
  const entraHost = () => new URL(entra.origin).host;

  it('goes through an explicit proxy, and around it for NO_PROXY hosts', async () => {
    proxy.tunnels.length = 0;
    const through = await validateProvider(azure([['contoso', tenant]]), trusted({ http: { caFile, proxy: { url: proxy.url } } }));
    expect(levels(all(through))).toEqual(['ok']);
    expect(proxy.tunnels.sort()).toEqual([adoHost(), entraHost()].sort());

    proxy.tunnels.length = 0;
    const bypass = await validateProvider(azure([['contoso', tenant]]), trusted({ http: { caFile, proxy: { url: proxy.url, noProxy: `example.com, ${entraHost()}` } } }));
    expect(levels(all(bypass))).toEqual(['ok']);
    expect(proxy.tunnels).toEqual([adoHost()]);
  });

  it('honours HTTPS_PROXY and NO_PROXY from the environment', async () => {
    const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, https_proxy: process.env.https_proxy, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
    try {
      delete process.env.https_proxy;
      delete process.env.no_proxy;
      process.env.HTTPS_PROXY = proxy.url;
      process.env.NO_PROXY = adoHost();
      proxy.tunnels.length = 0;
      const result = await validateProvider(azure([['contoso', tenant]]), trusted({ http: { caFile, proxy: 'env' } }));
      expect(levels(all(result))).toEqual(['ok']);
      expect(proxy.tunnels).toEqual([entraHost()]);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('says when the proxy refuses or is gone, and names the certificate seen through it', async () => {
    proxy.refuseWith = 407;
    try {
      const refused = await validateProvider(azure([['contoso', tenant]]), trusted({ http: { caFile, proxy: { url: proxy.url } } }));
      expect(find(refused.host, 'host-proxy-failed')?.message).toMatch(/407/);
    } finally {
      proxy.refuseWith = null;
    }

    const gone = await startProxy();
    await gone.close();
    const down = await validateProvider(azure([['contoso', tenant]]), trusted({ http: { caFile, proxy: { url: gone.url } } }));
    expect(find(down.host, 'host-proxy-failed')?.message).toContain(new URL(gone.url).host);

    proxy.tunnels.length = 0;
    const untrusted = await validateProvider(azure([['contoso', tenant]]), { endpoints: azureEndpoints(), http: { proxy: { url: proxy.url } } });
    expect(find(untrusted.host, 'host-tls-untrusted')?.message).toContain('CN=127.0.0.1');
    // The request and the certificate diagnosis both went through the proxy.
    expect(proxy.tunnels.filter((target) => target === adoHost()).length).toBeGreaterThanOrEqual(2);
  });

  it('probe() returns typed answers: redirects are not followed', async () => {
    const redirect = http.createServer((_request, response) => response.writeHead(302, { Location: '/elsewhere' }).end());
    await new Promise<void>((resolve) => redirect.listen(0, '127.0.0.1', resolve));
    const client = createHttpClient();
    try {
      const { port } = redirect.address() as AddressInfo;
      const answer = await probe(client, { method: 'GET', url: `http://127.0.0.1:${port}/start` });
      expect(answer).toMatchObject({ ok: true, status: 302, location: `http://127.0.0.1:${port}/elsewhere` });
    } finally {
      await client.close();
      await new Promise<void>((resolve) => redirect.close(() => resolve()));
    }
  });
});
