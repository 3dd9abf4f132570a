import { z } from 'zod';
import { defaultEntraTenant, entraAuthority } from './constants';

// Azure DevOps Services serves many organisations on one host, each in its
// own Microsoft Entra tenant; Azure DevOps Server serves collections under
// its virtual directory. These are the values the provider dialog and the
// runner keep per organisation or collection, and the pure half of tenant
// discovery (SCM-PROTOCOLS §1.3 "Which tenant").

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const emptyGuid = '00000000-0000-0000-0000-000000000000';

export function isGuid(value: string): boolean {
  return guidPattern.test(value);
}

/**
 * An Entra tenant for Azure DevOps: a tenant id (GUID), or "organizations"
 * (any work or school account; the default) or "common". "consumers" is
 * refused: Entra apps do not support Microsoft accounts for Azure DevOps (§1.3).
 */
export const entraTenantSchema = z
  .string()
  .trim()
  .min(1, 'Enter the tenant: its ID (a GUID), or “organizations”.')
  .overwrite((value) => (isGuid(value) ? value.toLowerCase() : value))
  .superRefine((value, ctx) => {
    if (value === 'consumers') {
      ctx.addIssue({ code: 'custom', message: 'Personal Microsoft accounts cannot use Azure DevOps through Entra ID: use “organizations” or the tenant ID.' });
    } else if (value === emptyGuid) {
      ctx.addIssue({ code: 'custom', message: 'The empty GUID marks an organization backed by Microsoft accounts: use “organizations”.' });
    } else if (!isGuid(value) && value !== 'organizations' && value !== 'common') {
      ctx.addIssue({ code: 'custom', message: 'Enter the tenant ID (a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47), or “organizations”.' });
    }
  });
export type EntraTenant = z.output<typeof entraTenantSchema>;

/** One path segment of dev.azure.com/{organization}: no slashes, spaces or URL syntax. */
export const azureDevOpsOrganizationNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter the organization’s name, as in https://dev.azure.com/{organization}.')
  .max(256)
  .refine((name) => !/[\s/\\?#%@:]/.test(name) && name !== '.' && name !== '..', 'Enter only the organization’s name, without slashes or spaces.');

/** How the organisation's tenant was set: found by tenant discovery, typed by the admin, or the default. */
export const tenantOriginSchema = z.enum(['discovered', 'entered', 'default']);
export type TenantOrigin = z.infer<typeof tenantOriginSchema>;

export const azureDevOpsOrganizationSchema = z
  .object({
    name: azureDevOpsOrganizationNameSchema,
    tenant: entraTenantSchema,
    tenantOrigin: tenantOriginSchema,
  })
  .strict();
export type AzureDevOpsOrganization = z.output<typeof azureDevOpsOrganizationSchema>;

/** The organisations of one Azure DevOps provider entry; names are unique, ignoring case. */
export const azureDevOpsOrganizationsSchema = z.array(azureDevOpsOrganizationSchema).superRefine((organizations, ctx) => {
  const seen = new Set<string>();
  organizations.forEach((organization, index) => {
    const key = organization.name.toLowerCase();
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `The organization ${organization.name} is listed twice.` });
    seen.add(key);
  });
});

/** An Azure DevOps Server collection under the server's base URL (DefaultCollection, …). */
export const azureDevOpsServerCollectionSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'Enter the collection’s name, for example DefaultCollection.')
      .max(256)
      .refine((name) => !/[/\\?#%@:]/.test(name) && !name.startsWith('_'), 'Enter only the collection’s name, without slashes.'),
  })
  .strict();
export type AzureDevOpsServerCollection = z.output<typeof azureDevOpsServerCollectionSchema>;

export type TenantDiscovery =
  /** From `WWW-Authenticate: Bearer authorization_uri=…`, or the first non-empty GUID in X-VSS-ResourceTenant. */
  | { found: true; tenant: string; via: 'www-authenticate' | 'x-vss-resourcetenant' }
  /** A single empty GUID: an organisation backed by Microsoft accounts, which uses "organizations" (GCM). */
  | { found: true; tenant: 'organizations'; via: 'msa' }
  | { found: false; reason: string };

/** Response headers by name (case-insensitive), as fetch's Headers.get gives them: repeated headers joined with ", ". */
export type HeaderLookup = (name: string) => string | null;

/**
 * Reads the organisation's tenant from the answer to an unauthenticated
 * `HEAD https://dev.azure.com/{org}`, as GCM's GetAuthorityAsync does: the
 * status is ignored; a Bearer challenge's authorization_uri wins, then
 * X-VSS-ResourceTenant.
 */
export function tenantFromOrganizationHead(header: HeaderLookup): TenantDiscovery {
  const challenge = header('www-authenticate');
  if (challenge) {
    const match = /(?:^|[\s,])Bearer\s+(?:[^,]*,)*?\s*authorization_uri="?([^",\s]+)"?/i.exec(challenge);
    const tenant = match?.[1] ? tenantOfAuthority(match[1]) : null;
    if (tenant) return { found: true, tenant, via: 'www-authenticate' };
  }
  const resourceTenant = header('x-vss-resourcetenant');
  if (resourceTenant) {
    const ids = resourceTenant.split(',').map((id) => id.trim()).filter((id) => id !== '');
    const tenant = ids.find((id) => isGuid(id) && id !== emptyGuid);
    if (tenant) return { found: true, tenant: tenant.toLowerCase(), via: 'x-vss-resourcetenant' };
    if (ids.length === 1 && ids[0] === emptyGuid) return { found: true, tenant: 'organizations', via: 'msa' };
  }
  return { found: false, reason: 'Azure DevOps did not name the organization’s tenant.' };
}

/** The tenant in an authority URL such as https://login.microsoftonline.com/{tenant}[/…]. */
function tenantOfAuthority(authority: string): string | null {
  const match = /^https:\/\/[^/]+\/([^/?#]+)/i.exec(authority);
  const tenant = match?.[1];
  if (!tenant) return null;
  if (isGuid(tenant)) return tenant === emptyGuid ? null : tenant.toLowerCase();
  return tenant === 'organizations' || tenant === 'common' ? tenant : null;
}

export interface EntraEndpoints {
  readonly authorize: string;
  readonly token: string;
  readonly openidConfiguration: string;
}

/**
 * The Entra endpoints of a tenant. `authority` is Entra's host by default;
 * tests point it at the Entra simulator.
 */
export function entraEndpoints(tenant: string = defaultEntraTenant, authority: string = entraAuthority): EntraEndpoints {
  const base = `${authority.replace(/\/+$/, '')}/${encodeURIComponent(tenant)}`;
  return {
    authorize: `${base}/oauth2/v2.0/authorize`,
    token: `${base}/oauth2/v2.0/token`,
    openidConfiguration: `${base}/v2.0/.well-known/openid-configuration`,
  };
}
