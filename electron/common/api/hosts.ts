import { z } from 'zod';
import { providerKindSchema } from '../provider-kind';
import { tokenIdSchema, tokenMethodSchema, tokenStateSchema } from '../runner-api/tokens';

/**
 * The hosts model: for every host some runner has repository access to,
 * which runner, which ways to connect, and — for this workstation's user,
 * per Azure DevOps organization — whether a token exists and in what state.
 * It is what Connect, Reconnect, the tray's per-host login and environment
 * creation read.
 */
export const connectionStateSchema = z.enum(['connected', 'expiring', 'reconnect-needed', 'none']);
export type ConnectionState = z.infer<typeof connectionStateSchema>;

/** One of the user's accounts for a host (and organization): several may be kept (PRODUCT A2, issue 9 point 7). */
export const hostAccountSchema = z
  .object({
    tokenId: tokenIdSchema,
    account: z.string().max(200).nullable(),
    source: tokenMethodSchema,
    state: tokenStateSchema,
    expiresAt: z.iso.datetime().nullable(),
    /** Renewed by the runner before it ends: `expiresAt` is the current access's, not the connection's end. */
    renews: z.boolean(),
    /** The account used for this host and organization unless an environment chooses another. */
    inUse: z.boolean(),
  })
  .strict();
export type HostAccount = z.infer<typeof hostAccountSchema>;

/** The connection for one host (and organization): the state, source, account and expiry of the account in use. */
export const hostConnectionSchema = z
  .object({
    /** The Azure DevOps Services organization; null for every other kind. */
    organization: z.string().max(256).nullable(),
    state: connectionStateSchema,
    /** How the token was obtained; null when there is none. */
    source: tokenMethodSchema.nullable(),
    account: z.string().max(200).nullable(),
    expiresAt: z.iso.datetime().nullable(),
    /** The account in use; null when there is none. */
    tokenId: tokenIdSchema.nullable(),
    /** Every account the user keeps for it, the one in use first. */
    accounts: z.array(hostAccountSchema).max(20),
  })
  .strict();
export type HostConnection = z.infer<typeof hostConnectionSchema>;

export const hostAccessSchema = z
  .object({
    host: z.string().max(2048),
    kind: providerKindSchema,
    runnerId: z.string().min(1).max(200),
    runnerName: z.string().max(200),
    methods: z.object({ oauth: z.boolean(), pat: z.boolean() }).strict(),
    /** Set up by the admin policy. */
    managed: z.boolean(),
    connections: z.array(hostConnectionSchema).max(500),
  })
  .strict();
export type HostAccess = z.infer<typeof hostAccessSchema>;
