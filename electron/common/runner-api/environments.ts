import { z } from 'zod';
import { contextRefSchema } from '../context-url/schema';
import { errorDataSchema } from '../errors';
import { isSafeText, UNSAFE_URL_MESSAGE } from '../safe-text';
import { providerKindSchema } from '../provider-kind';
import { tokenIdSchema } from './tokens';

/**
 * Environments (PRODUCT E2–E4, issue 10): a working copy of one repository
 * at one ref, cloned by the runner that holds it. The runner is the one
 * place that knows an environment: the app keeps nothing about it that could
 * disagree (it asks `GET /v1/environments`). Creating one records it
 * (`creating`) and starts its clone as a job of kind `environment-clone`;
 * the job's end leaves it `ready`, `failed` (with the reason) or
 * `cancelled`, each of which but `ready` can be retried.
 */
export const environmentIdSchema = z.string().regex(/^e_[A-Za-z0-9_-]{16,40}$/, 'must be an environment id');
export type EnvironmentId = z.infer<typeof environmentIdSchema>;

export const environmentStateSchema = z.enum(['creating', 'ready', 'failed', 'cancelled']);
export type EnvironmentState = z.infer<typeof environmentStateSchema>;

/**
 * How much history the clone fetches: all of it; only the last commit
 * (`--depth 1`, fastest, no history to look at); or every commit without
 * file contents until a checkout needs them (`--filter=blob:none`).
 */
export const cloneDepthSchema = z.enum(['full', 'shallow', 'blobless']);
export type CloneDepth = z.infer<typeof cloneDepthSchema>;

/** The longest repository URL an environment is made from (as typed, pasted or dropped). */
export const MAX_ENVIRONMENT_URL_LENGTH = 4096;

/** What the user asks for. The runner parses the URL itself (with its own repository access); the app's reading is only a preview. */
/**
 * A repository URL someone pasted, dropped, typed or linked: without the
 * characters that make an address read differently from what it is (the
 * deep-link parser refuses them too), since the user confirmed what they saw.
 */
export const environmentUrlInputSchema = z.string().max(MAX_ENVIRONMENT_URL_LENGTH).refine(isSafeText, UNSAFE_URL_MESSAGE);

export const createEnvironmentRequestSchema = z
  .object({
    url: z.string().trim().min(1).pipe(environmentUrlInputSchema),
    /** The account to clone with; null: the one in use for the host (and organization). */
    tokenId: tokenIdSchema.nullable(),
    depth: cloneDepthSchema,
  })
  .strict();
export type CreateEnvironmentRequest = z.infer<typeof createEnvironmentRequestSchema>;

/** The ref the working copy has checked out, once the clone found it. */
export const resolvedRefSchema = z
  .object({
    type: z.enum(['branch', 'tag', 'commit', 'pull']),
    /** The branch or tag name; for a pull request the source branch where the provider has one (Bitbucket Cloud, Azure DevOps), else null. */
    name: z.string().max(1024).nullable(),
    /** The pull or merge request's number; null otherwise. */
    number: z.number().int().positive().nullable(),
    commit: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/),
  })
  .strict();
export type ResolvedRef = z.infer<typeof resolvedRefSchema>;

export const environmentViewSchema = z
  .object({
    id: environmentIdSchema,
    /** The URL it was made from. */
    url: z.string().max(MAX_ENVIRONMENT_URL_LENGTH),
    kind: providerKindSchema,
    /** The repository-access entry's host. */
    host: z.string().max(2048),
    /** The Azure DevOps Services organization; null for every other kind. */
    organization: z.string().max(256).nullable(),
    /** "owner/repo" (GitLab group paths and Azure DevOps projects included), as people name it. */
    repository: z.string().max(1024),
    cloneUrl: z.string().max(2048),
    /** The ref the URL named; null for the default branch. */
    ref: contextRefSchema.nullable(),
    /** What is checked out, once known. */
    resolved: resolvedRefSchema.nullable(),
    /** The folder inside the repository the URL pointed at; null for its root. */
    subPath: z.string().max(2048).nullable(),
    depth: cloneDepthSchema,
    /** The account it clones and pushes with; null: the one in use for its host. */
    tokenId: tokenIdSchema.nullable(),
    /** The working copy's folder on the runner's machine (absolute). */
    path: z.string().max(4096),
    state: environmentStateSchema,
    /** The job of the clone under way, or of the last one. */
    jobId: z.string().max(50).nullable(),
    /** Why the last clone failed; null otherwise. */
    error: errorDataSchema.nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .strict();
export type EnvironmentView = z.infer<typeof environmentViewSchema>;

/** The phases git reports while cloning (GIT-AND-DESKTOP §1.5), and Paddock's own steps around them. */
export const clonePhaseSchema = z.enum([
  /** Finding the ref: ls-remote for a name with a slash, the provider's API for a pull request's source branch. */
  'resolving',
  'enumerating',
  'counting',
  'compressing',
  'receiving',
  'resolving-deltas',
  'updating-files',
  'filtering',
  /** Fetching and checking out the ref after the clone. */
  'checking-out',
  /** A line git printed that is not a known phase. */
  'other',
]);
export type ClonePhase = z.infer<typeof clonePhaseSchema>;

export const environmentCloneProgressSchema = z
  .object({
    kind: z.literal('environment-clone'),
    environmentId: environmentIdSchema,
    phase: clonePhaseSchema,
    /** The phase's title as git wrote it ("Receiving objects"), or a line of text for `other`. */
    title: z.string().max(500),
    /** The phase's percent; null where git gives only a count. */
    percent: z.number().min(0).max(100).nullable(),
    processed: z.number().int().nonnegative().nullable(),
    total: z.number().int().nonnegative().nullable(),
    /** Bytes received so far; null where git does not say. */
    bytes: z.number().nonnegative().nullable(),
    /** Bytes per second; null where git does not say. */
    throughput: z.number().nonnegative().nullable(),
    /** The whole clone, 0 to 1, never going back. */
    overall: z.number().min(0).max(1),
  })
  .strict();
export type EnvironmentCloneProgress = z.infer<typeof environmentCloneProgressSchema>;

/** What would be lost by deleting a working copy: counted first, shown in the confirmation (E4). */
export const environmentChangesSchema = z
  .object({
    /** Files changed, added or deleted and not committed (untracked files included). */
    uncommitted: z.number().int().nonnegative(),
    /** Commits on local branches that no remote branch has. */
    unpushed: z.number().int().nonnegative(),
    /** Stashed changes. */
    stashes: z.number().int().nonnegative(),
  })
  .strict();
export type EnvironmentChanges = z.infer<typeof environmentChangesSchema>;

export const environmentListSchema = z.object({ environments: z.array(environmentViewSchema).max(1000) }).strict();
export const environmentParamsSchema = z.object({ id: environmentIdSchema }).strict();
