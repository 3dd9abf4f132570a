// Fixed strings the catalogue and its helpers share.

/** What the Host field says of an http:// self-hosted server (accepted, never for a provider's public service). */
export const plainHttpWarning = 'Over http:// personal access tokens and code cross the network unencrypted. Use https:// if the server offers it.';

/** The custom-scheme redirect URI the app registers with the OS (SCM-PROTOCOLS decisions). */
export const customSchemeCallback = 'paddock://oauth/callback';

/** The path every Paddock callback uses, on loopback and on a remote runner. */
export const callbackPath = '/oauth/callback';

/**
 * The loopback port for providers that match the redirect URI exactly,
 * port included (Bitbucket: one callback URL per consumer). Paddock's own
 * choice; the listener opens on it only during an authorization attempt.
 */
export const fixedLoopbackPort = 38271;

/** Microsoft Entra ID's authority host (SCM-PROTOCOLS §1.3). */
export const entraAuthority = 'https://login.microsoftonline.com';

/** The Azure DevOps resource (application) id in Entra ID (§1.3). */
export const azureDevOpsResourceId = '499b84ac-1321-427f-aa17-267ca6975798';

/** The tenant used when none is configured or discovered (SCM-PROTOCOLS decisions). */
export const defaultEntraTenant = 'organizations';

/** PRODUCT A3: the validity suggested for a new personal access token. */
export const suggestedPatDays = 30;
