import { z } from 'zod';
import { providerKindSchema } from '../provider-kind';

// The two shapes parseContextUrl returns, as the CLI prints them and the app
// passes them between processes. Types are derived from these schemas.

/** A repository, group, project or collection name as it appears decoded. */
const nameSchema = z
  .string()
  .min(1)
  // eslint-disable-next-line no-control-regex
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'must not contain control characters');

/** One path segment's worth of name: owners may be GitLab group paths, projects and repos may not. */
const segmentNameSchema = nameSchema.refine((name) => !name.includes('/'), 'must not contain "/"');

export const contextRefSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('branch'), name: nameSchema }).strict(),
  z.object({ type: z.literal('tag'), name: nameSchema }).strict(),
  z.object({ type: z.literal('commit'), sha: z.string().regex(/^[0-9a-f]{7,64}$/) }).strict(),
  z.object({ type: z.literal('pull'), number: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).strict(),
]);
export type ContextRef = z.infer<typeof contextRefSchema>;

/** Azure DevOps kinds are the only ones with a project between owner and repo. */
const kindsWithProject = new Set(['azure-devops', 'azure-devops-server']);

export const contextUrlSchema = z
  .object({
    ok: z.literal(true),
    provider: providerKindSchema,
    /** The provider's web host, with the port when it is not the scheme's default. */
    host: z.string().min(1),
    /** Owner, GitLab group path, Bitbucket workspace or project key (~user for personal), Azure DevOps organization or collection. */
    owner: nameSchema,
    /** The Azure DevOps project; null for every other provider. */
    project: segmentNameSchema.nullable(),
    repo: segmentNameSchema,
    ref: contextRefSchema.nullable(),
    /** A file or folder in the repository, without a leading slash. */
    path: nameSchema.refine((path) => !path.startsWith('/'), 'must not start with "/"').nullable(),
    /**
     * True when the URL does not say where the ref name ends or which kind of
     * ref it is (a name taken from a path such as GitHub's tree/feature/x/src):
     * ref is then the shortest reading, a branch named by the first segment,
     * and must be resolved against the remote's refs before it is used.
     */
    refAmbiguous: z.boolean(),
    /** The HTTPS (or configured http) clone URL, without credentials. */
    cloneUrl: z.string().regex(/^https?:\/\/[^/@\s]+\/\S+$/),
  })
  .strict()
  .superRefine((context, ctx) => {
    if (kindsWithProject.has(context.provider) !== (context.project !== null)) {
      ctx.addIssue({ code: 'custom', path: ['project'], message: 'is set for Azure DevOps kinds and only for them' });
    }
    if (context.refAmbiguous && context.ref?.type !== 'branch') {
      ctx.addIssue({ code: 'custom', path: ['refAmbiguous'], message: 'may be true only for a branch ref' });
    }
  });
export type ContextUrl = z.infer<typeof contextUrlSchema>;

export const contextUrlErrorCodes = ['invalid-url', 'unsupported-scheme', 'unknown-host', 'not-a-repository'] as const;
export const contextUrlErrorCodeSchema = z.enum(contextUrlErrorCodes);
export type ContextUrlErrorCode = z.infer<typeof contextUrlErrorCodeSchema>;

export const contextUrlErrorSchema = z
  .object({
    ok: z.literal(false),
    error: z
      .object({
        code: contextUrlErrorCodeSchema,
        /** A sentence a person can act on. */
        message: z.string().min(1),
      })
      .strict(),
  })
  .strict();
export type ContextUrlError = z.infer<typeof contextUrlErrorSchema>;

export const contextUrlResultSchema = z.discriminatedUnion('ok', [contextUrlSchema, contextUrlErrorSchema]);
export type ContextUrlResult = z.infer<typeof contextUrlResultSchema>;
