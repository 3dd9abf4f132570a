import { z } from 'zod';
import { errorDataSchema } from '../errors';
import { providerValidationSchema, validationCheckSchema } from '../provider-config';
import { environmentCloneProgressSchema, environmentViewSchema } from './environments';
import { oauthConnectProgressSchema, oauthConnectStartSchema } from './oauth';
import { tokenIdSchema, tokenViewSchema } from './tokens';

/**
 * Jobs: long operations on a runner (a clone, an OAuth attempt waiting for
 * its callback, a token check). `POST /v1/jobs` starts one and answers at
 * once with its id; `GET /v1/jobs/{id}/events` streams its events as NDJSON
 * (the current state first, then progress, then its end); `DELETE
 * /v1/jobs/{id}` cancels it. Each kind adds one member to the three unions
 * below: what starts it, what its progress says, what it ends with.
 */
export const jobIdSchema = z.string().regex(/^j_[A-Za-z0-9_-]{16,40}$/, 'must be a job id');

export const jobStartSchema = z.discriminatedUnion('kind', [
  /** Checks a saved repository-access entry against the network again (S5), one check at a time. */
  z.object({ kind: z.literal('provider-check'), host: z.string().min(1).max(2048) }).strict(),
  /** An OAuth attempt (A1): waits for its callback, exchanges the code and keeps the token (runner-api/oauth.ts). */
  oauthConnectStartSchema,
  /**
   * Checks one of this workstation's tokens against the provider (A4): an
   * OAuth token close to its expiry or refused with 401 is refreshed first;
   * a refused refresh or a refused PAT leaves it reconnect-needed.
   */
  z.object({ kind: z.literal('token-check'), id: tokenIdSchema }).strict(),
]);
export type JobStart = z.infer<typeof jobStartSchema>;
export type JobKind = JobStart['kind'];

export const jobProgressSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('provider-check'), group: z.enum(['host', 'oauth', 'pat']), check: validationCheckSchema }).strict(),
  oauthConnectProgressSchema,
  /** A clone's phase and figures (started with the environment: `POST /v1/environments`, not here). */
  environmentCloneProgressSchema,
]);
export type JobProgress = z.infer<typeof jobProgressSchema>;

export const jobResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('provider-check'), validation: providerValidationSchema }).strict(),
  z.object({ kind: z.literal('oauth-connect'), token: tokenViewSchema }).strict(),
  z.object({ kind: z.literal('token-check'), token: tokenViewSchema, refreshed: z.boolean() }).strict(),
  z.object({ kind: z.literal('environment-clone'), environment: environmentViewSchema }).strict(),
]);
export type JobResult = z.infer<typeof jobResultSchema>;

export const jobOutcomeSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('succeeded'), result: jobResultSchema }).strict(),
  z.object({ state: z.literal('failed'), error: errorDataSchema }).strict(),
  z.object({ state: z.literal('cancelled') }).strict(),
]);
export type JobOutcome = z.infer<typeof jobOutcomeSchema>;

export const jobStateSchema = z.enum(['running', 'succeeded', 'failed', 'cancelled']);
export type JobState = z.infer<typeof jobStateSchema>;

/** How many progress events a job keeps for watchers that join late (older ones are dropped, `dropped` counts them). */
export const JOB_PROGRESS_KEPT = 200;

export const jobViewSchema = z
  .object({
    id: jobIdSchema,
    kind: z.string().min(1).max(50),
    state: jobStateSchema,
    startedAt: z.iso.datetime(),
    endedAt: z.iso.datetime().nullable(),
    /** The latest progress events, oldest first, each with its sequence number. */
    progress: z.array(z.object({ seq: z.number().int().nonnegative(), progress: jobProgressSchema }).strict()).max(JOB_PROGRESS_KEPT),
    dropped: z.number().int().nonnegative(),
    outcome: jobOutcomeSchema.nullable(),
  })
  .strict();
export type JobView = z.infer<typeof jobViewSchema>;

/** One line of a job's event stream. A watcher (also one that reconnects) gets `state` first. */
export const jobEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), job: jobViewSchema }).strict(),
  z.object({ type: z.literal('progress'), jobId: jobIdSchema, seq: z.number().int().nonnegative(), progress: jobProgressSchema }).strict(),
  z.object({ type: z.literal('end'), jobId: jobIdSchema, outcome: jobOutcomeSchema }).strict(),
  /** Keep-alive, so proxies and idle timeouts do not close a quiet stream. */
  z.object({ type: z.literal('ping') }).strict(),
]);
export type JobEvent = z.infer<typeof jobEventSchema>;

/** Seconds between keep-alive lines on a quiet stream. */
export const JOB_PING_MS = 15_000;

export const jobAnswerSchema = z.object({ job: jobViewSchema }).strict();
