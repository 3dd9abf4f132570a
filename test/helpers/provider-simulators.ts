import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Simulation } from '../../electron/common/api';
import { callbackOptions } from '../../electron/common/providers';
import type { ProviderKind } from '../../electron/common/provider-kind';
import { startAzureDevOpsSimulator } from '../fakes/azure-devops';
import { startAzureDevOpsServerSimulator } from '../fakes/azure-devops-server';
import { startBitbucketCloudSimulator } from '../fakes/bitbucket-cloud';
import { startBitbucketDcSimulator } from '../fakes/bitbucket-dc';
import { startEntraSimulator } from '../fakes/entra';
import { startGitHubSimulator } from '../fakes/github';
import { startGitLabSimulator } from '../fakes/gitlab';
import { SAMPLE_PATHS, copyRepository, forkRepository, sampleRepository } from '../fakes/git-repos';
import { GitTokens, providerAuthorizer, simulatorOAuthTokens, startGitServer, type GitAuthorizer } from '../fakes/git-server';
import type { OAuthClientRegistration } from '../fakes/oauth';
import { AccountTokens, type SimulatedAccount, type SimulatedUser } from '../fakes/simulator';

export const SIMULATED_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** The one person every simulated provider knows. */
export const SIMULATED_USER: SimulatedUser = { username: 'sam', displayName: 'Sam Example', email: 'sam@example.test' };

/**
 * The personal access token each simulated provider accepts, one per
 * provider so that a token pasted for the wrong one is refused. Made-up
 * values, shaped loosely like each provider's own (never in a real token's
 * exact format, so that no secret scanner mistakes them for one).
 */
export const SIMULATED_TOKENS = {
  github: 'ghp_simulated_github_token',
  githubEnterpriseServer: 'ghp_simulated_ghes_token',
  gitlab: 'glpat-simulated-gitlab-token',
  gitlabSelfManaged: 'glpat-simulated-self-managed-token',
  bitbucketCloud: 'ATATT-simulated-bitbucket-api-token',
  bitbucketDc: 'BBDC-simulated-http-access-token',
  azureDevOps: 'simulated-azure-devops-pat',
  azureDevOpsServer: 'simulated-azure-devops-server-pat',
} as const;

/**
 * The OAuth app registered on each simulated provider: the Client ID (and
 * secret) to enter. GitLab's and Entra's are public apps (PKCE, no
 * secret); GitHub, Bitbucket Cloud and Bitbucket Data Center need the
 * secret (SCM-PROTOCOLS decisions). Each simulator checks them at its
 * authorize and token endpoints (test/fakes/README.md, "OAuth").
 */
export const SIMULATED_OAUTH = {
  github: { clientId: 'simulated-github-client', clientSecret: 'simulated-github-secret' },
  gitlab: { clientId: 'simulated-gitlab-client' },
  bitbucketCloud: { clientId: 'simulated-bitbucket-client', clientSecret: 'simulated-bitbucket-secret' },
  bitbucketDc: { clientId: 'simulated-bitbucket-dc-client', clientSecret: 'simulated-bitbucket-dc-secret' },
  azureDevOps: { clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' },
} as const;

/**
 * The redirect URIs the simulated apps are registered with: the catalogue's
 * callbacks for the local runner (custom scheme and loopback), plus
 * `extra` (a remote runner's https://<runner>/oauth/callback). Bitbucket
 * Cloud takes one callback per consumer (§4.1): the catalogue's first,
 * unless `extra` names one.
 */
export function simulatedRedirectUris(kind: ProviderKind, extra: readonly string[] = []): string[] {
  const local = callbackOptions(kind, { kind: 'local', url: null }).map((option) => option.url);
  if (kind === 'bitbucket-cloud') return [extra[0] ?? local[0]!];
  return [...local, ...extra];
}

/** The OAuth app each simulated provider knows, named "Paddock (simulated)" on its consent page. */
export function simulatedOAuthClients(extraRedirectUris: readonly string[] = []) {
  const name = 'Paddock (simulated)';
  const client = (kind: ProviderKind, credentials: { clientId: string; clientSecret?: string }, more: Partial<OAuthClientRegistration> = {}): OAuthClientRegistration => ({
    ...credentials,
    name,
    redirectUris: simulatedRedirectUris(kind, extraRedirectUris),
    ...more,
  });
  return {
    github: client('github', SIMULATED_OAUTH.github),
    gitlab: client('gitlab', SIMULATED_OAUTH.gitlab),
    // The consumer's permissions (§4.1: set on the registration).
    bitbucketCloud: client('bitbucket-cloud', SIMULATED_OAUTH.bitbucketCloud, { scopes: ['repository:write', 'account'] }),
    bitbucketDc: client('bitbucket-dc', SIMULATED_OAUTH.bitbucketDc),
    // Registered in SIMULATED_TENANT, single-tenant: /organizations and /common answer AADSTS50194.
    azureDevOps: client('azure-devops', SIMULATED_OAUTH.azureDevOps, { tenant: SIMULATED_TENANT }),
  };
}

const account = (token: string, tokens: AccountTokens): SimulatedAccount => ({ user: SIMULATED_USER, personalAccessToken: token, tokens });

/** The simulated hosts whose personal access tokens a test can issue and revoke (`tokens` of startProviderSimulators). */
export type SimulatedHost =
  | 'https://github.com'
  | 'https://ghe.example.test'
  | 'https://gitlab.com'
  | 'https://gitlab.example.test'
  | 'https://bitbucket.org'
  | 'https://bitbucket.example.test'
  | 'https://dev.azure.com'
  | 'https://tfs.example.test';

/**
 * The provider simulators a runner under test (or the web host in simulate
 * mode) talks to instead of the real services, one for each kind:
 * api.github.com and a GitHub Enterprise Server at https://ghe.example.test,
 * gitlab.com, a self-managed GitLab at https://gitlab.example.test, Bitbucket Cloud (api.bitbucket.org), a Bitbucket Data Center
 * at https://bitbucket.example.test, Azure DevOps (organization "contoso" in
 * SIMULATED_TENANT, and "fabrikam") with Entra ID, and an Azure DevOps
 * Server at https://tfs.example.test/tfs with DefaultCollection. Each knows
 * SIMULATED_USER and accepts its token from SIMULATED_TOKENS.
 *
 * Give the runner `runnerArgs` and `runnerEnv`: the CA bundle that trusts
 * the simulators, and PADDOCK_DEV_PROVIDER_ENDPOINTS, which moves the real
 * origins onto them (only development builds of the runner read it).
 * `simulation` says what a person enters to try each one.
 *
 * Each provider also knows one OAuth app (`oauthClients`, from
 * SIMULATED_OAUTH) registered with the local runner's callback URLs and
 * `options.oauthRedirectUris`; `oauth` holds the simulators whose
 * `authorize(url, 'allow' | 'deny')` presses the consent page's buttons
 * and whose `failOAuth` switches a failure on.
 */
export async function startProviderSimulators(options: { readonly oauthRedirectUris?: readonly string[] } = {}) {
  const oauthClients = simulatedOAuthClients(options.oauthRedirectUris);
  // Per host: the tokens a test issues or revokes, at the provider's API (here) and its git server (gitTokens, below).
  const accountTokens = new Map<SimulatedHost, AccountTokens>();
  const tokensOf = (origin: SimulatedHost) => {
    const tokens = new AccountTokens();
    accountTokens.set(origin, tokens);
    return tokens;
  };
  const gitTokens = new Map<string, GitTokens>();
  const entra = await startEntraSimulator({ tenants: [SIMULATED_TENANT], user: SIMULATED_USER, clients: [oauthClients.azureDevOps] });
  const ado = await startAzureDevOpsSimulator({
    authority: entra.origin,
    organizations: { contoso: { tenant: SIMULATED_TENANT }, fabrikam: { tenant: SIMULATED_TENANT } },
    account: account(SIMULATED_TOKENS.azureDevOps, tokensOf('https://dev.azure.com')),
    entra,
  });
  const github = await startGitHubSimulator({ layout: 'api', account: account(SIMULATED_TOKENS.github, tokensOf('https://github.com')), clients: [oauthClients.github] });
  const ghe = await startGitHubSimulator({ layout: 'enterprise-server', account: account(SIMULATED_TOKENS.githubEnterpriseServer, tokensOf('https://ghe.example.test')), clients: [oauthClients.github] });
  const gitlab = await startGitLabSimulator({ account: account(SIMULATED_TOKENS.gitlab, tokensOf('https://gitlab.com')), clients: [oauthClients.gitlab] });
  const gitlabSelfManaged = await startGitLabSimulator({ account: account(SIMULATED_TOKENS.gitlabSelfManaged, tokensOf('https://gitlab.example.test')), clients: [oauthClients.gitlab] });
  const bitbucketCloud = await startBitbucketCloudSimulator({ account: account(SIMULATED_TOKENS.bitbucketCloud, tokensOf('https://bitbucket.org')), clients: [oauthClients.bitbucketCloud] });
  const bitbucketDc = await startBitbucketDcSimulator({ account: account(SIMULATED_TOKENS.bitbucketDc, tokensOf('https://bitbucket.example.test')), clients: [oauthClients.bitbucketDc] });
  const tfs = await startAzureDevOpsServerSimulator({
    virtualDirectory: '/tfs',
    collections: ['DefaultCollection'],
    account: account(SIMULATED_TOKENS.azureDevOpsServer, tokensOf('https://tfs.example.test')),
  });
  // Git: one server for every simulated host, each under a path named for the host (github.com/octo/hello.git, …), its
  // sample repository and fork at the provider's own path shapes, the credential checked with that provider's rules.
  const gitHosts: { origin: string; kind: ProviderKind }[] = [];
  const gitServer = await (async () => {
    const repositories = new Map<string, string>();
    const authorizers = new Map<string, GitAuthorizer>();
    const hosts: { origin: string; kind: ProviderKind; token: string; lookup: Parameters<typeof providerAuthorizer>[0]['lookup'] }[] = [
      { origin: 'https://github.com', kind: 'github', token: SIMULATED_TOKENS.github, lookup: simulatorOAuthTokens({ kind: 'github', simulator: github, apiBase: '' }) },
      { origin: 'https://ghe.example.test', kind: 'github', token: SIMULATED_TOKENS.githubEnterpriseServer, lookup: simulatorOAuthTokens({ kind: 'github', simulator: ghe, apiBase: '/api/v3' }) },
      { origin: 'https://gitlab.com', kind: 'gitlab', token: SIMULATED_TOKENS.gitlab, lookup: simulatorOAuthTokens({ kind: 'gitlab', simulator: gitlab }) },
      { origin: 'https://gitlab.example.test', kind: 'gitlab', token: SIMULATED_TOKENS.gitlabSelfManaged, lookup: simulatorOAuthTokens({ kind: 'gitlab', simulator: gitlabSelfManaged }) },
      { origin: 'https://bitbucket.org', kind: 'bitbucket-cloud', token: SIMULATED_TOKENS.bitbucketCloud, lookup: simulatorOAuthTokens({ kind: 'bitbucket-cloud', simulator: bitbucketCloud }) },
      { origin: 'https://bitbucket.example.test', kind: 'bitbucket-dc', token: SIMULATED_TOKENS.bitbucketDc, lookup: simulatorOAuthTokens({ kind: 'bitbucket-dc', simulator: bitbucketDc }) },
      { origin: 'https://dev.azure.com', kind: 'azure-devops', token: SIMULATED_TOKENS.azureDevOps, lookup: simulatorOAuthTokens({ kind: 'azure-devops', entra }) },
      { origin: 'https://tfs.example.test', kind: 'azure-devops-server', token: SIMULATED_TOKENS.azureDevOpsServer, lookup: undefined },
    ];
    const fork = await forkRepository();
    for (const host of hosts) {
      const name = new URL(host.origin).hostname;
      // A writable copy, so a `git push` from an environment's working copy (its helper) works in the web host too.
      const sample = await copyRepository(await sampleRepository(host.kind));
      const paths = SAMPLE_PATHS[host.kind];
      for (const [repoPath, dir] of [[paths.repository, sample.dir], [paths.fork, fork.dir]] as const) {
        repositories.set(`/${name}${repoPath}`, dir);
        repositories.set(`/${name}${repoPath.replace(/\.git$/, '')}`, dir);
      }
      const tokens = new GitTokens();
      tokens.add(host.token, { kind: 'pat', access: 'write' });
      gitTokens.set(host.origin, tokens);
      authorizers.set(name, providerAuthorizer({ kind: host.kind, username: SIMULATED_USER.username, tokens, ...(host.lookup ? { lookup: host.lookup } : {}) }));
      gitHosts.push({ origin: host.origin, kind: host.kind });
      if (host.kind === 'azure-devops') {
        for (const pull of sample.pullRequests) {
          ado.setPullRequest(
            { organization: 'contoso', project: 'Fabrikam', repo: 'hello', id: pull.number },
            { sourceRefName: `refs/heads/${pull.sourceBranch}`, commit: pull.head, fork: pull.sourceRepository === 'fork' ? { project: 'Fabrikam', name: 'hello-fork' } : null },
          );
        }
      }
      if (host.kind === 'bitbucket-cloud') {
        for (const pull of sample.pullRequests) {
          bitbucketCloud.setPullRequest('workspace/hello', pull.number, { branch: pull.sourceBranch, commit: pull.head, sourceRepository: pull.sourceRepository === 'fork' ? 'sam/hello' : 'workspace/hello' });
        }
      }
    }
    return startGitServer({
      repositories: (urlPath) => repositories.get(urlPath) ?? repositories.get(`${urlPath}.git`) ?? null,
      authorize: (request) => {
        const name = request.path.split('/')[1] ?? '';
        const authorizer = authorizers.get(name);
        return authorizer ? authorizer(request) : 'forbidden';
      },
    });
  })();
  const gitEndpoints = Object.fromEntries(gitHosts.map((host) => [host.origin, `${gitServer.origin}/${new URL(host.origin).hostname}`]));
  const all = [entra, ado, github, ghe, gitlab, gitlabSelfManaged, bitbucketCloud, bitbucketDc, tfs, gitServer];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-sims-'));
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, entra.ca);
  // Real origins (what the catalogue and an admin's entry name) → simulator.
  const endpoints = {
    // github.com serves the OAuth app flow, api.github.com the API: one simulator answers both.
    'https://github.com': github.origin,
    'https://api.github.com': github.origin,
    'https://ghe.example.test': ghe.origin,
    'https://gitlab.com': gitlab.origin,
    'https://gitlab.example.test': gitlabSelfManaged.origin,
    'https://api.bitbucket.org': bitbucketCloud.origin,
    'https://bitbucket.org': bitbucketCloud.origin,
    'https://bitbucket.example.test': bitbucketDc.origin,
    'https://dev.azure.com': ado.origin,
    // The catalogue's OAuth token check (the Profile API) is answered by the Azure DevOps simulator.
    'https://app.vssps.visualstudio.com': ado.origin,
    'https://login.microsoftonline.com': entra.origin,
    'https://tfs.example.test': tfs.origin,
  };
  return {
    caFile,
    endpoints,
    simulation: simulationDescription(),
    oauthClients,
    oauth: { entra, azureDevOps: ado, github, githubEnterpriseServer: ghe, gitlab, gitlabSelfManaged, bitbucketCloud, bitbucketDc },
    runnerArgs: ['--ca-file', caFile],
    runnerEnv: { PADDOCK_DEV_PROVIDER_ENDPOINTS: JSON.stringify(endpoints), PADDOCK_DEV_GIT_ENDPOINTS: JSON.stringify(gitEndpoints) },
    git: { server: gitServer, endpoints: gitEndpoints },
    /**
     * Personal access tokens of SIMULATED_USER at each simulated host, at
     * its API and its git server alike: `revoke` makes both refuse a token
     * from the next request on (a token revoked on the provider's side);
     * `issue` makes both accept a new one (a token made on the provider's
     * new-token page).
     */
    tokens: {
      revoke(host: SimulatedHost, token: string) {
        accountTokens.get(host)!.revoke(token);
        gitTokens.get(host)!.revoke(token);
      },
      issue(host: SimulatedHost, token: string) {
        accountTokens.get(host)!.issue(token);
        gitTokens.get(host)!.add(token, { kind: 'pat', access: 'write' });
      },
    },
    close: async () => {
      await Promise.all(all.map((s) => s.close()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ProviderSimulators = Awaited<ReturnType<typeof startProviderSimulators>>;

/** What a person enters in "Add a new provider" for each simulator, so that validation passes; shown by the web host's banner. */
function simulationDescription(): Simulation {
  const { username, email } = SIMULATED_USER;
  return {
    providers: [
      {
        kind: 'github',
        name: 'GitHub',
        fields: [
          { label: 'Host', value: 'https://github.com' },
          { label: 'Client ID', value: SIMULATED_OAUTH.github.clientId },
          { label: 'Client Secret', value: SIMULATED_OAUTH.github.clientSecret },
        ],
        account: username,
        personalAccessToken: SIMULATED_TOKENS.github,
        repositories: ['https://github.com/octo/hello/pull/8', 'https://github.com/octo/hello/tree/release/2026.12/docs'],
      },
      {
        kind: 'github',
        name: 'GitHub Enterprise Server',
        fields: [
          { label: 'Host', value: 'https://ghe.example.test' },
          { label: 'Client ID', value: SIMULATED_OAUTH.github.clientId },
          { label: 'Client Secret', value: SIMULATED_OAUTH.github.clientSecret },
        ],
        account: username,
        personalAccessToken: SIMULATED_TOKENS.githubEnterpriseServer,
        repositories: ['https://ghe.example.test/octo/hello/pull/7'],
      },
      {
        kind: 'gitlab',
        name: 'GitLab',
        fields: [
          { label: 'Host', value: 'https://gitlab.com' },
          { label: 'Client ID', value: SIMULATED_OAUTH.gitlab.clientId },
        ],
        account: username,
        personalAccessToken: SIMULATED_TOKENS.gitlab,
        repositories: ['https://gitlab.com/group/subgroup/hello/-/merge_requests/7'],
      },
      {
        kind: 'gitlab',
        name: 'GitLab self-managed',
        fields: [
          { label: 'Host', value: 'https://gitlab.example.test' },
          { label: 'Client ID', value: SIMULATED_OAUTH.gitlab.clientId },
        ],
        account: username,
        personalAccessToken: SIMULATED_TOKENS.gitlabSelfManaged,
        repositories: ['https://gitlab.example.test/group/subgroup/hello/-/tree/feature/login/form'],
      },
      {
        kind: 'bitbucket-cloud',
        name: 'Bitbucket Cloud',
        fields: [
          { label: 'Host', value: 'https://bitbucket.org' },
          { label: 'Client ID', value: SIMULATED_OAUTH.bitbucketCloud.clientId },
          { label: 'Client Secret', value: SIMULATED_OAUTH.bitbucketCloud.clientSecret },
        ],
        // Bitbucket Cloud's API takes an API token with the account's email (§4.2).
        account: email,
        personalAccessToken: SIMULATED_TOKENS.bitbucketCloud,
        repositories: ['https://bitbucket.org/workspace/hello/pull-requests/8'],
      },
      {
        kind: 'bitbucket-dc',
        name: 'Bitbucket Data Center',
        fields: [
          { label: 'Host', value: 'https://bitbucket.example.test' },
          { label: 'Client ID', value: SIMULATED_OAUTH.bitbucketDc.clientId },
          { label: 'Client Secret', value: SIMULATED_OAUTH.bitbucketDc.clientSecret },
        ],
        account: username,
        personalAccessToken: SIMULATED_TOKENS.bitbucketDc,
        repositories: ['https://bitbucket.example.test/projects/PROJ/repos/hello/pull-requests/7'],
      },
      {
        kind: 'azure-devops',
        name: 'Azure DevOps',
        fields: [
          { label: 'Host', value: 'https://dev.azure.com' },
          { label: 'Organization', value: 'contoso' },
          { label: 'Tenant of the organization', value: SIMULATED_TENANT },
          { label: 'Client ID', value: SIMULATED_OAUTH.azureDevOps.clientId },
          { label: 'Tenant', value: SIMULATED_TENANT },
        ],
        account: email,
        personalAccessToken: SIMULATED_TOKENS.azureDevOps,
        repositories: ['https://dev.azure.com/contoso/Fabrikam/_git/hello?version=GBfeature/login/form', 'https://dev.azure.com/contoso/Fabrikam/_git/hello/pullrequest/8'],
      },
      {
        kind: 'azure-devops-server',
        name: 'Azure DevOps Server',
        fields: [
          { label: 'Host', value: 'https://tfs.example.test/tfs' },
          { label: 'Collection', value: 'DefaultCollection' },
        ],
        account: username,
        personalAccessToken: SIMULATED_TOKENS.azureDevOpsServer,
        repositories: ['https://tfs.example.test/tfs/DefaultCollection/Fabrikam/_git/hello?version=GTv2.0'],
      },
    ],
  };
}
