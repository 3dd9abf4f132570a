import type { IncomingHttpHeaders } from 'node:http';
import { isAzureDevOpsScope } from './entra';
import type { AccessGrant } from './oauth';
import { acceptsToken, authorizationToken, basicCredentials, startSimulator, segmentsOf } from './simulator';
import type { SimulatedAccount, SimulatedUser, SimulatorResponse, Simulator } from './simulator';

// Azure DevOps Services simulator (dev.azure.com), SCM-PROTOCOLS §1.3
// "Which tenant": an unauthenticated `HEAD https://dev.azure.com/{org}`
// answers with `WWW-Authenticate: Bearer authorization_uri=<authority>/<tenant>`
// and/or `X-VSS-ResourceTenant: <tenant GUID>` (a single empty GUID for an
// organisation backed by Microsoft accounts). GCM ignores the status; the
// spec does not give it, so it is configurable (401 by default, as GCM's
// own tests use). Unknown organisations get 404 (the simulator's choice:
// the spec does not say what the service answers).
//
// The token check of §1.4: `GET https://dev.azure.com/{org}/_apis/connectionData`
// with `Authorization: Basic base64(":" + PAT)` (any user name is accepted,
// as git's is) answers the `authenticatedUser`. That call is third-party
// usage, not Microsoft's docs; the fields besides authenticatedUser
// (authorizedUser, instanceId, the Account property) follow that usage.
// Any other token, or none, gets 401 without a body (the simulator's
// choice; the third-party code also treats an anonymous user as invalid,
// which this simulator does not produce).

// Entra access tokens (entra.ts) are accepted as the REST APIs take them
// (§1.3 "Git with an Entra token"): `Authorization: Bearer <token>` or as
// the password of Basic, when the token was granted an Azure DevOps scope.
// `failOAuthPolicy` answers them with 401 TF400813 (GIT-AND-DESKTOP §3.7:
// "Authorize and token both succeed but REST is denied"); the body follows
// the PAT policy answer below (the simulator's choice).

/** The Entra simulator's view of its access tokens. */
export interface EntraTokens {
  accessGrant(token: string): AccessGrant | null;
}

/** Whether the request carries an Entra access token with an Azure DevOps scope. */
function entraToken(entra: EntraTokens | undefined, headers: IncomingHttpHeaders): boolean {
  const token = authorizationToken(headers, ['Bearer']) ?? basicCredentials(headers)?.password ?? null;
  const grant = entra === undefined || token === null ? null : entra.accessGrant(token);
  return grant !== null && grant.scopes.some(isAzureDevOpsScope);
}

/** TF400813 for an OAuth token (GIT-AND-DESKTOP §3.7); the body's shape is the simulator's choice. */
export function tf400813Answer(): SimulatorResponse {
  return {
    status: 401,
    json: {
      $id: '1',
      innerException: null,
      message: "TF400813: The user '6a1f7c9e-2b4d-4e8f-9a0b-1c2d3e4f5a6b' is not authorized to access this resource.",
      typeName: 'Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server',
      typeKey: 'UnauthorizedRequestException',
      errorCode: 0,
      eventId: 3000,
    },
  };
}

/** The connectionData answer for a signed-in user (Azure DevOps and Azure DevOps Server). */
export function connectionData(user: SimulatedUser): unknown {
  const identity = {
    id: '6a1f7c9e-2b4d-4e8f-9a0b-1c2d3e4f5a6b',
    descriptor: `Microsoft.IdentityModel.Claims.ClaimsIdentity;${user.email}`,
    providerDisplayName: user.displayName,
    isActive: true,
    properties: { Account: { $type: 'System.String', $value: user.email } },
  };
  return { authenticatedUser: identity, authorizedUser: identity, instanceId: '0c4b8b4e-8f5d-4a3c-9e1f-2d3c4b5a6978' };
}

/**
 * The answer to connectionData for these request headers: the user for the
 * account's PAT, else 401. With `policyViolation`, the account's PAT is
 * refused by an organisation PAT policy instead (see below).
 */
export function connectionDataAnswer(account: SimulatedAccount | undefined, headers: IncomingHttpHeaders, policyViolation: string | null = null): SimulatorResponse {
  const credentials = basicCredentials(headers);
  if (!acceptsToken(account, credentials?.password ?? null)) return { status: 401, text: '' };
  if (policyViolation !== null) return policyViolationAnswer(policyViolation);
  return { status: 200, json: connectionData(account.user) };
}

/**
 * A PAT refused by an organisation policy. The codes are the spec's
 * (GIT-AND-DESKTOP.md §3.5/§3.7: DisablePatCreationPolicyViolation from
 * GCM#2344; globalPatPolicyViolation, fullScopePatPolicyViolation,
 * patLifespanPolicyViolation from generated clients). How connectionData
 * carries one is not in the spec: the simulator's choice is 401 with
 * Azure DevOps' usual error body (message, typeName, typeKey), the code in
 * typeKey and in the message.
 */
export function policyViolationAnswer(code: string): SimulatorResponse {
  return {
    status: 401,
    json: {
      $id: '1',
      innerException: null,
      message: `${code}: The organization's policy does not allow this personal access token.`,
      typeName: `Microsoft.VisualStudio.Services.DelegatedAuthorization.${code}Exception, Microsoft.VisualStudio.Services.WebApi`,
      typeKey: code,
      errorCode: 0,
      eventId: 3000,
    },
  };
}

export const emptyGuid = '00000000-0000-0000-0000-000000000000';

export interface AzureDevOpsOrganizationSetup {
  /** The organisation's Entra tenant (a GUID); "msa" for one backed by Microsoft accounts; null for an answer without tenant headers. */
  readonly tenant: string | 'msa' | null;
  /** Send the Bearer challenge (default true when tenant is a GUID); false leaves only X-VSS-ResourceTenant. */
  readonly bearerChallenge?: boolean;
  /** Send X-VSS-ResourceTenant (default true when tenant is set). */
  readonly resourceTenantHeader?: boolean;
}

export interface AzureDevOpsSimulatorOptions {
  readonly organizations: Readonly<Record<string, AzureDevOpsOrganizationSetup>>;
  /** Where authorization_uri points: Entra's host by default; tests pass the Entra simulator's origin. */
  readonly authority?: string;
  /** The status of the answer for a known organisation (default 401). */
  readonly status?: number;
  /** The account whose personal access token connectionData accepts, in every organisation; without one, every token is refused. */
  readonly account?: SimulatedAccount;
  /** The Entra simulator whose access tokens (for the account) the APIs also accept. */
  readonly entra?: EntraTokens;
}

/**
 * A pull request as `GET {org}/{project}/_apis/git/repositories/{repo}/pullrequests/{id}`
 * answers it: the fields Gitpod's context parser reads (GIT-AND-DESKTOP §2:
 * sourceRefName, lastMergeSourceCommit, repository, forkSource?.repository).
 * The rest of the real answer is left out (the simulator's choice).
 */
export interface AzureDevOpsPullRequest {
  readonly sourceRefName: string;
  readonly commit: string;
  /** The source repository when it is a fork: its project and name; null for a branch of the base repository. */
  readonly fork: { readonly project: string; readonly name: string } | null;
}

export interface AzureDevOpsSimulator extends Simulator {
  /** Adds (or with null removes) pull request `id` of `{organization}/{project}/{repo}`. */
  setPullRequest(path: { organization: string; project: string; repo: string; id: number }, pull: AzureDevOpsPullRequest | null): void;
  /** Refuses the account's PAT with this `*PolicyViolation` code (see policyViolationAnswer); null switches it off. */
  failPatPolicy(code: string | null): void;
  /** Refuses Entra access tokens with 401 TF400813 (true), or accepts them again (false). */
  failOAuthPolicy(on: boolean): void;
  /** Adds or changes an organisation. */
  setOrganization(name: string, setup: AzureDevOpsOrganizationSetup): void;
  removeOrganization(name: string): void;
}

export async function startAzureDevOpsSimulator(options: AzureDevOpsSimulatorOptions): Promise<AzureDevOpsSimulator> {
  // Organisation names compare without case, as the service's URLs do.
  const organizations = new Map(Object.entries(options.organizations).map(([name, setup]) => [name.toLowerCase(), setup]));
  const authority = (options.authority ?? 'https://login.microsoftonline.com').replace(/\/+$/, '');
  let policyViolation: string | null = null;
  let oauthPolicy = false;
  const pulls = new Map<string, AzureDevOpsPullRequest>();
  const pullKey = (organization: string, project: string, repo: string, id: number) => `${organization}/${project}/${repo}/${id}`.toLowerCase();
  const withEntra = (headers: IncomingHttpHeaders): SimulatorResponse | null => {
    if (options.account === undefined || !entraToken(options.entra, headers)) return null;
    return oauthPolicy ? tf400813Answer() : { status: 200, json: connectionData(options.account.user) };
  };

  const simulator = await startSimulator([
    // A pull request (see AzureDevOpsPullRequest), for the account's PAT (Basic) or an Entra token.
    ({ method, url, headers }) => {
      const segments = segmentsOf(url);
      // {org}/{project}/_apis/git/repositories/{repo}/pullrequests/{id}
      if (method !== 'GET' || !segments || segments.length !== 8 || segments[2] !== '_apis' || segments[3] !== 'git' || segments[4] !== 'repositories' || segments[6] !== 'pullrequests') return null;
      const [organization, project, , , , repo, , id] = segments as [string, string, string, string, string, string, string, string];
      if (!organizations.has(organization.toLowerCase())) return { status: 404, text: 'Not Found' };
      const entra = entraToken(options.entra, headers);
      if (!entra && !acceptsToken(options.account, basicCredentials(headers)?.password ?? null)) return { status: 401, text: '' };
      if (entra && oauthPolicy) return tf400813Answer();
      const pull = /^\d+$/.test(id) ? pulls.get(pullKey(organization, project, repo, Number(id))) : undefined;
      if (!pull) return { status: 404, json: { message: `TF401180: The requested pull request was not found.`, typeKey: 'GitPullRequestNotFoundException' } };
      const repository = (projectName: string, name: string) => ({
        name,
        project: { name: projectName },
        // As the service writes it: the organization as a user name, on the real host (this simulates dev.azure.com).
        remoteUrl: `https://${organization}@dev.azure.com/${organization}/${encodeURIComponent(projectName)}/_git/${encodeURIComponent(name)}`,
      });
      return {
        status: 200,
        json: {
          pullRequestId: Number(id),
          sourceRefName: pull.sourceRefName,
          lastMergeSourceCommit: { commitId: pull.commit },
          repository: repository(project, repo),
          ...(pull.fork ? { forkSource: { repository: repository(pull.fork.project, pull.fork.name) } } : {}),
        },
      };
    },
    ({ method, url, headers }) => {
      const segments = segmentsOf(url);
      if (method !== 'GET' || !segments || segments.length !== 3 || segments[1] !== '_apis' || segments[2] !== 'connectionData') return null;
      if (!organizations.has(segments[0]!.toLowerCase())) return { status: 404, text: 'Not Found' };
      return withEntra(headers) ?? connectionDataAnswer(options.account, headers, policyViolation);
    },
    // The catalogue's OAuth token check (app.vssps.visualstudio.com, moved onto this simulator): the profile of
    // the token's user. Only Entra tokens; the fields (id, displayName, emailAddress, publicAlias) are the Profile
    // API's as third-party code reads them (§1.3 Gitpod), not Microsoft's docs.
    ({ method, url, headers }) => {
      if (method !== 'GET' || url.pathname !== '/_apis/profile/profiles/me') return null;
      if (options.account === undefined || !entraToken(options.entra, headers)) return { status: 401, text: '' };
      if (oauthPolicy) return tf400813Answer();
      const { user } = options.account;
      return { status: 200, json: { id: '6a1f7c9e-2b4d-4e8f-9a0b-1c2d3e4f5a6b', displayName: user.displayName, emailAddress: user.email, publicAlias: '6a1f7c9e-2b4d-4e8f-9a0b-1c2d3e4f5a6b' } };
    },
    ({ method, url }) => {
      if (method !== 'HEAD' && method !== 'GET') return null;
      const segments = segmentsOf(url);
      if (!segments || segments.length !== 1) return null;
      const setup = organizations.get(segments[0]!.toLowerCase());
      if (!setup) return { status: 404, text: 'Not Found' };
      const headers: Record<string, string> = {};
      if (setup.tenant === 'msa') {
        if (setup.resourceTenantHeader !== false) headers['X-VSS-ResourceTenant'] = emptyGuid;
      } else if (setup.tenant !== null) {
        if (setup.bearerChallenge !== false) {
          headers['WWW-Authenticate'] = `Bearer authorization_uri=${authority}/${setup.tenant}, Basic realm="https://dev.azure.com/", TFS-Federated`;
        }
        if (setup.resourceTenantHeader !== false) headers['X-VSS-ResourceTenant'] = setup.tenant;
      }
      return { status: options.status ?? 401, headers };
    },
  ]);

  return {
    ...simulator,
    failPatPolicy(code) {
      policyViolation = code;
    },
    failOAuthPolicy(on) {
      oauthPolicy = on;
    },
    setPullRequest({ organization, project, repo, id }, pull) {
      if (pull) pulls.set(pullKey(organization, project, repo, id), pull);
      else pulls.delete(pullKey(organization, project, repo, id));
    },
    setOrganization(name, setup) {
      organizations.set(name.toLowerCase(), setup);
    },
    removeOrganization(name) {
      organizations.delete(name.toLowerCase());
    },
  };
}
