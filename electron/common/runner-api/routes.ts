import { z } from 'zod';
import {
  applyPolicyRequestSchema,
  applyPolicyResponseSchema,
  providerInputSchema,
  providerValidationSchema,
  providerViewSchema,
} from '../provider-config';
import {
  challengeRequestSchema,
  challengeResponseSchema,
  clientIdSchema,
  clientRoleSchema,
  healthResponseSchema,
  helloRequestSchema,
  helloResponseSchema,
  okResponseSchema,
  registrationRequestSchema,
  registrationResponseSchema,
  runnerStatusSchema,
} from './base';
import {
  createEnvironmentRequestSchema,
  environmentChangesSchema,
  environmentListSchema,
  environmentParamsSchema,
  environmentViewSchema,
} from './environments';
import { jobAnswerSchema, jobEventSchema, jobIdSchema, jobStartSchema, jobViewSchema } from './jobs';
import { oauthCallbackRequestSchema, oauthCallbackResponseSchema } from './oauth';
import { connectPatRequestSchema, tokenSelectorSchema, tokenViewSchema, useTokenRequestSchema } from './tokens';

/**
 * The runner API's routes: the one place where each route's method, path,
 * who may call it, and the schemas of its path parameters, request body and
 * answer are written. The runner validates what arrives against it; the
 * app's runner client validates what comes back. docs/runners.md's route
 * table is checked against this by a test.
 *
 * access: 'public' needs no token (health, the local hello proof, the two
 * registration steps); 'user' any registered workstation; 'admin' only a
 * workstation registered with the admin role (the local runner's
 * workstation is its admin).
 */
export type RunnerMode = 'local' | 'remote';
export type RouteAccess = 'public' | 'user' | 'admin';

export interface RunnerRouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** With `:name` segments for path parameters. */
  readonly path: string;
  readonly access: RouteAccess;
  readonly modes: readonly RunnerMode[];
  readonly params?: z.ZodObject;
  readonly body?: z.ZodType;
  /** The answer's body; for a stream, one line of it (NDJSON). */
  readonly response: z.ZodType;
  readonly stream?: true;
  /** HTTP status of a successful answer. */
  readonly status: 200 | 201 | 202;
  readonly summary: string;
}

const both = ['local', 'remote'] as const;
const spec = <S extends RunnerRouteSpec>(route: S) => route;

/** Repository access: adds or edits an entry (the client secret arrives sealed to the runner). */
export const saveProviderRequestSchema = z
  .object({
    provider: providerInputSchema,
    /** The entry's host before this edit; null for a new entry. */
    previousHost: z.string().max(2048).nullable(),
    /**
     * The admin saw the warnings and saves anyway ("Save anyway"): a host that
     * cannot be reached, an unexpected answer, a check that cannot run. The
     * runner keeps them as accepted for these values (ProviderView.acceptedWarnings).
     */
    confirmWarnings: z.boolean(),
    /**
     * With confirmWarnings: the codes of the warnings the admin was shown.
     * The save checks again; a warning it finds beyond these (and beyond
     * those accepted before) is asked about first. Absent: every warning is
     * accepted (tools that save without showing them).
     */
    warningsSeen: z.array(z.string().max(100)).max(200).optional(),
  })
  .strict();
export type SaveProviderRequest = z.infer<typeof saveProviderRequestSchema>;

export const saveProviderResponseSchema = z
  .object({
    saved: z.boolean(),
    /** True when only warnings stand in the way (none accepted before for these values): saving again with confirmWarnings goes through. */
    needsConfirmation: z.boolean(),
    provider: providerViewSchema.nullable(),
    validation: providerValidationSchema,
    /** Users' tokens the runner deleted because of this change (S6). */
    deletedTokens: z.number().int().nonnegative(),
  })
  .strict();

export const deleteProviderRequestSchema = z.object({ host: z.string().min(1).max(2048) }).strict();
export const deleteProviderResponseSchema = z.object({ ok: z.literal(true), deletedTokens: z.number().int().nonnegative() }).strict();
export const providerListSchema = z.object({ providers: z.array(providerViewSchema) }).strict();

export const discoverTenantRequestSchema = z
  .object({ organization: z.string().trim().min(1).max(256).regex(/^[^\s/\\?#%@:]+$/, 'must be an organization name') })
  .strict();
/** What `HEAD https://dev.azure.com/{organization}` said about the organization's Entra tenant. */
export const discoverTenantResponseSchema = z
  .object({
    /** The tenant id, or null when it could not be found (the admin enters it). */
    tenant: z.string().max(200).nullable(),
    message: z.string().max(2000),
  })
  .strict();

export const clientViewSchema = z
  .object({
    id: clientIdSchema,
    name: z.string().max(200),
    role: clientRoleSchema,
    createdAt: z.iso.datetime(),
    /** The workstation asking. */
    self: z.boolean(),
  })
  .strict();
export type ClientView = z.infer<typeof clientViewSchema>;

export const createRegistrationRequestSchema = z
  .object({
    role: clientRoleSchema,
    /** Minutes until the token expires: 5 minutes to 24 hours, as `registration create` allows (R2). */
    expiresInMinutes: z.number().int().min(5).max(24 * 60),
  })
  .strict();
export const createRegistrationResponseSchema = z
  .object({ token: z.string().min(10).max(200), expiresAt: z.iso.datetime(), role: clientRoleSchema })
  .strict();

/** An environment and the job of its clone. */
export const environmentAnswerSchema = z.object({ environment: environmentViewSchema, job: jobViewSchema }).strict();

export const deletedCountSchema = z.object({ deleted: z.number().int().nonnegative() }).strict();
const clientParams = z.object({ clientId: clientIdSchema }).strict();
const jobParams = z.object({ id: jobIdSchema }).strict();

export const runnerRoutes = {
  health: spec({ method: 'GET', path: '/v1/health', access: 'public', modes: both, response: healthResponseSchema, status: 200, summary: '`{status, version, apiVersion}`' }),
  hello: spec({
    method: 'POST',
    path: '/v1/hello',
    access: 'public',
    modes: ['local'],
    body: helloRequestSchema,
    response: helloResponseSchema,
    status: 200,
    summary: 'the token proof (above)',
  }),
  registrationChallenge: spec({
    method: 'POST',
    path: '/v1/registration/challenge',
    access: 'public',
    modes: ['remote'],
    body: challengeRequestSchema,
    response: challengeResponseSchema,
    status: 200,
    summary: 'the registration proof',
  }),
  register: spec({
    method: 'POST',
    path: '/v1/registration',
    access: 'public',
    modes: ['remote'],
    body: registrationRequestSchema,
    response: registrationResponseSchema,
    status: 201,
    summary: 'one-time registration; the workstation gets the role its token was made for',
  }),
  status: spec({
    method: 'GET',
    path: '/v1/status',
    access: 'user',
    modes: both,
    response: runnerStatusSchema,
    status: 200,
    summary: 'id, version, API version, mode, public key, SPKI, secret store, start time, warnings, and the caller’s client id and role',
  }),
  deleteSelf: spec({
    method: 'DELETE',
    path: '/v1/clients/self',
    access: 'user',
    modes: ['remote'],
    response: okResponseSchema,
    status: 200,
    summary: 'deletes this workstation’s client and data',
  }),
  listClients: spec({
    method: 'GET',
    path: '/v1/clients',
    access: 'admin',
    modes: ['remote'],
    response: z.object({ clients: z.array(clientViewSchema) }).strict(),
    status: 200,
    summary: 'the registered workstations: id, name, role, when',
  }),
  createRegistration: spec({
    method: 'POST',
    path: '/v1/registrations',
    access: 'admin',
    modes: ['remote'],
    body: createRegistrationRequestSchema,
    response: createRegistrationResponseSchema,
    status: 201,
    summary: 'a one-time registration token for another workstation, with its role',
  }),
  deleteClientTokens: spec({
    method: 'DELETE',
    path: '/v1/clients/:clientId/tokens',
    access: 'admin',
    modes: ['remote'],
    params: clientParams,
    body: tokenSelectorSchema,
    response: deletedCountSchema,
    status: 200,
    summary: 'deletes another workstation’s tokens for a host',
  }),
  listProviders: spec({
    method: 'GET',
    path: '/v1/providers',
    access: 'user',
    modes: both,
    response: providerListSchema,
    status: 200,
    summary: 'repository-access entries (never a secret; `secretSet` only)',
  }),
  saveProvider: spec({
    method: 'PUT',
    path: '/v1/providers',
    access: 'admin',
    modes: both,
    body: saveProviderRequestSchema,
    response: saveProviderResponseSchema,
    status: 200,
    summary:
      'adds or edits an entry: the client secret arrives sealed to the runner’s key and bound to `{runnerId, kind, host, clientId, tenant}`; the runner opens it, refuses a mismatch, keeps it in its vault; validates; purges users’ tokens a change makes invalid',
  }),
  deleteProvider: spec({
    method: 'DELETE',
    path: '/v1/providers',
    access: 'admin',
    modes: both,
    body: deleteProviderRequestSchema,
    response: deleteProviderResponseSchema,
    status: 200,
    summary: 'deletes an entry, its client secret and every workstation’s tokens for it',
  }),
  discoverTenant: spec({
    method: 'POST',
    path: '/v1/providers/discover-tenant',
    access: 'admin',
    modes: both,
    body: discoverTenantRequestSchema,
    response: discoverTenantResponseSchema,
    status: 200,
    summary: 'the Entra tenant of an Azure DevOps organization (`HEAD https://dev.azure.com/{org}`)',
  }),
  applyPolicy: spec({
    method: 'PUT',
    path: '/v1/policy',
    access: 'admin',
    // Only the workstation's own runner takes the policy from the app. A runner on a server
    // is shared by many workstations: its managed entries come from its own admin (serve --policy).
    modes: ['local'],
    body: applyPolicyRequestSchema,
    response: applyPolicyResponseSchema,
    status: 200,
    summary: 'the app’s admin-policy entries for the local runner become managed; a runner on a server takes them from `serve --policy FILE` instead',
  }),
  listTokens: spec({
    method: 'GET',
    path: '/v1/tokens',
    access: 'user',
    modes: both,
    response: z.object({ tokens: z.array(tokenViewSchema) }).strict(),
    status: 200,
    summary: 'this workstation’s tokens: host, organization, method, account, expiry, state (never the token)',
  }),
  connectPat: spec({
    method: 'PUT',
    path: '/v1/tokens/pat',
    access: 'user',
    modes: both,
    body: connectPatRequestSchema,
    response: tokenViewSchema,
    status: 200,
    summary:
      'a pasted personal access token, sealed to the runner’s key and bound to `{runnerId, host, organization, purpose}`: checked against the provider (identity, scopes and expiry where reported) and kept for this workstation only if it passes',
  }),
  useToken: spec({
    method: 'PUT',
    path: '/v1/tokens/in-use',
    access: 'user',
    modes: both,
    body: useTokenRequestSchema,
    response: z.object({ tokens: z.array(tokenViewSchema) }).strict(),
    status: 200,
    summary: 'makes one of this workstation’s tokens the one used for its host and organization (several accounts per host); answers with all its tokens',
  }),
  oauthCallback: spec({
    method: 'POST',
    path: '/v1/oauth/callback',
    access: 'user',
    modes: both,
    body: oauthCallbackRequestSchema,
    response: oauthCallbackResponseSchema,
    status: 200,
    summary:
      'a provider’s redirect as the app received it (state with code or error): ends this workstation’s attempt with that state; an unknown, used or expired state is ignored (`matched: false`)',
  }),
  deleteTokens: spec({
    method: 'DELETE',
    path: '/v1/tokens',
    access: 'user',
    modes: both,
    body: tokenSelectorSchema,
    response: deletedCountSchema,
    status: 200,
    summary: 'deletes this workstation’s tokens for a host (log out)',
  }),
  listEnvironments: spec({
    method: 'GET',
    path: '/v1/environments',
    access: 'user',
    modes: both,
    response: environmentListSchema,
    status: 200,
    summary: 'this workstation’s environments on the runner, newest first: repository, ref, state, folder, last error',
  }),
  createEnvironment: spec({
    method: 'POST',
    path: '/v1/environments',
    access: 'user',
    modes: both,
    body: createEnvironmentRequestSchema,
    response: environmentAnswerSchema,
    status: 201,
    summary: 'records an environment from a repository URL (parsed by the runner against its repository access) and starts its clone as an `environment-clone` job',
  }),
  retryEnvironment: spec({
    method: 'POST',
    path: '/v1/environments/:id/retry',
    access: 'user',
    modes: both,
    params: environmentParamsSchema,
    response: environmentAnswerSchema,
    status: 202,
    summary: 'clones a failed or cancelled environment again',
  }),
  environmentChanges: spec({
    method: 'GET',
    path: '/v1/environments/:id/changes',
    access: 'user',
    modes: both,
    params: environmentParamsSchema,
    response: environmentChangesSchema,
    status: 200,
    summary: 'what deleting would lose: uncommitted files, unpushed commits, stashes',
  }),
  deleteEnvironment: spec({
    method: 'DELETE',
    path: '/v1/environments/:id',
    access: 'user',
    modes: both,
    params: environmentParamsSchema,
    response: okResponseSchema,
    status: 200,
    summary: 'deletes an environment and its working copy (one being cloned is cancelled first)',
  }),
  startJob: spec({
    method: 'POST',
    path: '/v1/jobs',
    access: 'user',
    modes: both,
    body: jobStartSchema,
    response: jobAnswerSchema,
    status: 202,
    summary: 'starts a job and answers at once with its id and state',
  }),
  getJob: spec({
    method: 'GET',
    path: '/v1/jobs/:id',
    access: 'user',
    modes: both,
    params: jobParams,
    response: jobAnswerSchema,
    status: 200,
    summary: 'one of this workstation’s jobs: state, latest progress, outcome',
  }),
  jobEvents: spec({
    method: 'GET',
    path: '/v1/jobs/:id/events',
    access: 'user',
    modes: both,
    params: jobParams,
    response: jobEventSchema,
    stream: true,
    status: 200,
    summary: 'the job’s events as NDJSON: its current state first, then progress, then its end; a keep-alive line every 15 s',
  }),
  cancelJob: spec({
    method: 'DELETE',
    path: '/v1/jobs/:id',
    access: 'user',
    modes: both,
    params: jobParams,
    response: jobAnswerSchema,
    status: 200,
    summary: 'cancels a running job (its work is stopped, not only forgotten)',
  }),
  purge: spec({
    method: 'POST',
    path: '/v1/purge',
    access: 'admin',
    modes: ['local'],
    response: okResponseSchema,
    status: 200,
    summary: 'deletes the runner’s keys (keychain) and data, then stops',
  }),
} as const satisfies Record<string, RunnerRouteSpec>;

export type RunnerRoutes = typeof runnerRoutes;
export type RunnerRouteName = keyof RunnerRoutes;
type Spec<K extends RunnerRouteName> = RunnerRoutes[K];
export type RouteBody<K extends RunnerRouteName> = Spec<K> extends { body: infer B extends z.ZodType } ? z.input<B> : undefined;
export type RouteParams<K extends RunnerRouteName> = Spec<K> extends { params: infer P extends z.ZodType } ? z.input<P> : undefined;
export type RouteResponse<K extends RunnerRouteName> = z.output<Spec<K>['response']>;

/** The path of a route with its parameters filled in (each percent-encoded). */
export function routePath(path: string, params: Record<string, string> | undefined): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`Missing path parameter ${name} for ${path}.`);
    return encodeURIComponent(value);
  });
}

/** Matches a request path against a route's path template: its parameters, or null. */
export function matchRoutePath(template: string, pathname: string): Record<string, string> | null {
  const want = template.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    const actual = got[i]!;
    if (segment.startsWith(':')) {
      if (actual === '') return null;
      try {
        params[segment.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (segment !== actual) return null;
  }
  return params;
}
