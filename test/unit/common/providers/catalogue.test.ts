import { describe, expect, it } from 'vitest';
import { providerKinds } from '../../../../electron/common/provider-kind';
import {
  catalogueEntry,
  catalogueEntrySchema,
  entraEndpoints,
  expandUrl,
  hostValues,
  oauthEndpoints,
  oauthScopeParameter,
  oauthScopes,
  providerCatalogue,
  templateVariables,
} from '../../../../electron/common/providers';
import type { CatalogueEntry } from '../../../../electron/common/providers';

const entries = providerKinds.map((kind) => [kind, providerCatalogue[kind]] as const);

/** Every object in an entry that carries provenance, with where it sits. */
function facts(value: unknown, path = ''): { path: string; fact: { source: string; confirmed: boolean; note?: string } & Record<string, unknown> }[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => facts(item, `${path}[${index}]`));
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  const own = typeof record.confirmed === 'boolean' ? [{ path, fact: record as never }] : [];
  return [...own, ...Object.entries(record).flatMap(([key, child]) => facts(child, path ? `${path}.${key}` : key))];
}

/** Every string in an entry that is a URL template. */
function templates(entry: CatalogueEntry): string[] {
  const found: string[] = [];
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string' && /^(url|whereUrl|defaultHost|otherHost)$/.test(key)) {
      found.push(value);
    } else if (Array.isArray(value)) value.forEach((item) => walk(item, key));
    else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk({ ...entry, docs: [] }, '');
  return found;
}

/** Documents outside SCM-PROTOCOLS.md that a confirmed fact may cite (listed in docs/providers.md). */
const externalPrimarySources = [
  'GitLab docs, “GitLab as OpenID Connect identity provider”',
  'Microsoft identity platform docs, “OpenID Connect on the Microsoft identity platform”',
  'Entra OpenID Connect docs',
];

describe('provider catalogue', () => {
  it('has one entry per provider kind, under its own kind', () => {
    expect(Object.keys(providerCatalogue).sort()).toEqual([...providerKinds].sort());
    for (const [kind, entry] of entries) {
      expect(entry.kind).toBe(kind);
      expect(catalogueEntry(kind)).toBe(entry);
    }
  });

  it.each(entries)('%s passes its schema unchanged', (_, entry) => {
    const parsed = catalogueEntrySchema.safeParse(entry);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toEqual(entry);
  });

  it('shows the display names the UI uses, exactly', () => {
    expect(Object.fromEntries(entries.map(([kind, entry]) => [kind, entry.displayName]))).toEqual({
      github: 'GitHub',
      gitlab: 'GitLab',
      'bitbucket-cloud': 'Bitbucket Cloud',
      'bitbucket-dc': 'Bitbucket Data Center',
      'azure-devops': 'Azure DevOps',
      'azure-devops-server': 'Azure DevOps Server',
    });
  });

  it('gives a default host where a public service exists, and lets only self-hostable kinds change it', () => {
    expect(Object.fromEntries(entries.map(([kind, entry]) => [kind, [entry.host.default, entry.host.changeable]]))).toEqual({
      github: ['https://github.com', true],
      gitlab: ['https://gitlab.com', true],
      'bitbucket-cloud': ['https://bitbucket.org', false],
      'bitbucket-dc': [null, true],
      'azure-devops': ['https://dev.azure.com', false],
      'azure-devops-server': [null, true],
    });
  });

  it('allows http for the kinds that have self-hosted servers (never a fixed public host), with a warning', () => {
    for (const [kind, entry] of entries) {
      expect(entry.host.http.allowed, kind).toBe(entry.host.changeable);
      if (entry.host.http.allowed) expect(entry.host.http.warning, kind).toMatch(/unencrypted/);
    }
  });

  it('models Azure DevOps organisations with tenants, and Azure DevOps Server collections', () => {
    expect(providerCatalogue['azure-devops'].units).toMatchObject({ unit: 'organization', label: 'Organization', tenant: true, tokensPerUnit: true });
    expect(providerCatalogue['azure-devops-server'].units).toMatchObject({ unit: 'collection', label: 'Collection', tenant: false });
    for (const kind of ['github', 'gitlab', 'bitbucket-cloud', 'bitbucket-dc'] as const) expect(providerCatalogue[kind].units).toBeNull();
  });

  it('offers OAuth for every kind but Azure DevOps Server, which is PAT only', () => {
    for (const [kind, entry] of entries) expect(entry.oauth.supported, kind).toBe(kind !== 'azure-devops-server');
    const server = providerCatalogue['azure-devops-server'].oauth;
    expect(!server.supported && server.reason).toMatch(/only for Azure DevOps Services/);
    expect(providerCatalogue['azure-devops-server'].tokenCheck.oauth).toBeNull();
  });

  it('requests the Entra scopes of the decisions for Azure DevOps, and the spec’s scopes elsewhere', () => {
    expect(oauthScopeParameter('azure-devops')).toBe('499b84ac-1321-427f-aa17-267ca6975798/vso.code_write offline_access openid profile');
    expect(oauthScopeParameter('github')).toBe('repo workflow');
    expect(oauthScopeParameter('gitlab')).toBe('write_repository read_user');
    expect(oauthScopeParameter('bitbucket-cloud')).toBe('repository:write account');
    expect(oauthScopeParameter('bitbucket-dc')).toBe('REPO_WRITE REPO_READ PUBLIC_REPOS');
    expect(oauthScopes('azure-devops-server')).toEqual([]);
    for (const [, entry] of entries) {
      for (const scope of oauthScopes(entry.kind)) expect(scope.reason.length, scope.scope).toBeGreaterThan(5);
    }
  });

  it('puts Azure DevOps OAuth on the tenant’s Entra endpoints', () => {
    const endpoints = oauthEndpoints('azure-devops', { baseUrl: 'https://dev.azure.com', tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47' });
    expect(endpoints).toEqual({
      ok: true,
      authorize: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/authorize',
      token: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token',
    });
    const defaults = entraEndpoints();
    expect(oauthEndpoints('azure-devops', { baseUrl: 'https://dev.azure.com' })).toEqual({ ok: true, authorize: defaults.authorize, token: defaults.token });
    expect(defaults.openidConfiguration).toBe('https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration');
    const probe = providerCatalogue['azure-devops'].probes.find((p) => p.purpose === 'tenant-openid-configuration');
    expect(probe && expandUrl(probe.url, { tenant: 'organizations' })).toBe(defaults.openidConfiguration);
    expect(entraEndpoints('common', 'https://127.0.0.1:4443/').token).toBe('https://127.0.0.1:4443/common/oauth2/v2.0/token');
  });

  it('puts self-hosted OAuth endpoints on the host, and GitHub Enterprise Server’s API under /api/v3', () => {
    expect(oauthEndpoints('github', { baseUrl: 'https://ghe.example.com' })).toEqual({
      ok: true,
      authorize: 'https://ghe.example.com/login/oauth/authorize',
      token: 'https://ghe.example.com/login/oauth/access_token',
    });
    expect(oauthEndpoints('gitlab', { baseUrl: 'https://git.example.com/gitlab' })).toMatchObject({ token: 'https://git.example.com/gitlab/oauth/token' });
    expect(oauthEndpoints('bitbucket-dc', { baseUrl: 'https://bb.example.com' })).toMatchObject({
      authorize: 'https://bb.example.com/rest/oauth2/latest/authorize',
    });
    expect(oauthEndpoints('azure-devops-server', { baseUrl: 'https://tfs.example.com/tfs' }).ok).toBe(false);
    expect(hostValues('github', 'https://github.com').apiBase).toBe('https://api.github.com');
    expect(hostValues('github', 'https://ghe.example.com').apiBase).toBe('https://ghe.example.com/api/v3');
  });

  it('names a probe for host validation for every kind, and for Azure DevOps the organisation and tenant probes', () => {
    for (const [kind, entry] of entries) expect(entry.probes.length, kind).toBeGreaterThan(0);
    expect(providerCatalogue['azure-devops'].probes.map((p) => [p.purpose, p.method, p.url])).toEqual([
      ['organization-tenant', 'HEAD', 'https://dev.azure.com/{organization}'],
      ['tenant-openid-configuration', 'GET', 'https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration'],
    ]);
  });

  it('expands every URL template of every entry into a valid URL', () => {
    const sample = { tenant: 'organizations', organization: 'contoso', collection: 'DefaultCollection' };
    for (const [kind, entry] of entries) {
      const baseUrl = entry.host.default ?? (kind === 'azure-devops-server' ? 'https://tfs.example.com/tfs' : 'https://git.example.com');
      const values = hostValues(kind, baseUrl, sample);
      for (const template of templates(entry)) {
        if (template.includes('{apiBase}') && values.apiBase === undefined) throw new Error(`${kind}: ${template} needs an API base`);
        const url = expandUrl(template, values);
        expect(() => new URL(url), `${kind}: ${template}`).not.toThrow();
        expect(url, `${kind}: ${template}`).not.toMatch(/[{}]/);
      }
    }
  });

  it('uses only known placeholders', () => {
    expect(templateVariables).toEqual(['baseUrl', 'apiBase', 'tenant', 'organization', 'collection']);
    expect(() => expandUrl('{baseUrl}/x/{organization}', { baseUrl: 'https://h' })).toThrow(/needs \{organization\}/);
    expect(expandUrl('https://dev.azure.com/{organization}', { organization: 'My Org' })).toBe('https://dev.azure.com/My%20Org');
  });

  it('links only https docs', () => {
    for (const [, entry] of entries) for (const link of entry.docs) expect(link.url).toMatch(/^https:\/\/[a-z.]+\//);
  });
});

describe('provenance: no entry claims an unconfirmed fact as confirmed', () => {
  const all = entries.flatMap(([kind, entry]) => facts(entry).map((found) => ({ kind, ...found })));

  it('finds the facts', () => {
    expect(all.length).toBeGreaterThan(80);
  });

  it('cites a spec section, the decisions, or a listed vendor document for every confirmed fact', () => {
    for (const { kind, path, fact } of all.filter((f) => f.fact.confirmed)) {
      const cited = /§[0-6](\.\d+)?\b/.test(fact.source) || fact.source.includes('decisions') || externalPrimarySources.some((s) => fact.source.startsWith(s));
      expect(cited, `${kind} ${path}: ${fact.source}`).toBe(true);
    }
  });

  it('cites only sections that exist in SCM-PROTOCOLS.md', () => {
    for (const { kind, path, fact } of all) {
      for (const [section] of fact.source.matchAll(/§[0-9.]+\d/g)) {
        expect(['§0.3', '§1.1', '§1.2', '§1.3', '§1.4', '§1.5', '§1.6', '§2.1', '§2.2', '§2.3', '§3.1', '§3.2', '§3.3', '§4.1', '§4.2', '§4.3', '§4.4', '§6'], `${kind} ${path}`).toContain(section);
      }
    }
  });

  it('gives every unconfirmed fact a note, and marks every fact written as a guess unconfirmed', () => {
    for (const { kind, path, fact } of all) {
      if (!fact.confirmed) expect(fact.note, `${kind} ${path}`).toBeTruthy();
      // A confirmed fact may say which neighbouring detail is unknown, but never carries the spec's guess markers.
      if (fact.confirmed) expect(JSON.stringify(fact), `${kind} ${path}`).not.toMatch(/\[GUESS\]|\[UNVERIFIED\]/);
    }
  });

  it('keeps the spec’s “could not confirm” list (§6) unconfirmed or out', () => {
    const ado = providerCatalogue['azure-devops'];
    // ADO "invalid scope" when the third-party OAuth policy is off.
    expect(ado.policyHints.find((h) => h.id === 'azure-devops-invalid-scope-policy')?.confirmed).toBe(false);
    // Any ADO PAT pre-fill URL.
    expect(ado.pat.prefill).toBeNull();
    expect(providerCatalogue['azure-devops-server'].pat.prefill).toBeNull();
    // Bitbucket Cloud PKCE / custom-scheme callbacks.
    const bbc = providerCatalogue['bitbucket-cloud'].oauth;
    expect(bbc.supported && bbc.pkce.support).toBe('tolerated');
    expect(bbc.supported && bbc.callbacks.find((c) => c.kind === 'custom-scheme')?.confirmed).toBe(false);
    // GitHub classic PAT pre-fill parameters (only de-facto).
    expect(providerCatalogue.github.pat.prefill?.confirmed).toBe(false);
    // connectionData as the PAT "who am I" call.
    expect(ado.tokenCheck.pat.confirmed).toBe(false);
    expect(providerCatalogue['azure-devops-server'].tokenCheck.pat.confirmed).toBe(false);
    // Token lifetimes are not catalogued at all.
    expect(JSON.stringify(providerCatalogue)).not.toMatch(/lifetime of \d|expires after \d+ (minutes|hours)/i);
  });

  it('keeps other guesses of the spec unconfirmed', () => {
    // GHES classic PAT page on the instance host [GUESS]; BBC read:user:bitbucket [third-party].
    expect(providerCatalogue.github.pat.page.confirmed).toBe(false);
    expect(providerCatalogue['bitbucket-cloud'].pat.scopes.find((s) => s.scope === 'read:user:bitbucket')?.confirmed).toBe(false);
    // ADO Server connectionData under a collection [GUESS].
    expect(providerCatalogue['azure-devops-server'].probes.every((p) => !p.confirmed)).toBe(true);
    // GitLab loopback port matching is not in the spec.
    const gitlab = providerCatalogue.gitlab.oauth;
    expect(gitlab.supported && gitlab.callbacks.find((c) => c.kind === 'loopback')?.confirmed).toBe(false);
    // Bitbucket Data Center redirect rules are not in the spec.
    const bbdc = providerCatalogue['bitbucket-dc'].oauth;
    expect(bbdc.supported && bbdc.callbacks.every((c) => !c.confirmed)).toBe(true);
  });

  it('rejects an unconfirmed fact without a note, and an unknown placeholder', () => {
    const github = providerCatalogue.github;
    const withoutNote = { ...github, pat: { ...github.pat, page: { url: '{baseUrl}/x', needs: 'host', source: '§2.2', confirmed: false } } };
    expect(catalogueEntrySchema.safeParse(withoutNote).success).toBe(false);
    const badPlaceholder = { ...github, pat: { ...github.pat, page: { ...github.pat.page, url: '{baseUrl}/{user}' } } };
    expect(catalogueEntrySchema.safeParse(badPlaceholder).success).toBe(false);
  });
});

describe('deadlines (issue 12 point 5: dates are data)', () => {
  it('keeps the retired token kinds’ dates as data, with the rest of the sentence as text', () => {
    expect(catalogueEntry('bitbucket-cloud').pat.notes).toContainEqual(
      expect.objectContaining({ deadline: { what: 'App passwords', date: '2026-06-09' }, text: 'Use API tokens with scopes.' }),
    );
    expect(catalogueEntry('azure-devops').pat.notes).toContainEqual(expect.objectContaining({ deadline: { what: 'Global tokens', date: '2026-12-01' } }));
  });

  it('refuses a deadline that is not an ISO date', () => {
    const entry = structuredClone(catalogueEntry('bitbucket-cloud'));
    entry.pat.notes[0] = { text: 'Use API tokens.', deadline: { what: 'App passwords', date: '9 June 2026' }, source: '§4.2', confirmed: true };
    expect(catalogueEntrySchema.safeParse(entry).success).toBe(false);
  });
});
