import { z } from 'zod';
import { clipMessage, type ProviderValidation, type ProviderView, type ValidationCheck } from '../../common/provider-config';
import { catalogueEntry, expandUrl, hostValues, isGuid, tenantFromOrganizationHead } from '../../common/providers';
import type { CatalogueEntry, Probe, TemplateValues } from '../../common/providers';
import { createHttpClient, HttpClientConfigError, probe } from './http';
import type { HttpAnswer, HttpClient, HttpClientOptions, NetworkError, ProbeOutcome } from './http';

// Validation on save (PRODUCT S5, issue 4 point 4): what the runner can
// check of a provider entry without a token, from the catalogue's probes.
// Results come in three groups (host, OAuth, PAT) so the dialog shows them
// apart. Levels: an error is a check that failed (a host that cannot be
// reached over TLS at all, an answer that contradicts the entry); a warning
// is one to look at; an unconfirmed probe (catalogue `confirmed: false`) is
// never more than a warning. A save refuses only what is wrong in the form
// itself: it turns the network's errors into warnings the admin may save
// anyway (ProviderService, asSaveFindings). Never throws for network
// problems.

/** The entry as the runner stores it (ProviderView's fields that validation reads). */
export type ProviderValidationConfig = Pick<ProviderView, 'kind' | 'host' | 'organizations' | 'collections' | 'oauth' | 'pat'>;

export interface ValidateProviderOptions {
  /** CA bundle and proxy for outbound requests. */
  readonly http?: HttpClientOptions;
  /** The sealed-secret check the caller made (opens, matches its entry), reported first in the OAuth group. */
  readonly secretCheck?: ValidationCheck | null;
  /**
   * Tests only: origins of the real services moved onto simulators, e.g.
   * { 'https://dev.azure.com': 'https://127.0.0.1:4431' }. Applied to every
   * URL requested and to the values answers are compared with.
   */
  readonly endpoints?: Readonly<Record<string, string>>;
  /** Stops the checks: requests in flight are aborted, and no new one starts. */
  readonly signal?: AbortSignal;
  /** Called with each check as it is made (a job's progress). */
  readonly onCheck?: (group: keyof ProviderValidation, check: ValidationCheck) => void;
}

export type Check = ValidationCheck;

const ok = (code: string, message: string): Check => ({ level: 'ok', code, message: clipMessage(message) });
const warning = (code: string, message: string): Check => ({ level: 'warning', code, message: clipMessage(message) });
const failure = (code: string, message: string): Check => ({ level: 'error', code, message: clipMessage(message) });
/** An unmet expectation: an error when the catalogue confirms the probe, else only a warning. */
const unmet = (probe: Probe, code: string, message: string): Check =>
  probe.confirmed ? failure(code, message) : warning(code, `${message} ${unconfirmed(probe)}`);
/** What the admin can do about a warning from a probe the catalogue does not confirm (its doubts stay in the catalogue, for developers). */
const unconfirmed = (probe: Probe) => `If the ${probeSubject[probe.purpose]} right, you can save anyway.`;
const probeSubject: Record<Probe['purpose'], string> = {
  host: 'host is',
  'organization-tenant': 'organization’s name and tenant are',
  'tenant-openid-configuration': 'tenant ID is',
};

/** A field a host probe expects: a present, non-empty scalar. */
const scalar = z.union([z.string().min(1), z.number(), z.boolean()]);
const fieldsSchema = (fields: readonly string[]) => z.looseObject(Object.fromEntries(fields.map((field) => [field, scalar])));

/** An OpenID Connect discovery document (Entra, GitLab): the fields validation compares. */
const openIdConfigurationSchema = z.looseObject({
  issuer: z.string().min(1),
  authorization_endpoint: z.string().min(1),
  token_endpoint: z.string().min(1),
});
type OpenIdConfiguration = z.infer<typeof openIdConfigurationSchema>;

/** An OAuth error answer (Entra's invalid_tenant). */
const oauthErrorSchema = z.looseObject({ error: z.string().min(1), error_description: z.string().optional() });

class Context {
  readonly entry: CatalogueEntry;
  readonly result: ProviderValidation;
  /** Every answer received, by URL requested, for PAT checks that share a host probe's URL. */
  readonly answers = new Map<string, ProbeOutcome>();

  constructor(
    readonly config: ProviderValidationConfig,
    readonly client: HttpClient,
    private readonly endpoints: Readonly<Record<string, string>>,
    private readonly signal?: AbortSignal,
    onCheck?: ValidateProviderOptions['onCheck'],
  ) {
    this.entry = catalogueEntry(config.kind);
    this.result = { host: observed('host', onCheck), oauth: observed('oauth', onCheck), pat: observed('pat', onCheck) };
  }

  /** Moves a real service's URL onto its simulator (tests). */
  rewrite(url: string): string {
    for (const [from, to] of Object.entries(this.endpoints)) {
      const origin = from.replace(/\/+$/, '');
      if (url === origin || url.startsWith(`${origin}/`)) return `${to.replace(/\/+$/, '')}${url.slice(origin.length)}`;
    }
    return url;
  }

  expand(template: string, extra: Omit<TemplateValues, 'baseUrl' | 'apiBase'> = {}): string {
    return this.rewrite(this.expandAsEntered(template, extra));
  }

  /** The URL as the entry names it (before tests move it onto a simulator), for messages. */
  expandAsEntered(template: string, extra: Omit<TemplateValues, 'baseUrl' | 'apiBase'> = {}): string {
    return expandUrl(template, hostValues(this.config.kind, this.config.host, extra));
  }

  async request(method: 'GET' | 'HEAD', url: string): Promise<ProbeOutcome> {
    this.signal?.throwIfAborted();
    const outcome = await probe(this.client, { method, url, ...(this.signal ? { signal: this.signal } : {}) });
    this.signal?.throwIfAborted();
    this.answers.set(`${method} ${url}`, outcome);
    return outcome;
  }
}

/** A result list that reports each check as it is added. */
function observed(group: keyof ProviderValidation, onCheck: ValidateProviderOptions['onCheck']): ValidationCheck[] {
  const list: ValidationCheck[] = [];
  if (!onCheck) return list;
  const push = list.push.bind(list);
  list.push = (...checks: ValidationCheck[]) => {
    for (const check of checks) onCheck(group, check);
    return push(...checks);
  };
  return list;
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** Validates a provider entry against the network: never throws for network problems. */
export async function validateProvider(config: ProviderValidationConfig, options: ValidateProviderOptions = {}): Promise<ProviderValidation> {
  let client: HttpClient;
  try {
    client = createHttpClient(options.http);
  } catch (error) {
    const result: ProviderValidation = { host: [], oauth: [], pat: [] };
    if (!(error instanceof HttpClientConfigError)) throw error;
    result.host.push(failure(error.code, `${error.message} Nothing was checked.`));
    if (config.oauth.enabled && options.secretCheck) result.oauth.push(options.secretCheck);
    return result;
  }
  const context = new Context(config, client, options.endpoints ?? {}, options.signal, options.onCheck);
  try {
    if (config.host.startsWith('http://') && context.entry.host.http.allowed) {
      context.result.host.push(warning('http', context.entry.host.http.warning));
    }
    if (config.kind === 'azure-devops') await validateAzureDevOps(context);
    else await validateHostProbes(context);
    if (config.oauth.enabled) checkOAuthSecret(context, options.secretCheck ?? null);
    if (config.pat.enabled) checkPat(context);
  } catch (error) {
    // Cancelled: the caller reports that; partial results are not a validation.
    if (options.signal?.aborted) throw error;
    // A bug here must not lose the other results, nor block the admin silently.
    context.result.host.push(warning('validation-incomplete', `Validation stopped early (${error instanceof Error ? error.message : String(error)}); the results shown are partial.`));
  } finally {
    await client.close().catch(() => undefined);
  }
  // Plain arrays: the observed ones carry their own push, which must not travel (structuredClone refuses functions).
  const { host, oauth, pat } = context.result;
  return { host: [...host], oauth: [...oauth], pat: [...pat] };
}

// ---------------------------------------------------------------- host probes

async function validateHostProbes(context: Context): Promise<void> {
  const { config, entry } = context;
  const probes = entry.probes.filter((candidate) => candidate.purpose === 'host');
  const units = entry.units?.unit === 'collection' ? config.collections.map((collection) => collection.name) : [null];
  for (const hostProbe of probes) {
    const needsCollection = hostProbe.url.includes('{collection}');
    const targets = needsCollection ? units.filter((unit): unit is string => unit !== null) : [null];
    const outcomes = await Promise.all(
      targets.map(async (collection) => {
        const url = context.expand(hostProbe.url, collection === null ? {} : { collection });
        return { collection, url, outcome: await context.request(hostProbe.method, url) };
      }),
    );
    for (const { collection, url, outcome } of outcomes) {
      const check = judgeHostAnswer(context, hostProbe, url, outcome, collection);
      context.result.host.push(check);
      if (check.level === 'ok' && config.kind === 'gitlab' && outcome.ok) checkGitLabDocument(context, outcome);
    }
  }
}

function unreachable(context: Context, error: NetworkError, what: string): Check {
  return failure(`host-${error.kind}`, `${what} cannot be reached from this runner: ${error.message}`);
}

function judgeHostAnswer(context: Context, hostProbe: Probe, url: string, outcome: ProbeOutcome, collection: string | null): Check {
  const name = context.entry.displayName;
  const target = collection === null ? `${name} at ${context.config.host}` : `The collection ${collection} at ${context.config.host}`;
  if (!outcome.ok) return unreachable(context, outcome, `${name} at ${context.config.host}`);
  const request = `${hostProbe.method} ${new URL(url).pathname}`;
  const code = collection === null ? 'host-probe' : 'collection-probe';

  if (outcome.location !== null) {
    return unmet(hostProbe, `${code}-redirect`, `${request} on ${hostOf(url)} redirects to ${outcome.location}. Enter the address it redirects to as the host, if that is the ${name} server.`);
  }
  if (outcome.status >= 500) {
    return warning(`${code}-server-error`, `${target} answered ${request} with ${outcome.status}, a server error: the server is reachable but may be unwell. Try again later.`);
  }
  const expect = hostProbe.expect;
  if (expect.type === 'status') {
    if (expect.statuses.includes(outcome.status) && !outcome.html) {
      return ok(code, `${target} answered over ${url.startsWith('https:') ? 'TLS' : 'plain HTTP'} (${request}: ${outcome.status}).`);
    }
    if (outcome.status === 404) {
      const hint = collection === null ? `Check the host${context.entry.host.path === 'none' ? '' : ' and its path'}.` : `Check the collection’s name and the server’s virtual directory (for example /tfs).`;
      return unmet(hostProbe, `${code}-not-found`, `${target} answered ${request} with 404: it may not be ${name}, or not at this address. ${hint}`);
    }
    return unmet(hostProbe, `${code}-unexpected`, `${target} answered ${request} with ${outcome.status}${outcome.html ? ' and a web page' : ''}, not what ${name} answers (${expect.statuses.join(' or ')}). Check the host; a proxy’s sign-in page gives this too.`);
  }
  if (expect.type === 'json') {
    if (outcome.status === 401 || outcome.status === 403) {
      return unmet(hostProbe, `${code}-needs-sign-in`, `${target} refused ${request} without a token (${outcome.status}): it may be in private mode, or not ${name}.`);
    }
    if (outcome.status === 404) {
      return unmet(hostProbe, `${code}-not-found`, `${target} has no ${request} (404), which ${name} serves. Check the host${context.entry.host.path === 'none' ? '' : ' and its path'}.`);
    }
    if (outcome.html || outcome.json === undefined) {
      return unmet(hostProbe, `${code}-not-provider`, `${target} answered ${request} with ${outcome.html ? 'a web page' : 'something that is not JSON'}, not ${name}’s API: the host may be wrong, or a proxy’s sign-in page is in the way (check HTTPS_PROXY / NO_PROXY).`);
    }
    const parsed = fieldsSchema(expect.fields).safeParse(outcome.json);
    if (outcome.status < 200 || outcome.status >= 300 || !parsed.success) {
      return unmet(hostProbe, `${code}-not-provider`, `${target} answered ${request} (${outcome.status}) without ${expect.fields.join(', ')}: it does not look like ${name}. Check the host.`);
    }
    return ok(code, `${target} answered ${request} as ${name} does, over TLS.`);
  }
  // Header probes are the Azure DevOps tenant discovery, judged there.
  return ok(code, `${target} answered ${request} (${outcome.status}).`);
}

function checkGitLabDocument(context: Context, answer: HttpAnswer): void {
  const parsed = openIdConfigurationSchema.safeParse(answer.json);
  if (!parsed.success) return;
  const base = context.rewrite(context.config.host);
  if (parsed.data.issuer.replace(/\/+$/, '') !== base) {
    context.result.host.push(
      warning(
        'issuer-mismatch',
        `GitLab names itself ${parsed.data.issuer}, not ${context.config.host}: its external_url differs from the host entered. Enter the address GitLab uses for itself, or sign-ins may fail.`,
      ),
    );
  }
  if (context.config.oauth.enabled) compareOAuthEndpoints(context, parsed.data, 'GitLab’s OpenID configuration');
}

function compareOAuthEndpoints(context: Context, document: OpenIdConfiguration, source: string, tenant?: string): Check[] {
  const oauth = context.entry.oauth;
  if (!oauth.supported) return [];
  const extra = tenant === undefined ? {} : { tenant };
  const expected = { authorize: context.expand(oauth.authorize.url, extra), token: context.expand(oauth.token.url, extra) };
  const same = (a: string, b: string) => a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
  const checks: Check[] = [];
  if (!same(document.authorization_endpoint, expected.authorize)) {
    checks.push(
      (oauth.authorize.confirmed ? failure : warning)(
        'authorize-endpoint',
        `${source} names the authorization endpoint ${document.authorization_endpoint}, not ${expected.authorize} as Paddock expects. Check the host.`,
      ),
    );
  }
  if (!same(document.token_endpoint, expected.token)) {
    checks.push(
      (oauth.token.confirmed ? failure : warning)(
        'token-endpoint',
        `${source} names the token endpoint ${document.token_endpoint}, not ${expected.token} as Paddock expects. Check the host.`,
      ),
    );
  }
  if (tenant === undefined) context.result.oauth.push(...checks, ...(checks.length ? [] : [ok('oauth-endpoints', `${source} lists the authorization and token endpoints Paddock uses.`)]));
  return checks;
}

// --------------------------------------------------------------- Azure DevOps

async function validateAzureDevOps(context: Context): Promise<void> {
  const { config, entry } = context;
  const tenantProbe = entry.probes.find((candidate) => candidate.purpose === 'organization-tenant');
  const openIdProbe = entry.probes.find((candidate) => candidate.purpose === 'tenant-openid-configuration');

  const organizations = tenantProbe
    ? Promise.all(
        config.organizations.map(async (organization) => {
          const url = context.expand(tenantProbe.url, { organization: organization.name });
          return { organization, url, outcome: await context.request(tenantProbe.method, url) };
        }),
      )
    : Promise.resolve([]);

  const tenants = new Set<string>();
  if (config.oauth.enabled) {
    if (config.oauth.tenant) tenants.add(normalizeTenant(config.oauth.tenant));
    for (const organization of config.organizations) tenants.add(normalizeTenant(organization.tenant));
  }
  const openId = openIdProbe
    ? Promise.all(
        [...tenants].map(async (tenant) => {
          const url = context.expand(openIdProbe.url, { tenant });
          return { tenant, url, outcome: await context.request(openIdProbe.method, url) };
        }),
      )
    : Promise.resolve([]);

  const [organizationOutcomes, openIdOutcomes] = await Promise.all([organizations, openId]);

  // The host: reachable over TLS if any organisation's answer came back.
  const host = entry.host.default ?? config.host;
  const firstError = organizationOutcomes.find((item) => !item.outcome.ok)?.outcome as NetworkError | undefined;
  const anyAnswer = organizationOutcomes.some((item) => item.outcome.ok);
  if (organizationOutcomes.length > 0) {
    if (anyAnswer) context.result.host.push(ok('host-reachable', `${hostOf(host)} answered over TLS.`));
    else if (firstError) context.result.host.push(unreachable(context, firstError, hostOf(host)));
  }
  if (tenantProbe) {
    // When no organisation answered, the host check says why; per-organisation lines would only repeat it.
    for (const { organization, url, outcome } of anyAnswer ? organizationOutcomes : []) {
      context.result.host.push(judgeOrganization(tenantProbe, organization.name, normalizeTenant(organization.tenant), url, outcome));
    }
  }

  if (openIdProbe) {
    for (const { tenant, url, outcome } of openIdOutcomes) context.result.oauth.push(...judgeOpenIdConfiguration(context, openIdProbe, tenant, url, outcome));
  }
}

function normalizeTenant(tenant: string): string {
  return isGuid(tenant) ? tenant.toLowerCase() : tenant;
}

function judgeOrganization(tenantProbe: Probe, name: string, entered: string, url: string, outcome: ProbeOutcome): Check {
  const where = url.replace(/^https?:\/\//, '');
  if (!outcome.ok) {
    return warning('organization-tenant-unreachable', `The tenant of the organization ${name} could not be discovered: ${outcome.message} The tenant entered (${entered}) is used as is.`);
  }
  const discovery = tenantFromOrganizationHead((header) => outcome.header(header));
  if (!discovery.found) {
    if (outcome.status === 404) {
      return warning(
        'organization-not-found',
        `${where} answered 404 and named no tenant: the organization ${name} may not exist. Check its name, as in https://dev.azure.com/${name}. ${unconfirmedStatus}`,
      );
    }
    const page = outcome.html ? ' with a web page, as a proxy’s sign-in page does,' : '';
    return warning(
      'organization-tenant-unknown',
      `${where} answered ${outcome.status}${page} without naming the organization’s tenant, so the tenant entered (${entered}) could not be compared. ${unconfirmed(tenantProbe)}`,
    );
  }
  const found = discovery.tenant;
  if (found === entered) {
    const msa = discovery.via === 'msa' ? ' (an organization backed by Microsoft accounts)' : '';
    return ok('organization-tenant', `The organization ${name} belongs to the tenant ${found}${msa}, as entered.`);
  }
  if (isGuid(found) && (entered === 'organizations' || entered === 'common')) {
    return warning(
      'organization-tenant-generic',
      `The organization ${name} belongs to the tenant ${found}; “${entered}” was entered. Sign-in works with any work account, but enter ${found} so users sign in to the organization’s tenant.`,
    );
  }
  if (discovery.via === 'msa') {
    return failure(
      'organization-tenant-mismatch',
      `The organization ${name} is backed by Microsoft accounts (no Entra tenant; use “organizations”), but the tenant entered is ${entered}. Enter “organizations”.`,
    );
  }
  return failure(
    'organization-tenant-mismatch',
    `The organization ${name} belongs to the tenant ${found} (found from ${where}), but the tenant entered is ${entered}. Enter ${found}, or check the organization’s name.`,
  );
}

const unconfirmedStatus = 'If the name is right, you can save anyway.';

function judgeOpenIdConfiguration(context: Context, openIdProbe: Probe, tenant: string, url: string, outcome: ProbeOutcome): Check[] {
  const where = hostOf(url);
  if (!outcome.ok) {
    return [failure(`entra-${outcome.kind}`, `Microsoft Entra ID (${where}) cannot be reached from this runner, and users sign in through it: ${outcome.message}`)];
  }
  if (outcome.status !== 200) {
    const parsedError = oauthErrorSchema.safeParse(outcome.json);
    const detail = parsedError.success ? ` (${parsedError.data.error}${parsedError.data.error_description ? `: ${parsedError.data.error_description}` : ''})` : '';
    if (outcome.status >= 500) {
      return [warning('tenant-openid-server-error', `Microsoft Entra ID answered ${outcome.status} for the tenant ${tenant}’s OpenID configuration${detail}. Try again later.`)];
    }
    if (outcome.status === 400 || outcome.status === 404) {
      return [
        unmet(
          openIdProbe,
          'tenant-not-found',
          `Microsoft Entra ID does not know the tenant ${tenant}${detail}. Check the tenant ID: it is the Directory (tenant) ID of the app registration, or of the organization (Organization settings → Microsoft Entra).`,
        ),
      ];
    }
    return [unmet(openIdProbe, 'tenant-openid-unexpected', `Microsoft Entra ID answered ${outcome.status} for the tenant ${tenant}’s OpenID configuration${detail}.`)];
  }
  const parsed = openIdConfigurationSchema.safeParse(outcome.json);
  if (!parsed.success) {
    const what = outcome.html ? 'a web page, as a proxy’s sign-in page does (check HTTPS_PROXY and NO_PROXY)' : 'a document without issuer and endpoints';
    return [unmet(openIdProbe, 'tenant-openid-invalid', `${where} answered the tenant ${tenant}’s OpenID configuration with ${what}, not Microsoft Entra ID’s.`)];
  }
  const issuerTenant = isGuid(tenant) ? tenant : '{tenantid}';
  const authority = expandUrl(openIdProbe.url, { tenant: 'TENANT' }).split('/TENANT/')[0] ?? '';
  const expectedIssuer = `${context.rewrite(authority)}/${issuerTenant}/v2.0`;
  const checks: Check[] = [];
  if (parsed.data.issuer.replace(/\/+$/, '').toLowerCase() !== expectedIssuer.toLowerCase()) {
    checks.push(
      unmet(
        openIdProbe,
        'tenant-issuer-mismatch',
        `The OpenID configuration of the tenant ${tenant} names the issuer ${parsed.data.issuer}, not ${expectedIssuer}: it belongs to another tenant. Check the tenant ID.`,
      ),
    );
  }
  checks.push(...compareOAuthEndpoints(context, parsed.data, `The OpenID configuration of the tenant ${tenant}`, tenant));
  if (checks.length === 0) {
    checks.push(ok('tenant-openid-configuration', `Microsoft Entra ID knows the tenant ${tenant}: its OpenID configuration lists the issuer and the endpoints Paddock uses.`));
  }
  return checks;
}

// ---------------------------------------------------------------------- OAuth

function checkOAuthSecret(context: Context, secretCheck: Check | null): void {
  if (secretCheck) context.result.oauth.unshift(secretCheck);
  const missing = missingClientSecret(context.entry, context.config.oauth.secretSet);
  if (missing) context.result.oauth.push(missing);
}

/**
 * OAuth without a Client Secret where the provider needs one for every
 * callback Paddock can use: an error where the catalogue confirms it for at
 * least one of them, else a warning; null when none is missing. The save
 * applies it too (provider-service.ts), so a check that cannot run cannot
 * let such an entry through.
 */
export function missingClientSecret(entry: CatalogueEntry, secretSet: boolean): Check | null {
  if (!entry.oauth.supported || secretSet) return null;
  const callbacks = entry.oauth.callbacks;
  if (callbacks.length === 0 || callbacks.some((callback) => callback.secret !== 'required')) return null;
  const confirmed = callbacks.some((callback) => callback.confirmed);
  const message = `${entry.displayName} needs the Client Secret for every callback Paddock can use: enter it, or users cannot finish signing in.`;
  return confirmed ? failure('client-secret-required', message) : warning('client-secret-required', message);
}

// ------------------------------------------------------------------------ PAT

function checkPat(context: Context): void {
  const { entry, config } = context;
  const check = entry.tokenCheck.pat;
  const unit = entry.pat.page.needs === 'organization' ? { organization: config.organizations[0]?.name } : { collection: config.collections[0]?.name };
  let url: string;
  let shown: string;
  const values = Object.fromEntries(Object.entries(unit).filter(([, value]) => value !== undefined));
  try {
    url = context.expand(check.url, values);
    shown = context.expandAsEntered(check.url, values);
  } catch {
    url = shown = check.url;
  }
  // Where a host probe already asked the same URL, its answer tells whether the endpoint exists.
  const answered = context.answers.get(`${check.method} ${url}`);
  const endpoint = `${check.method} ${shown.replace(/^https?:\/\//, '')}`;
  if (answered?.ok && answered.status !== 404 && answered.status < 500) {
    context.result.pat.push(ok('pat-token-check', `Users’ tokens will be checked with ${endpoint}, which answers (${answered.status} without a token).`));
    return;
  }
  if (answered && (!answered.ok || answered.status === 404)) {
    const message = `Users’ tokens are checked with ${endpoint}, which did not answer as expected (see the host checks).`;
    context.result.pat.push(check.confirmed ? failure('pat-token-check', message) : warning('pat-token-check', `${message} If the host is right, you can save anyway.`));
    return;
  }
  // Without a token nothing more can be learnt about it: say which endpoint it is (how sure the catalogue is stays there, for developers).
  context.result.pat.push(ok('pat-token-check', `When users add a token, the runner checks it with ${endpoint}.`));
}
