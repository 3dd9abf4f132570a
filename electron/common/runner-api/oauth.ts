import { z } from 'zod';

/**
 * OAuth attempts (PRODUCT A1, issue 9): the runner builds the authorize URL
 * (a random, single-use state with a 5-minute life; PKCE S256 wherever the
 * provider supports it; the verifier never leaves the runner) and keeps the
 * attempt as an `oauth-connect` job. The app opens the URL in the system
 * browser, receives the provider's redirect (paddock://oauth/callback or a
 * loopback listener open only during the attempt) and hands code and state
 * to the runner with `POST /v1/oauth/callback`. The runner checks the state,
 * exchanges the code, checks the token and keeps it for the workstation; the
 * job ends with the token's view.
 */

/** How long an attempt waits for its callback. */
export const OAUTH_ATTEMPT_LIFETIME_MS = 5 * 60 * 1000;

/** A runner's state: 32 random bytes, base64url (43 characters). */
export const oauthStateSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be an OAuth state');

export const oauthCallbackKindSchema = z.enum(['custom-scheme', 'loopback', 'runner-https']);
export type OAuthCallbackKind = z.infer<typeof oauthCallbackKindSchema>;

/**
 * The redirect URI of one attempt, as the app chose it: the custom scheme,
 * a loopback address with the port of the listener the app opened for this
 * attempt, or a remote runner's own https callback. The runner checks it is
 * one its entry's provider accepts (common/providers callbackOptions).
 */
export const redirectUriSchema = z
  .string()
  .min(1)
  .max(300)
  .regex(/^(paddock:\/\/oauth\/callback|http:\/\/(127\.0\.0\.1|localhost)(:\d{1,5})?\/oauth\/callback|https:\/\/[^\s/?#]+\/oauth\/callback)$/, 'must be a Paddock callback URL');

/** Starts an attempt (a member of jobStartSchema). */
export const oauthConnectStartSchema = z
  .object({
    kind: z.literal('oauth-connect'),
    host: z.string().min(1).max(2048),
    /** Azure DevOps Services: the organization whose tenant signs the user in (required there); null elsewhere. */
    organization: z.string().min(1).max(256).regex(/^[^\s/\\?#%@:]+$/, 'must be an organization name').nullable(),
    redirectUri: redirectUriSchema,
  })
  .strict();
export type OAuthConnectStart = z.infer<typeof oauthConnectStartSchema>;

/**
 * The attempt's progress: first `authorize` (the URL to open and when the
 * attempt expires), then `exchanging` once a callback with its state
 * arrived, then `checking` while the token's identity and scopes are read.
 */
export const oauthConnectProgressSchema = z.discriminatedUnion('step', [
  z
    .object({
      kind: z.literal('oauth-connect'),
      step: z.literal('authorize'),
      authorizeUrl: z.url({ protocol: /^https?$/ }).max(8192),
      expiresAt: z.iso.datetime(),
    })
    .strict(),
  z.object({ kind: z.literal('oauth-connect'), step: z.literal('exchanging') }).strict(),
  z.object({ kind: z.literal('oauth-connect'), step: z.literal('checking') }).strict(),
]);

/**
 * The provider's redirect, as the app received it. Exactly one of `code`
 * and `error`. The state says which attempt it is for: one that is unknown,
 * used, expired or another workstation's is ignored (`matched: false`) and
 * never ends an attempt.
 */
export const oauthCallbackRequestSchema = z
  .object({
    state: z.string().min(1).max(512),
    code: z.string().min(1).max(4096).nullable(),
    error: z.string().min(1).max(200).nullable(),
    errorDescription: z.string().max(2000).nullable(),
  })
  .strict()
  .refine((body) => (body.code === null) !== (body.error === null), 'must carry either a code or an error');
export type OAuthCallbackRequest = z.infer<typeof oauthCallbackRequestSchema>;

export const oauthCallbackResponseSchema = z
  .object({
    /** Whether the state named a running attempt of this workstation (it then ends with the job's outcome). */
    matched: z.boolean(),
    /** The attempt's job, when matched. */
    jobId: z.string().max(100).nullable(),
  })
  .strict();
export type OAuthCallbackResponse = z.infer<typeof oauthCallbackResponseSchema>;
