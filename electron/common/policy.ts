import { z } from 'zod';
import { tryParseUrl } from './context-url/text';
import { base64ToBytes } from './encoding';
import type { ProviderKind } from './provider-kind';
import { providerKindSchema } from './provider-kind';
import { azureDevOpsOrganizationNameSchema, azureDevOpsServerCollectionSchema, entraTenantSchema } from './providers/azure-devops';
import type { AzureDevOpsOrganization, AzureDevOpsServerCollection } from './providers/azure-devops';
import { callbackOptions } from './providers/callback';
import { providerCatalogue } from './providers/catalogue';
import { normalizeHost } from './providers/host';
import type { ManagedProvider } from './provider-config';
import { publicKeyFromBase64, sealBox } from './sealed-box';

/**
 * The admin policy file (PRODUCT S7, docs/policy.md), version 1: runners and
 * providers an admin pre-provisions on every workstation. Each entry is
 * validated on its own, so that one bad entry is reported and skipped while
 * the rest applies: the loader (electron/core/policy/load.ts) parses the
 * envelope with policyFileSchema, then every runner with policyRunnerSchema
 * and every provider with parsePolicyProvider, which also applies the rules
 * that depend on the provider's runner.
 *
 * Nothing here may echo a value from the file in a message: a provider entry
 * can carry a plaintext client secret (local runner, RFC 8252 §8.5).
 */

export const policyVersion = 1;

/** How a provider entry names the workstation's own runner. */
export const localRunnerRef = 'local';

/** The envelope of the file; entries stay unknown here and are validated one by one. */
export const policyFileSchema = z
  .object({
    version: z.literal(policyVersion, 'The policy must say "version": 1 (the only version this Paddock reads).'),
    runners: z.array(z.unknown(), '“runners” must be a list of runner entries.').max(100, 'At most 100 runners.').optional(),
    providers: z.array(z.unknown(), '“providers” must be a list of provider entries.').max(500, 'At most 500 providers.').optional(),
    network: z.unknown().optional(),
  })
  .strict();

/**
 * Corporate networks (D4) for the workstation's local runner: extra CA
 * certificates for self-hosted providers (the app cannot read
 * NODE_EXTRA_CA_CERTS: its NodeOptions fuse is off) and an HTTPS proxy.
 */
export const policyNetworkSchema = z
  .object({
    caFile: z.string('caFile must be the path of a PEM file.').trim().min(1).max(4096).optional(),
    proxy: z
      .string('“proxy” must be an http:// or https:// URL.')
      .trim()
      .regex(/^https?:\/\/[^\s]+$/, '“proxy” must be an http:// or https:// URL, such as http://proxy.example.com:3128.')
      .optional(),
    noProxy: z.string('noProxy must be a list like "localhost,.corp.example.com".').trim().max(4096).optional(),
  })
  .strict();
export type PolicyNetwork = z.output<typeof policyNetworkSchema>;

// --- runners ---------------------------------------------------------------

/** An admin-chosen id: lower-case letters, digits and dashes; "local" is the workstation's own runner. */
export const policyRunnerIdSchema = z
  .string('Give the runner an id: lower-case letters, digits and dashes, such as "build-eu".')
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'The runner id may use only lower-case letters, digits and dashes (at most 64), such as "build-eu".')
  .refine((id) => id !== localRunnerRef, '"local" names the workstation’s own runner; give the remote runner another id.');

/** The remote runner's address: https, a host and optional port, nothing else. Normalised to its origin. */
export const remoteRunnerUrlSchema = z
  .string('Give the runner’s https:// URL, such as https://runner.example.com:8443.')
  .trim()
  .transform((text, ctx) => {
    const url = tryParseUrl(text);
    if (!url || url.protocol !== 'https:' || url.hostname === '') {
      ctx.addIssue({ code: 'custom', message: 'The runner’s URL must start with https://, such as https://runner.example.com:8443.' });
      return z.NEVER;
    }
    if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#') || url.pathname !== '/') {
      ctx.addIssue({ code: 'custom', message: 'Give only the runner’s https://host[:port], without a path, user name, query or fragment.' });
      return z.NEVER;
    }
    return `https://${url.port === '' ? url.hostname : `${url.hostname}:${url.port}`}`;
  });

/** The SHA-256 of the runner's TLS public key, as `serve` and `status` print it. */
export const spkiPinSchema = z
  .string('Give the runner’s TLS fingerprint, sha256/<base64>, as the runner printed it.')
  .trim()
  .refine((pin) => {
    const match = /^sha256\/([A-Za-z0-9+/]{43}=)$/.exec(pin);
    if (!match?.[1]) return false;
    try {
      return base64ToBytes(match[1]).length === 32;
    } catch {
      return false;
    }
  }, 'The fingerprint must be sha256/ followed by the base64 of 32 bytes (44 characters), as the runner’s status prints it.');

/** An X25519 public key in base64 that can be sealed to (32 bytes, not of small order). */
export const runnerPublicKeySchema = z
  .string('Give the runner’s public key (base64), as its status prints it.')
  .trim()
  .refine((key) => {
    try {
      sealBox(new Uint8Array(0), publicKeyFromBase64(key));
      return true;
    } catch {
      return false;
    }
  }, 'The public key must be the runner’s X25519 key: base64 of 32 bytes, as “paddock-runner status” prints it.');

/** The runner's own id (its runner.json), which sealed client secrets are bound to. */
export const runnerUidSchema = z
  .string('Give the runner’s own id (r_…), as “paddock-runner status” prints it.')
  .trim()
  .regex(/^r_[A-Za-z0-9-]{8,64}$/, 'The runner’s own id looks like r_ followed by a UUID, as “paddock-runner status” prints it (“Runner r_…”).');

export const policyRunnerSchema = z
  .object({
    id: policyRunnerIdSchema,
    name: z.string('Give the runner a name.').trim().min(1, 'Give the runner a name.').max(80, 'Keep the name under 80 characters.'),
    url: remoteRunnerUrlSchema,
    spki: spkiPinSchema,
    publicKey: runnerPublicKeySchema,
    runnerUid: runnerUidSchema,
  })
  .strict();
/** A remote runner the policy provisions; each workstation still registers with its own token. */
export type PolicyRunner = z.output<typeof policyRunnerSchema>;

// --- providers -------------------------------------------------------------

const organizationSchema = z
  .object({
    name: azureDevOpsOrganizationNameSchema,
    /** The organisation's Entra tenant; "organizations" when not given. */
    tenant: entraTenantSchema.optional(),
  })
  .strict();

const collectionSchema = z.union(
  [z.string().transform((name) => ({ name })).pipe(azureDevOpsServerCollectionSchema), azureDevOpsServerCollectionSchema],
  'A collection is its name, such as "DefaultCollection".',
);

const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;

/** The raw shape of a provider entry; the rules that span fields and runners are in parsePolicyProvider. */
export const policyProviderSchema = z
  .object({
    runner: z.string('Name the runner: "local" or the id of a runner in runners.').trim().min(1, 'Name the runner: "local" or the id of a runner in runners.'),
    kind: providerKindSchema,
    host: z.string('Give the host, such as https://dev.azure.com.').trim().min(1, 'Give the host, such as https://dev.azure.com.').max(2048),
    organizations: z.array(organizationSchema).max(200).optional(),
    collections: z.array(collectionSchema).max(200).optional(),
    oauth: z
      .object({
        clientId: z.string('Give the Client ID of the OAuth app.').trim().min(1, 'Give the Client ID of the OAuth app.').max(400),
        tenant: entraTenantSchema.optional(),
        publicClient: z.literal(true, 'publicClient can only be true; leave it out otherwise.').optional(),
        sealedClientSecret: z
          .string('sealedClientSecret must be the base64 that “paddock seal” printed.')
          .trim()
          .min(60, 'sealedClientSecret is too short to be a sealed envelope: seal the JSON envelope described in docs/policy.md.')
          .max(12_000, 'sealedClientSecret is too long.')
          .regex(base64Pattern, 'sealedClientSecret must be the base64 that “paddock seal” printed.')
          .optional(),
        clientSecret: z.string('clientSecret must be text.').min(1, 'clientSecret is empty.').max(4096, 'clientSecret is too long.').optional(),
      })
      .strict()
      .optional(),
    pat: z.object({ enabled: z.boolean('pat.enabled must be true or false.') }).strict().optional(),
  })
  .strict();
export type PolicyProviderRaw = z.input<typeof policyProviderSchema>;

/** How a managed OAuth app authenticates at the token endpoint. */
export type PolicyClientSecret =
  /** A public client: PKCE, no secret. */
  | { readonly type: 'none' }
  /** Sealed with `paddock seal` to the remote runner's key; the plaintext is a PolicySecretEnvelope. */
  | { readonly type: 'sealed'; readonly sealed: string }
  /** Local runner only: a secret that is not confidential (RFC 8252 §8.5); the runner seals it into its own store at first import. */
  | { readonly type: 'plain'; readonly secret: string };

/** A provider entry as the policy provisions it, host normalised. */
export interface PolicyProvider {
  /** "local", or the id of a runner in the policy's runners. */
  readonly runner: string;
  readonly kind: ProviderKind;
  /** The normalised base URL (normalizeHost): the entry's key on its runner. */
  readonly host: string;
  /** Host warnings (http for Azure DevOps Server): shown, not a reason to skip. */
  readonly hostWarnings: readonly string[];
  readonly organizations: readonly AzureDevOpsOrganization[];
  readonly collections: readonly AzureDevOpsServerCollection[];
  /** null: OAuth not enabled. */
  readonly oauth: {
    readonly clientId: string;
    /** The Entra tenant of the app registration (Azure DevOps only); null when not given. */
    readonly tenant: string | null;
    readonly clientSecret: PolicyClientSecret;
  } | null;
  readonly pat: { readonly enabled: boolean };
}

/** A policy entry as a runner takes it (`PUT /v1/policy`, or `serve --policy`): the managed provider's fields only. */
export function managedProviderOf(provider: PolicyProvider): ManagedProvider {
  return {
    kind: provider.kind,
    host: provider.host,
    organizations: [...provider.organizations],
    collections: [...provider.collections],
    oauth: provider.oauth ? { clientId: provider.oauth.clientId, tenant: provider.oauth.tenant, clientSecret: provider.oauth.clientSecret } : null,
    pat: { enabled: provider.pat.enabled },
  };
}

/** What a runner is, as far as the rules for its providers go. */
export type PolicyRunnerContext = { readonly kind: 'local' } | { readonly kind: 'remote'; readonly url: string };

/** A problem inside one entry: path relative to the entry, and a sentence an admin can act on. */
export interface PolicyIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export type ParsedPolicyProvider = { readonly ok: true; readonly provider: PolicyProvider } | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

function callbackFor(kind: ProviderKind, runner: PolicyRunnerContext) {
  return callbackOptions(kind, runner.kind === 'local' ? { kind: 'local', url: null } : { kind: 'remote', url: runner.url })[0] ?? null;
}

/**
 * Whether the provider accepts a public client (PKCE, no secret) with the
 * callback this runner uses: Entra on the local runner, GitLab on any.
 */
export function publicClientAllowed(kind: ProviderKind, runner: PolicyRunnerContext): boolean {
  const oauth = providerCatalogue[kind].oauth;
  if (!oauth.supported || oauth.pkce.support !== 'supported') return false;
  const callback = callbackFor(kind, runner);
  return callback !== null && callback.secret !== 'required';
}

/**
 * Whether a plaintext client secret may stand in a policy for the local
 * runner: only where the provider needs a secret even for a desktop app
 * (GitHub, Bitbucket), which RFC 8252 §8.5 says is then not confidential.
 * Where a public client is possible, the policy must use it instead.
 */
export function plainClientSecretAllowed(kind: ProviderKind): boolean {
  const oauth = providerCatalogue[kind].oauth;
  if (!oauth.supported) return false;
  return callbackFor(kind, { kind: 'local' })?.secret === 'required';
}

function decodesTo48Bytes(text: string): boolean {
  try {
    return base64ToBytes(text).length >= 48;
  } catch {
    return false;
  }
}

/** Whether the callback the remote runner uses takes a client secret at all. */
function sealedClientSecretAllowed(kind: ProviderKind, runner: PolicyRunnerContext): boolean {
  return runner.kind === 'remote' && providerCatalogue[kind].oauth.supported && callbackFor(kind, runner)?.secret !== 'not-used';
}

/**
 * Validates one provider entry for a runner that the caller has found
 * (local, or a valid remote runner of the policy): the shape, the host
 * through the catalogue, organisations or collections, the OAuth app and
 * how its secret is given, and that at least one method is enabled.
 */
export function parsePolicyProvider(raw: unknown, runner: PolicyRunnerContext): ParsedPolicyProvider {
  const shape = policyProviderSchema.safeParse(raw);
  if (!shape.success) {
    return { ok: false, issues: shape.error.issues.map((issue) => ({ path: issue.path.filter((key) => typeof key !== 'symbol'), message: issue.message })) };
  }
  const input = shape.data;
  const entry = providerCatalogue[input.kind];
  const issues: PolicyIssue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path, message });

  const normalized = normalizeHost(input.kind, input.host);
  if (!normalized.ok) add(['host'], normalized.error.message);

  const organizations: AzureDevOpsOrganization[] = [];
  if (input.kind === 'azure-devops') {
    const seen = new Set<string>();
    (input.organizations ?? []).forEach((organization, index) => {
      const key = organization.name.toLowerCase();
      if (seen.has(key)) add(['organizations', index, 'name'], `The organization ${organization.name} is listed twice.`);
      seen.add(key);
      organizations.push(
        organization.tenant === undefined
          ? { name: organization.name, tenant: 'organizations', tenantOrigin: 'default' }
          : { name: organization.name, tenant: organization.tenant, tenantOrigin: 'entered' },
      );
    });
    if (organizations.length === 0) add(['organizations'], 'List the organizations this entry serves, each as { "name": "…", "tenant": "…" }.');
  } else if (input.organizations !== undefined) {
    add(['organizations'], `Only Azure DevOps has organizations; remove them from this ${entry.displayName} entry.`);
  }

  const collections: AzureDevOpsServerCollection[] = [];
  if (input.kind === 'azure-devops-server') {
    const seen = new Set<string>();
    (input.collections ?? []).forEach((collection, index) => {
      const key = collection.name.toLowerCase();
      if (seen.has(key)) add(['collections', index], `The collection ${collection.name} is listed twice.`);
      seen.add(key);
      collections.push(collection);
    });
    if (collections.length === 0) add(['collections'], 'List the collections this server serves, such as ["DefaultCollection"].');
  } else if (input.collections !== undefined) {
    add(['collections'], `Only Azure DevOps Server has collections; remove them from this ${entry.displayName} entry.`);
  }

  let oauth: PolicyProvider['oauth'] = null;
  if (input.oauth) {
    const given = input.oauth;
    if (!entry.oauth.supported) {
      add(['oauth'], `${entry.displayName} supports personal access tokens only: remove oauth and enable pat.`);
    } else {
      if (given.tenant !== undefined && input.kind !== 'azure-devops') {
        add(['oauth', 'tenant'], `Only Azure DevOps (Entra ID) has a tenant; remove it from this ${entry.displayName} entry.`);
      }
      const ways = (['publicClient', 'sealedClientSecret', 'clientSecret'] as const).filter((key) => given[key] !== undefined);
      let clientSecret: PolicyClientSecret | null = null;
      if (ways.length !== 1) {
        add(['oauth'], 'Give exactly one of publicClient: true (PKCE, no secret), sealedClientSecret (remote runners) or clientSecret (local runner, only where docs/policy.md allows it).');
      } else if (given.publicClient) {
        if (publicClientAllowed(input.kind, runner)) clientSecret = { type: 'none' };
        else {
          add(
            ['oauth', 'publicClient'],
            `${entry.displayName} needs a client secret with the callback ${runner.kind === 'local' ? 'the local runner' : 'this remote runner'} uses, so it cannot be a public client here: give ${runner.kind === 'local' ? 'clientSecret' : 'sealedClientSecret'} instead.`,
          );
        }
      } else if (given.sealedClientSecret !== undefined) {
        if (runner.kind === 'local') {
          add(
            ['oauth', 'sealedClientSecret'],
            'A sealed secret cannot be used with the local runner: each workstation makes its own key. Use publicClient: true, or clientSecret where docs/policy.md allows it.',
          );
        } else if (!sealedClientSecretAllowed(input.kind, runner)) {
          add(['oauth', 'sealedClientSecret'], `${entry.displayName} takes no client secret with this runner’s callback: use publicClient: true.`);
        } else {
          if (decodesTo48Bytes(given.sealedClientSecret)) clientSecret = { type: 'sealed', sealed: given.sealedClientSecret };
          else add(['oauth', 'sealedClientSecret'], 'sealedClientSecret is not valid base64 (RFC 4648, with padding): paste exactly what “paddock seal” printed.');
        }
      } else if (given.clientSecret !== undefined) {
        if (runner.kind === 'remote') {
          add(
            ['oauth', 'clientSecret'],
            'A remote runner’s client secret must not stand in plain text in the policy: seal it to the runner’s public key with “paddock seal” and give it as sealedClientSecret.',
          );
        } else if (!plainClientSecretAllowed(input.kind)) {
          add(
            ['oauth', 'clientSecret'],
            `${entry.displayName} accepts a public client on the local runner: register one (PKCE, no secret) and give publicClient: true instead of a client secret.`,
          );
        } else {
          clientSecret = { type: 'plain', secret: given.clientSecret };
        }
      }
      if (clientSecret) {
        oauth = { clientId: given.clientId, tenant: input.kind === 'azure-devops' ? (given.tenant ?? null) : null, clientSecret };
      }
    }
  }

  const pat = { enabled: input.pat?.enabled ?? false };
  if (!input.oauth && !pat.enabled) add([], 'Enable OAuth (an oauth section), a Personal Access Token ("pat": { "enabled": true }), or both: users need at least one way to connect.');

  if (issues.length > 0 || !normalized.ok) return { ok: false, issues };
  return {
    ok: true,
    provider: {
      runner: input.runner,
      kind: input.kind,
      host: normalized.baseUrl,
      hostWarnings: normalized.warnings.map((warning) => warning.message),
      organizations,
      collections,
      oauth,
      pat,
    },
  };
}

/**
 * The plaintext an admin seals for a remote runner's entry: the secret and
 * the entry it belongs to (provider-config's SealedSecretEnvelope). The
 * runner opens it and refuses it unless every bound field is this entry's.
 */
export interface PolicySecretEnvelope {
  /** The runner's own id (runnerUid), not the policy id. */
  readonly runnerId: string;
  readonly kind: ProviderKind;
  /** The normalised host, as PolicyProvider.host. */
  readonly host: string;
  readonly clientId: string;
  readonly tenant: string | null;
  readonly secret: string;
}

/** The fields a sealed secret must be bound to, for the runner to check (everything but the secret). */
export function policySecretBinding(provider: PolicyProvider, runner: PolicyRunner): Omit<PolicySecretEnvelope, 'secret'> | null {
  if (!provider.oauth) return null;
  return { runnerId: runner.runnerUid, kind: provider.kind, host: provider.host, clientId: provider.oauth.clientId, tenant: provider.oauth.tenant };
}

/** A JSON path as admins read it: providers[2].oauth.clientId. */
export function jsonPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return text === '' ? key : `${text}.${key}`;
    return `${text}[${JSON.stringify(key)}]`;
  }, '');
}
