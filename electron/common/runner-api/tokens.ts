import { z } from 'zod';

/**
 * A user's token for a host, as the runner reports it: never the token
 * itself. Tokens are kept per workstation (client), per host and, for Azure
 * DevOps Services, per organization (`organization` null elsewhere).
 */
/** An Azure DevOps Services organization's name, as in https://dev.azure.com/{organization}. */
const organizationNameSchema = z.string().min(1).max(256).regex(/^[^\s/\\?#%@:]+$/, 'must be an organization name');

export const tokenMethodSchema = z.enum(['oauth', 'pat']);
export type TokenMethod = z.infer<typeof tokenMethodSchema>;

/**
 * connected: usable; expiring: usable, ends within EXPIRING_WITHIN_MS;
 * reconnect-needed: a provider refused it or its refresh failed (or it has
 * expired): the user connects again.
 */
export const tokenStateSchema = z.enum(['connected', 'expiring', 'reconnect-needed']);
export type TokenState = z.infer<typeof tokenStateSchema>;
export const EXPIRING_WITHIN_MS = 7 * 24 * 3600 * 1000;

/**
 * A token's id on its runner: stable for one workstation, host, organization,
 * method and account (a user may keep several accounts per host, PRODUCT A2).
 */
export const tokenIdSchema = z.string().regex(/^t_[0-9a-f]{16}$/, 'must be a token id');

export const tokenViewSchema = z
  .object({
    id: tokenIdSchema,
    host: z.string().min(1).max(2048),
    organization: organizationNameSchema.nullable(),
    method: tokenMethodSchema,
    /** The provider's name for the account the token belongs to. */
    account: z.string().max(200).nullable(),
    obtainedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    /**
     * The runner renews the token before it ends (OAuth with a refresh
     * token): `expiresAt` is then the current access's, not the end of the
     * connection. Absent from runners older than this field: read as false.
     */
    renews: z.boolean().optional(),
    scopes: z.array(z.string().max(200)).max(50),
    state: tokenStateSchema,
    /**
     * The token used for this host (and organization) when nothing else is
     * chosen: exactly one per host and organization, the newest unless the
     * user picked another.
     */
    inUse: z.boolean(),
  })
  .strict();
export type TokenView = z.infer<typeof tokenViewSchema>;

/** Which tokens: a host, optionally one organization, one method, or one token by its id. */
export const tokenSelectorSchema = z
  .object({
    host: z.string().min(1).max(2048),
    organization: organizationNameSchema.nullable().optional(),
    method: tokenMethodSchema.optional(),
    id: tokenIdSchema.optional(),
  })
  .strict();
export type TokenSelector = z.infer<typeof tokenSelectorSchema>;

/** The state a stored token is in now. */
export function tokenStateAt(token: { expiresAt: string | null; rejected: boolean }, now: Date): TokenState {
  if (token.rejected) return 'reconnect-needed';
  if (token.expiresAt === null) return 'connected';
  const left = new Date(token.expiresAt).getTime() - now.getTime();
  if (left <= 0) return 'reconnect-needed';
  return left <= EXPIRING_WITHIN_MS ? 'expiring' : 'connected';
}

/**
 * A pasted personal access token (PRODUCT A3), sealed to the runner's key
 * and bound to `{runnerId, host, organization, purpose: 'pat'}` (common/pat.ts).
 */
export const connectPatRequestSchema = z
  .object({
    /** The entry's host, as the runner reports it (ProviderView.host). */
    host: z.string().min(1).max(2048),
    /** Azure DevOps Services: the organization the token is for (required there); null elsewhere. */
    organization: organizationNameSchema.nullable(),
    sealed: z.string().min(60).max(12_000).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
  })
  .strict();
export type ConnectPatRequest = z.infer<typeof connectPatRequestSchema>;

/** Makes one of a workstation's tokens the one used for its host and organization. */
export const useTokenRequestSchema = z.object({ id: tokenIdSchema }).strict();
export type UseTokenRequest = z.infer<typeof useTokenRequestSchema>;
