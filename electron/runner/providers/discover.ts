import { tenantFromOrganizationHead } from '../../common/providers';
import { createHttpClient, probe, type HttpClientOptions } from './http';

/** Moves a real service's origin onto a simulator (tests and development builds only). */
export function mapEndpoint(url: string, endpoints: Readonly<Record<string, string>>): string {
  const parsed = new URL(url);
  const target = endpoints[parsed.origin];
  return target ? `${target}${parsed.pathname}${parsed.search}` : url;
}

/**
 * Asks Azure DevOps which Entra tenant an organization belongs to:
 * `HEAD https://dev.azure.com/{organization}`, read as GCM does.
 */
export async function discoverTenant(
  organization: string,
  options: { http?: HttpClientOptions; endpoints?: Readonly<Record<string, string>> } = {},
): Promise<{ tenant: string | null; message: string }> {
  const client = createHttpClient(options.http);
  try {
    const url = `https://dev.azure.com/${encodeURIComponent(organization)}`;
    const outcome = await probe(client, { method: 'HEAD', url: mapEndpoint(url, options.endpoints ?? {}) });
    if (!outcome.ok) return { tenant: null, message: `${outcome.message} Enter the tenant ID, or “organizations”.` };
    const found = tenantFromOrganizationHead((name) => outcome.header(name));
    if (!found.found) return { tenant: null, message: `${found.reason} Enter the tenant ID, or “organizations”.` };
    return {
      tenant: found.tenant,
      message:
        found.via === 'msa'
          ? `${organization} is backed by Microsoft accounts; it uses the “organizations” tenant.`
          : `Found from Azure DevOps: ${organization} belongs to tenant ${found.tenant}.`,
    };
  } finally {
    await client.close().catch(() => undefined);
  }
}
