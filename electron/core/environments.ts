import { parseContextUrl } from '../common/context-url/parse';
import type { ConfiguredHost } from '../common/context-url/hosts';
import type { ContextUrl } from '../common/context-url/schema';
import type { EnvironmentMatch, HostAccess } from '../common/api';
import { catalogueEntry } from '../common/providers';

// The intake's first step (PRODUCT E2, issue 10 point 2): a repository URL
// read by the one context-URL parser, matched against the hosts model — the
// runners whose repository access covers its host (and Azure DevOps
// organization), each with this user's connection there. Pure: the core
// passes the hosts model and the remembered choices.

/** The key a runner choice is remembered under: the host, and the organization for Azure DevOps. */
export const choiceKey = (host: string, organization: string | null) => (organization ? `${host} ${organization.toLowerCase()}` : host);

/** Whether a clone URL is under an entry's host (its path prefix included: a GitLab relative root, an Azure DevOps Server virtual directory). */
const under = (cloneUrl: string, host: string) => cloneUrl.toLowerCase().startsWith(`${host.replace(/\/+$/, '').toLowerCase()}/`);

export function matchEnvironment(url: string, hosts: readonly HostAccess[], remembered: Readonly<Record<string, string>>): EnvironmentMatch {
  const configured: ConfiguredHost[] = hosts.map((access) => ({ kind: access.kind, baseUrl: access.host }) as ConfiguredHost);
  const parsed = parseContextUrl(url.trim(), configured);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const context: ContextUrl = parsed;
  const provider = catalogueEntry(context.provider).displayName;
  const organization = context.provider === 'azure-devops' ? context.owner : null;
  const sameHost = hosts.filter((access) => access.kind === context.provider && under(context.cloneUrl, access.host));
  const candidates = sameHost.flatMap((access) => {
    const connection = access.connections.find((c) => (organization === null ? c.organization === null : c.organization?.toLowerCase() === organization.toLowerCase()));
    if (!connection) return [];
    return [{ runnerId: access.runnerId, runnerName: access.runnerName, host: access.host, organization: connection.organization, connection: connection.state, methods: access.methods }];
  });
  let missing: string | null = null;
  if (candidates.length === 0) {
    missing =
      sameHost.length > 0 && organization
        ? `No runner has repository access to the Azure DevOps organization ${organization}. An admin adds it in Runners → the runner → Repository access → Azure DevOps → Organizations.`
        : `No runner has repository access to ${provider} at ${context.host}. An admin adds it in Runners → the runner → Repository access.`;
  }
  const chosen = candidates.length > 0 ? (remembered[choiceKey(candidates[0]!.host, organization)] ?? null) : null;
  return {
    ok: true,
    context,
    candidates,
    remembered: chosen !== null && candidates.some((c) => c.runnerId === chosen) ? chosen : null,
    missing,
  };
}
