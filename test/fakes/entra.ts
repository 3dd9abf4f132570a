import { startSimulator, segmentsOf } from './simulator';
import type { Simulator } from './simulator';

// Microsoft Entra ID simulator (login.microsoftonline.com), for Azure DevOps
// Services: the tenant's OpenID configuration document at
// /{tenant}/v2.0/.well-known/openid-configuration (Microsoft identity
// platform docs, v2-protocols-oidc.md) with the authorization and token
// endpoints of SCM-PROTOCOLS §1.3 for that tenant. Its host is this
// simulator's origin, so the endpoints point back here.
//
// Not from the spec: the issuer of the "organizations" and "common"
// documents carries the literal placeholder {tenantid} (as Entra's
// multi-tenant documents do), and an unknown tenant gets 400 with
// error "invalid_tenant" (a simulator choice; validation should treat any
// answer other than a well-formed document as "tenant not found").

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface EntraSimulatorOptions {
  /** Tenant ids (GUIDs) that exist; "organizations" and "common" always do. */
  readonly tenants: readonly string[];
  /** Answer for these tenants with a document whose issuer names another tenant (a wrong answer validation must catch). */
  readonly wrongIssuerFor?: readonly string[];
}

export interface EntraSimulator extends Simulator {
  addTenant(tenant: string): void;
  removeTenant(tenant: string): void;
  /** The document this simulator serves for a tenant (what a test expects to read). */
  openidConfiguration(tenant: string): { issuer: string; authorization_endpoint: string; token_endpoint: string; jwks_uri: string };
}

export async function startEntraSimulator(options: EntraSimulatorOptions): Promise<EntraSimulator> {
  const tenants = new Set(options.tenants.map((tenant) => tenant.toLowerCase()));
  const wrongIssuer = new Set((options.wrongIssuerFor ?? []).map((tenant) => tenant.toLowerCase()));
  let origin = '';

  const documentFor = (tenant: string) => {
    const issuerTenant = tenant === 'organizations' || tenant === 'common' ? '{tenantid}' : tenant;
    const base = `${origin}/${tenant}`;
    return {
      issuer: wrongIssuer.has(tenant) ? `${origin}/00000000-0000-0000-0000-00000000beef/v2.0` : `${origin}/${issuerTenant}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
    };
  };

  const simulator = await startSimulator([
    ({ method, url }) => {
      const segments = segmentsOf(url);
      if (method !== 'GET' || !segments || segments.length !== 4) return null;
      const [rawTenant, version, wellKnown, document] = segments as [string, string, string, string];
      if (version !== 'v2.0' || wellKnown !== '.well-known' || document !== 'openid-configuration') return null;
      const tenant = guidPattern.test(rawTenant) ? rawTenant.toLowerCase() : rawTenant;
      if (tenant !== 'organizations' && tenant !== 'common' && !tenants.has(tenant)) {
        return {
          status: 400,
          json: { error: 'invalid_tenant', error_description: `Tenant '${rawTenant}' not found. (simulator)` },
        };
      }
      return { status: 200, json: documentFor(tenant) };
    },
  ]);
  origin = simulator.origin;

  return {
    ...simulator,
    addTenant(tenant) {
      tenants.add(tenant.toLowerCase());
    },
    removeTenant(tenant) {
      tenants.delete(tenant.toLowerCase());
    },
    openidConfiguration: (tenant) => documentFor(guidPattern.test(tenant) ? tenant.toLowerCase() : tenant),
  };
}
