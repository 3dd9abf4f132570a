import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import {
  entraEndpoints,
  expandUrl,
  hostValues,
  normalizeHost,
  oauthEndpoints,
  providerCatalogue,
  tenantFromOrganizationHead,
} from '../../electron/common/providers';
import type { Probe } from '../../electron/common/providers';
import type { ProviderKind } from '../../electron/common/provider-kind';
import { emptyGuid, startAzureDevOpsSimulator } from '../fakes/azure-devops';
import { startAzureDevOpsServerSimulator } from '../fakes/azure-devops-server';
import { startBitbucketCloudSimulator } from '../fakes/bitbucket-cloud';
import { startBitbucketDcSimulator } from '../fakes/bitbucket-dc';
import { startEntraSimulator } from '../fakes/entra';
import { startGitHubSimulator } from '../fakes/github';
import { startGitLabSimulator } from '../fakes/gitlab';
import type { Simulator } from '../fakes/simulator';

// Each simulator answers the unauthenticated requests host validation makes
// (the catalogue's probes) as spec/SCM-PROTOCOLS.md says, over TLS that the
// client trusts only through the simulator's own certificate.

const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const otherTenant = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

const simulators: Simulator[] = [];
afterAll(async () => {
  await Promise.all(simulators.map((simulator) => simulator.close()));
});

async function track<T extends Simulator>(started: Promise<T>): Promise<T> {
  const simulator = await started;
  simulators.push(simulator);
  return simulator;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTPS request, trusting only `ca` (no ca: the system's CAs, which never include a simulator's), with extra headers. */
function request(method: string, url: string, ca?: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, ca, agent: false, timeout: 5_000, headers: { Accept: 'application/json', ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

const header = (answer: Answer) => (name: string) => {
  const value = answer.headers[name.toLowerCase()];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
};

/** Whether an answer is what the catalogue's probe expects: the rule validation will apply. */
function meetsProbe(probe: Probe, answer: Answer): boolean {
  switch (probe.expect.type) {
    case 'status':
      return probe.expect.statuses.includes(answer.status);
    case 'headers':
      return probe.expect.anyOf.some((name) => header(answer)(name) !== null);
    case 'json': {
      if (answer.status !== 200 || !/^application\/json\b/.test(String(answer.headers['content-type']))) return false;
      try {
        const document = JSON.parse(answer.body) as Record<string, unknown>;
        return probe.expect.fields.every((field) => field in document);
      } catch {
        return false;
      }
    }
  }
}

function probeOf(kind: ProviderKind, purpose: Probe['purpose'] = 'host'): Probe {
  const probe = providerCatalogue[kind].probes.find((candidate) => candidate.purpose === purpose);
  if (!probe) throw new Error(`${kind} has no ${purpose} probe`);
  return probe;
}

/** A catalogue URL on a fixed public host, moved onto the simulator. */
function onSimulator(url: string, publicOrigin: string, simulator: Simulator): string {
  expect(url.startsWith(`${publicOrigin}/`)).toBe(true);
  return `${simulator.origin}${url.slice(publicOrigin.length)}`;
}

describe('Azure DevOps and Entra ID simulators', () => {
  async function pair() {
    const entra = await track(startEntraSimulator({ tenants: [tenant], wrongIssuerFor: [otherTenant] }));
    entra.addTenant(otherTenant);
    const ado = await track(
      startAzureDevOpsSimulator({
        authority: entra.origin,
        organizations: {
          contoso: { tenant },
          fabrikam: { tenant, bearerChallenge: false },
          personal: { tenant: 'msa' },
          silent: { tenant: null },
          mismatched: { tenant: otherTenant },
        },
      }),
    );
    return { entra, ado };
  }

  it('answers HEAD https://dev.azure.com/{org} with the tenant in the Bearer challenge and X-VSS-ResourceTenant (§1.3)', async () => {
    const { entra, ado } = await pair();
    const probe = probeOf('azure-devops', 'organization-tenant');
    const url = onSimulator(expandUrl(probe.url, { organization: 'contoso' }), 'https://dev.azure.com', ado);
    const answer = await request(probe.method, url, ado.ca);
    expect(answer.status).toBe(401);
    expect(answer.body).toBe('');
    expect(meetsProbe(probe, answer)).toBe(true);
    expect(answer.headers['www-authenticate']).toBe(`Bearer authorization_uri=${entra.origin}/${tenant}, Basic realm="https://dev.azure.com/", TFS-Federated`);
    expect(answer.headers['x-vss-resourcetenant']).toBe(tenant);
    expect(tenantFromOrganizationHead(header(answer))).toEqual({ found: true, tenant, via: 'www-authenticate' });
    expect(ado.requests.at(-1)).toMatchObject({ method: 'HEAD', path: '/contoso' });
  });

  it('serves the tenant’s OpenID configuration with the §1.3 endpoints of that tenant', async () => {
    const { entra } = await pair();
    const probe = probeOf('azure-devops', 'tenant-openid-configuration');
    const endpoints = entraEndpoints(tenant, entra.origin);
    expect(onSimulator(expandUrl(probe.url, { tenant }), 'https://login.microsoftonline.com', entra)).toBe(endpoints.openidConfiguration);
    const answer = await request('GET', endpoints.openidConfiguration, entra.ca);
    expect(meetsProbe(probe, answer)).toBe(true);
    const document = JSON.parse(answer.body) as Record<string, string>;
    expect(document).toMatchObject({
      issuer: `${entra.origin}/${tenant}/v2.0`,
      authorization_endpoint: endpoints.authorize,
      token_endpoint: endpoints.token,
    });
    // The catalogue's endpoints, moved onto the simulator, are the document's.
    const catalogued = oauthEndpoints('azure-devops', { baseUrl: 'https://dev.azure.com', tenant });
    expect(catalogued.ok && onSimulator(catalogued.authorize, 'https://login.microsoftonline.com', entra)).toBe(document.authorization_endpoint);
    expect(catalogued.ok && onSimulator(catalogued.token, 'https://login.microsoftonline.com', entra)).toBe(document.token_endpoint);
  });

  it('falls back to X-VSS-ResourceTenant, and marks organisations backed by Microsoft accounts with one empty GUID', async () => {
    const { ado, entra } = await pair();
    const fabrikam = await request('HEAD', `${ado.origin}/fabrikam`, ado.ca);
    expect(fabrikam.headers['www-authenticate']).toBeUndefined();
    expect(tenantFromOrganizationHead(header(fabrikam))).toEqual({ found: true, tenant, via: 'x-vss-resourcetenant' });

    const personal = await request('HEAD', `${ado.origin}/Personal`, ado.ca);
    expect(personal.headers['x-vss-resourcetenant']).toBe(emptyGuid);
    expect(tenantFromOrganizationHead(header(personal))).toEqual({ found: true, tenant: 'organizations', via: 'msa' });
    const organizations = await request('GET', entraEndpoints('organizations', entra.origin).openidConfiguration, entra.ca);
    expect(JSON.parse(organizations.body)).toMatchObject({ issuer: `${entra.origin}/{tenantid}/v2.0` });
  });

  it('answers without tenant headers when configured so, and 404 for an unknown organisation', async () => {
    const { ado } = await pair();
    const probe = probeOf('azure-devops', 'organization-tenant');
    const silent = await request('HEAD', `${ado.origin}/silent`, ado.ca);
    expect(silent.status).toBe(401);
    expect(meetsProbe(probe, silent)).toBe(false);
    expect(tenantFromOrganizationHead(header(silent))).toMatchObject({ found: false });
    expect((await request('HEAD', `${ado.origin}/nobody`, ado.ca)).status).toBe(404);
    ado.setOrganization('nobody', { tenant });
    expect(tenantFromOrganizationHead(header(await request('HEAD', `${ado.origin}/nobody`, ado.ca)))).toMatchObject({ tenant });
    ado.removeOrganization('contoso');
    expect((await request('HEAD', `${ado.origin}/contoso`, ado.ca)).status).toBe(404);
  });

  it('refuses an unknown tenant, and can serve a document whose issuer names another tenant', async () => {
    const { entra, ado } = await pair();
    const unknown = await request('GET', entraEndpoints('11111111-2222-4333-8444-555555555555', entra.origin).openidConfiguration, entra.ca);
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: 'invalid_tenant' });
    expect(meetsProbe(probeOf('azure-devops', 'tenant-openid-configuration'), unknown)).toBe(false);

    const discovered = tenantFromOrganizationHead(header(await request('HEAD', `${ado.origin}/mismatched`, ado.ca)));
    expect(discovered).toMatchObject({ found: true, tenant: otherTenant });
    const wrong = JSON.parse((await request('GET', entraEndpoints(otherTenant, entra.origin).openidConfiguration, entra.ca)).body) as { issuer: string };
    expect(wrong.issuer).not.toContain(otherTenant);
  });
});

describe('failures a simulator can be switched to', () => {
  it('resets connections, answers an error status or an HTML page, and refuses connections once closed', async () => {
    const ado = await startAzureDevOpsSimulator({ organizations: { contoso: { tenant } } });
    const url = `${ado.origin}/contoso`;
    const probe = probeOf('azure-devops', 'organization-tenant');

    ado.fail({ type: 'reset' });
    await expect(request('HEAD', url, ado.ca)).rejects.toThrow(/ECONNRESET|socket hang up|disconnected/);

    ado.fail({ type: 'status', status: 503 });
    const unavailable = await request('HEAD', url, ado.ca);
    expect(unavailable.status).toBe(503);
    expect(meetsProbe(probe, unavailable)).toBe(false);

    ado.fail({ type: 'html' });
    const html = await request('GET', url, ado.ca);
    expect([html.status, html.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    expect(meetsProbe(probe, html)).toBe(false);
    expect(meetsProbe(probeOf('gitlab'), html)).toBe(false);

    ado.fail(null);
    expect(meetsProbe(probe, await request('HEAD', url, ado.ca))).toBe(true);

    await ado.close();
    await expect(request('HEAD', url, ado.ca)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('is trusted only through its own certificate', async () => {
    const gitlab = await track(startGitLabSimulator());
    await expect(request('GET', `${gitlab.baseUrl}/.well-known/openid-configuration`)).rejects.toThrow(/self[- ]signed|unable to verify/i);
  });
});

describe('GitHub, GitLab, Bitbucket and Azure DevOps Server simulators', () => {
  it('GitHub Enterprise Server answers {apiBase}/meta under /api/v3; private mode refuses it without a token', async () => {
    const ghes = await track(startGitHubSimulator({ layout: 'enterprise-server', version: '3.17.2' }));
    const normalized = normalizeHost('github', ghes.origin);
    expect(normalized).toMatchObject({ ok: true, baseUrl: ghes.origin });
    const probe = probeOf('github');
    const answer = await request('GET', expandUrl(probe.url, hostValues('github', ghes.origin)), ghes.ca);
    expect(ghes.requests.at(-1)?.path).toBe('/api/v3/meta');
    expect(meetsProbe(probe, answer)).toBe(true);
    expect(JSON.parse(answer.body)).toEqual({ verifiable_password_authentication: true, installed_version: '3.17.2' });

    const locked = await track(startGitHubSimulator({ layout: 'enterprise-server', privateMode: true }));
    const refused = await request('GET', expandUrl(probe.url, hostValues('github', locked.origin)), locked.ca);
    expect(refused.status).toBe(401);
    expect(meetsProbe(probe, refused)).toBe(false);
    expect(probe.confirmed).toBe(false);
  });

  it('api.github.com’s layout answers /meta at the root', async () => {
    const api = await track(startGitHubSimulator({ layout: 'api' }));
    const probe = probeOf('github');
    const url = onSimulator(expandUrl(probe.url, hostValues('github', 'https://github.com')), 'https://api.github.com', api);
    expect(meetsProbe(probe, await request('GET', url, api.ca))).toBe(true);
  });

  it('GitLab serves its OpenID discovery document under the relative root, issuer = base URL, §3.1 endpoints', async () => {
    const gitlab = await track(startGitLabSimulator({ relativeRoot: '/gitlab' }));
    const normalized = normalizeHost('gitlab', `${gitlab.baseUrl}/`);
    if (!normalized.ok) throw new Error(normalized.error.message);
    expect(normalized.baseUrl).toBe(gitlab.baseUrl);
    const probe = probeOf('gitlab');
    const answer = await request('GET', expandUrl(probe.url, hostValues('gitlab', normalized.baseUrl)), gitlab.ca);
    expect(meetsProbe(probe, answer)).toBe(true);
    const endpoints = oauthEndpoints('gitlab', { baseUrl: normalized.baseUrl });
    expect(JSON.parse(answer.body)).toMatchObject({
      issuer: normalized.baseUrl,
      authorization_endpoint: endpoints.ok && endpoints.authorize,
      token_endpoint: endpoints.ok && endpoints.token,
    });
    // Without the relative root there is nothing there.
    expect((await request('GET', `${gitlab.origin}/.well-known/openid-configuration`, gitlab.ca)).status).toBe(404);
  });

  it('Bitbucket Cloud answers GET /2.0/user without a token with 401', async () => {
    const bitbucket = await track(startBitbucketCloudSimulator());
    const probe = probeOf('bitbucket-cloud');
    const url = onSimulator(expandUrl(probe.url, hostValues('bitbucket-cloud', 'https://bitbucket.org')), 'https://api.bitbucket.org', bitbucket);
    const answer = await request('GET', url, bitbucket.ca);
    expect(answer.status).toBe(401);
    expect(meetsProbe(probe, answer)).toBe(true);
  });

  it('Bitbucket Data Center answers application-properties under its context path', async () => {
    const bitbucket = await track(startBitbucketDcSimulator({ contextPath: '/bitbucket', version: '8.19.14' }));
    const normalized = normalizeHost('bitbucket-dc', bitbucket.baseUrl);
    if (!normalized.ok) throw new Error(normalized.error.message);
    const probe = probeOf('bitbucket-dc');
    const answer = await request('GET', expandUrl(probe.url, hostValues('bitbucket-dc', normalized.baseUrl)), bitbucket.ca);
    expect(bitbucket.requests.at(-1)?.path).toBe('/bitbucket/rest/api/1.0/application-properties');
    expect(meetsProbe(probe, answer)).toBe(true);
    expect(JSON.parse(answer.body)).toMatchObject({ version: '8.19.14', displayName: 'Bitbucket' });
  });

  it('Azure DevOps Server answers connectionData under virtual directory and collection, 404 for an unknown collection', async () => {
    const server = await track(startAzureDevOpsServerSimulator({ virtualDirectory: '/tfs', collections: ['DefaultCollection'] }));
    const normalized = normalizeHost('azure-devops-server', `${server.origin}/tfs/`);
    if (!normalized.ok) throw new Error(normalized.error.message);
    expect(normalized.baseUrl).toBe(`${server.origin}/tfs`);
    const probe = probeOf('azure-devops-server');
    const probeUrl = (collection: string) => expandUrl(probe.url, hostValues('azure-devops-server', normalized.baseUrl, { collection }));
    const answer = await request('GET', probeUrl('DefaultCollection'), server.ca);
    expect(answer.status).toBe(401);
    expect(meetsProbe(probe, answer)).toBe(true);
    // IIS paths ignore case.
    expect((await request('GET', `${server.origin}/TFS/defaultcollection/_apis/connectionData`, server.ca)).status).toBe(401);
    const unknown = await request('GET', probeUrl('Nope'), server.ca);
    expect(unknown.status).toBe(404);
    expect(meetsProbe(probe, unknown)).toBe(false);
  });

  it('Azure DevOps Server without a virtual directory (2019 and later)', async () => {
    const server = await track(startAzureDevOpsServerSimulator({ virtualDirectory: '', collections: ['Coll'] }));
    const probe = probeOf('azure-devops-server');
    const url = expandUrl(probe.url, hostValues('azure-devops-server', server.origin, { collection: 'Coll' }));
    expect(url).toBe(`${server.origin}/Coll/_apis/connectionData`);
    expect(meetsProbe(probe, await request('GET', url, server.ca))).toBe(true);
  });
});

describe('token checks: each simulator accepts exactly its account’s personal access token', () => {
  const user = { username: 'sam', displayName: 'Sam Example', email: 'sam@example.test' };
  const account = (personalAccessToken: string) => ({ user, personalAccessToken });
  const basic = (userPart: string, password: string) => `Basic ${Buffer.from(`${userPart}:${password}`).toString('base64')}`;

  it('GitHub: GET {apiBase}/user with Bearer or token answers the login and X-OAuth-Scopes; another token or none gets 401 (§2.2)', async () => {
    const ghes = await track(startGitHubSimulator({ layout: 'enterprise-server', account: account('ghp_right') }));
    const check = providerCatalogue.github.tokenCheck.pat;
    const url = expandUrl(check.url, hostValues('github', ghes.origin));
    expect(url).toBe(`${ghes.origin}/api/v3/user`);
    for (const authorization of ['Bearer ghp_right', 'token ghp_right']) {
      const answer = await request('GET', url, ghes.ca, { Authorization: authorization });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ login: 'sam', name: 'Sam Example' });
      expect(answer.headers['x-oauth-scopes']).toBe('repo, workflow');
    }
    expect((await request('GET', url, ghes.ca, { Authorization: 'Bearer ghp_wrong' })).status).toBe(401);
    expect((await request('GET', url, ghes.ca, { Authorization: 'Basic ghp_right' })).status).toBe(401);
    expect((await request('GET', url, ghes.ca)).status).toBe(401);
    // Without an account no token is accepted.
    const none = await track(startGitHubSimulator({ layout: 'api' }));
    expect((await request('GET', `${none.origin}/user`, none.ca, { Authorization: 'Bearer ghp_right' })).status).toBe(401);
  });

  it('GitLab: personal_access_tokens/self and /user with PRIVATE-TOKEN or Bearer; another token gets 401 (§3.2)', async () => {
    const gitlab = await track(startGitLabSimulator({ relativeRoot: '/gitlab', account: account('glpat-right') }));
    const check = providerCatalogue.gitlab.tokenCheck.pat;
    const url = expandUrl(check.url, hostValues('gitlab', gitlab.baseUrl));
    expect(url).toBe(`${gitlab.baseUrl}/api/v4/personal_access_tokens/self`);
    for (const headers of [{ 'PRIVATE-TOKEN': 'glpat-right' }, { Authorization: 'Bearer glpat-right' }] as Record<string, string>[]) {
      const answer = await request('GET', url, gitlab.ca, headers);
      expect(answer.status).toBe(200);
      const token = JSON.parse(answer.body) as { scopes: string[]; active: boolean; revoked: boolean; expires_at: string; user_id: number };
      expect(token).toMatchObject({ scopes: ['write_repository', 'read_user'], active: true, revoked: false, user_id: 1 });
      const days = (Date.parse(token.expires_at) - Date.now()) / 86_400_000;
      expect(days > 300 && days <= 365).toBe(true);
    }
    const me = await request('GET', `${gitlab.baseUrl}/api/v4/user`, gitlab.ca, { 'PRIVATE-TOKEN': 'glpat-right' });
    expect(JSON.parse(me.body)).toMatchObject({ id: 1, username: 'sam' });
    expect((await request('GET', url, gitlab.ca, { 'PRIVATE-TOKEN': 'glpat-wrong' })).status).toBe(401);
    expect((await request('GET', url, gitlab.ca)).status).toBe(401);
    expect((await request('GET', `${gitlab.origin}/api/v4/user`, gitlab.ca, { 'PRIVATE-TOKEN': 'glpat-right' })).status).toBe(404);
  });

  it('Bitbucket Cloud: GET /2.0/user with Basic email:token answers the user; the user name instead of the email, or another token, gets 401 (§4.2)', async () => {
    const bitbucket = await track(startBitbucketCloudSimulator({ account: account('ATATT-right') }));
    const check = providerCatalogue['bitbucket-cloud'].tokenCheck.pat;
    expect(check.auth).toBe('basic-email');
    const url = onSimulator(expandUrl(check.url, hostValues('bitbucket-cloud', 'https://bitbucket.org')), 'https://api.bitbucket.org', bitbucket);
    const answer = await request('GET', url, bitbucket.ca, { Authorization: basic('sam@example.test', 'ATATT-right') });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ username: 'sam', display_name: 'Sam Example' });
    expect((await request('GET', url, bitbucket.ca, { Authorization: basic('sam', 'ATATT-right') })).status).toBe(401);
    expect((await request('GET', url, bitbucket.ca, { Authorization: basic('sam@example.test', 'ATATT-wrong') })).status).toBe(401);
    expect((await request('GET', url, bitbucket.ca, { Authorization: 'Bearer ATATT-right' })).status).toBe(401);
  });

  it('Bitbucket Data Center: application-properties names the token’s user in X-AUSERNAME; another token gets 401, none the properties alone (§4.3)', async () => {
    const bitbucket = await track(startBitbucketDcSimulator({ account: account('BBDC-right') }));
    const check = providerCatalogue['bitbucket-dc'].tokenCheck.pat;
    const url = expandUrl(check.url, hostValues('bitbucket-dc', bitbucket.baseUrl));
    const answer = await request('GET', url, bitbucket.ca, { Authorization: 'Bearer BBDC-right' });
    expect([answer.status, answer.headers['x-ausername']]).toEqual([200, 'sam']);
    expect(JSON.parse(answer.body)).toMatchObject({ displayName: 'Bitbucket' });
    expect((await request('GET', url, bitbucket.ca, { Authorization: 'Bearer BBDC-wrong' })).status).toBe(401);
    const anonymous = await request('GET', url, bitbucket.ca);
    expect([anonymous.status, anonymous.headers['x-ausername']]).toEqual([200, undefined]);
  });

  it('Azure DevOps and Azure DevOps Server: connectionData with Basic ":" + PAT answers the authenticatedUser; another token or none gets 401 (§1.4)', async () => {
    const ado = await track(startAzureDevOpsSimulator({ organizations: { contoso: { tenant } }, account: account('ado-right') }));
    const services = onSimulator(expandUrl(providerCatalogue['azure-devops'].tokenCheck.pat.url, { organization: 'contoso' }), 'https://dev.azure.com', ado);
    const server = await track(startAzureDevOpsServerSimulator({ virtualDirectory: '/tfs', collections: ['DefaultCollection'], account: account('tfs-right') }));
    const onPremises = expandUrl(providerCatalogue['azure-devops-server'].tokenCheck.pat.url, hostValues('azure-devops-server', `${server.origin}/tfs`, { collection: 'DefaultCollection' }));
    for (const [url, simulator, token] of [[services, ado, 'ado-right'], [onPremises, server, 'tfs-right']] as const) {
      // Empty user name as Microsoft's samples send it; any other works too, as for git.
      for (const userPart of ['', 'paddock']) {
        const answer = await request('GET', url, simulator.ca, { Authorization: basic(userPart, token) });
        expect(answer.status).toBe(200);
        expect(JSON.parse(answer.body)).toMatchObject({ authenticatedUser: { providerDisplayName: 'Sam Example', properties: { Account: { $value: 'sam@example.test' } } } });
      }
      expect((await request('GET', url, simulator.ca, { Authorization: basic('', `${token}x`) })).status).toBe(401);
      expect((await request('GET', url, simulator.ca)).status).toBe(401);
    }
    // Each accepts only its own account's token; an unknown organisation is 404.
    expect((await request('GET', services, ado.ca, { Authorization: basic('', 'tfs-right') })).status).toBe(401);
    expect((await request('GET', `${ado.origin}/nobody/_apis/connectionData`, ado.ca, { Authorization: basic('', 'ado-right') })).status).toBe(404);
  });
});
