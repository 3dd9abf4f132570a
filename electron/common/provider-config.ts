import { z } from 'zod';
import { providerKindSchema } from './provider-kind';
import { azureDevOpsOrganizationSchema, azureDevOpsServerCollectionSchema } from './providers/azure-devops';
import { openJsonFromBase64, sealToBase64 } from './sealed-box';

/**
 * Repository access on a runner (S1–S6): what the admin configures, as the
 * app sends it and the runner keeps it. The client secret only ever travels
 * sealed to the runner's key, bound to the entry it belongs to.
 */

/** What the sealed client secret's plaintext is: the secret and the entry it belongs to. */
export const sealedSecretEnvelopeSchema = z
  .object({
    runnerId: z.string().min(1).max(100),
    kind: providerKindSchema,
    /** The normalised base URL of the entry. */
    host: z.string().min(1).max(2048),
    clientId: z.string().min(1).max(400),
    tenant: z.string().max(200).nullable(),
    secret: z.string().min(1).max(4096),
  })
  .strict();
export type SealedSecretEnvelope = z.infer<typeof sealedSecretEnvelopeSchema>;

/** Seals a client secret to a runner's public key, bound to its entry (the renderer does this before the secret leaves the page). */
export function sealClientSecret(envelope: SealedSecretEnvelope, runnerPublicKeyBase64: string): string {
  return sealToBase64(JSON.stringify(sealedSecretEnvelopeSchema.parse(envelope)), runnerPublicKeyBase64);
}

export type OpenedSecret = { ok: true; envelope: SealedSecretEnvelope } | { ok: false; message: string };

/** Opens a sealed client secret and checks that it was sealed for exactly this entry. */
export function openClientSecret(
  sealedBase64: string,
  keys: { publicKey: Uint8Array; secretKey: Uint8Array },
  expected: Omit<SealedSecretEnvelope, 'secret'>,
): OpenedSecret {
  const opened = openJsonFromBase64(sealedBase64, keys, 'The sealed client secret');
  if (!opened.ok && opened.reason === 'not-sealed') return { ok: false, message: 'The client secret was not sealed to this runner’s key. Enter it again.' };
  const parsed = opened.ok ? sealedSecretEnvelopeSchema.safeParse(opened.json) : null;
  if (!parsed?.success) return { ok: false, message: 'The sealed client secret is not in the expected form. Enter it again.' };
  const envelope = parsed.data;
  const fields = ['runnerId', 'kind', 'host', 'clientId', 'tenant'] as const;
  const differing = fields.filter((field) => envelope[field] !== expected[field]);
  if (differing.length) {
    return {
      ok: false,
      message: `The client secret was sealed for another entry (its ${differing.join(', ')} differ${differing.length === 1 ? 's' : ''}). Enter the secret again for this entry.`,
    };
  }
  return { ok: true, envelope };
}

/** How a save treats the client secret: keep the one the runner has, replace it, or have none. */
export const clientSecretChangeSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('keep') }).strict(),
  z.object({ action: z.literal('replace'), sealed: z.string().min(60).max(12_000).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64') }).strict(),
  z.object({ action: z.literal('none') }).strict(),
]);
export type ClientSecretChange = z.infer<typeof clientSecretChangeSchema>;

export const oauthSettingsInputSchema = z
  .object({
    enabled: z.boolean(),
    clientId: z.string().trim().max(400).nullable(),
    /** The Entra tenant of the app registration (Azure DevOps Services). */
    tenant: z.string().trim().max(200).nullable(),
    clientSecret: clientSecretChangeSchema,
  })
  .strict();

/** One provider entry as the admin saves it. */
export const providerInputSchema = z
  .object({
    kind: providerKindSchema,
    /** As typed; the runner normalises it with the catalogue. */
    host: z.string().trim().min(1, 'Enter the host.').max(2048),
    organizations: z.array(azureDevOpsOrganizationSchema).max(200),
    collections: z.array(azureDevOpsServerCollectionSchema).max(200),
    oauth: oauthSettingsInputSchema,
    pat: z.object({ enabled: z.boolean() }).strict(),
  })
  .strict();
export type ProviderInput = z.infer<typeof providerInputSchema>;

/** The longest message a check carries (its schema's limit): longer ones are cut with an ellipsis. */
export const CHECK_MESSAGE_MAX = 2000;

/** A check's message within CHECK_MESSAGE_MAX: a certificate's subject, a provider's error text or a long host can make it longer. */
export function clipMessage(message: string): string {
  return message.length <= CHECK_MESSAGE_MAX ? message : `${message.slice(0, CHECK_MESSAGE_MAX - 1)}…`;
}

export const validationCheckSchema = z
  .object({
    level: z.enum(['ok', 'warning', 'error']),
    code: z.string().max(100),
    message: z.string().max(CHECK_MESSAGE_MAX),
  })
  .strict();
export type ValidationCheck = z.infer<typeof validationCheckSchema>;

/** Validation on save (S5), kept apart so the dialog shows host, OAuth and PAT problems separately. */
export const providerValidationSchema = z
  .object({
    host: z.array(validationCheckSchema),
    oauth: z.array(validationCheckSchema),
    pat: z.array(validationCheckSchema),
  })
  .strict();
export type ProviderValidation = z.infer<typeof providerValidationSchema>;

/**
 * The last check of an entry's values against the network (when it was
 * saved, or "Check again"), as the entry shows it: "Not checked yet" while
 * there is none, "Last check failed: …" with its first problem.
 */
export const providerCheckStateSchema = z
  .object({
    at: z.iso.datetime(),
    /** passed: nothing to report; warnings: only warnings; failed: at least one check found an error or could not run. */
    outcome: z.enum(['passed', 'warnings', 'failed']),
    /** The first error, else the first warning; null when the check passed. */
    message: z.string().max(2000).nullable(),
    errors: z.number().int().nonnegative(),
    warnings: z.number().int().nonnegative(),
  })
  .strict();
export type ProviderCheckState = z.infer<typeof providerCheckStateSchema>;

/** The codes of a check's warnings, each once: what "Save anyway" accepts (the dialog sends them, the runner compares). */
export function warningCodesOf(validation: ProviderValidation): string[] {
  return [...new Set([...validation.host, ...validation.oauth, ...validation.pat].filter((check) => check.level === 'warning').map((check) => check.code))];
}

/** What a check's results come to on the entry. */
export function checkStateOf(validation: ProviderValidation, at: Date): ProviderCheckState {
  const all = [...validation.host, ...validation.oauth, ...validation.pat];
  const errors = all.filter((check) => check.level === 'error');
  const warnings = all.filter((check) => check.level === 'warning');
  const first = errors[0] ?? warnings[0] ?? null;
  return {
    at: at.toISOString(),
    outcome: errors.length ? 'failed' : warnings.length ? 'warnings' : 'passed',
    message: first ? clipMessage(first.message) : null,
    errors: errors.length,
    warnings: warnings.length,
  };
}

/**
 * Warnings the admin saved anyway, and the values they were found for (a
 * SHA-256 of the entry's kind, host, organizations, collections and OAuth
 * and PAT settings): a save of the same values with no other warning goes
 * through without asking again.
 */
export const acceptedWarningsSchema = z
  .object({
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
    codes: z.array(z.string().max(100)).max(200),
  })
  .strict();
export type AcceptedWarnings = z.infer<typeof acceptedWarningsSchema>;

/** A provider entry as the runner keeps and reports it: never the secret, only whether one is set. */
export const providerViewSchema = z
  .object({
    kind: providerKindSchema,
    /** Normalised base URL: the entry's key on its runner. */
    host: z.string(),
    organizations: z.array(azureDevOpsOrganizationSchema),
    collections: z.array(azureDevOpsServerCollectionSchema),
    oauth: z
      .object({ enabled: z.boolean(), clientId: z.string().nullable(), tenant: z.string().nullable(), secretSet: z.boolean() })
      .strict(),
    pat: z.object({ enabled: z.boolean() }).strict(),
    /** Provisioned by the admin policy: nobody can change or remove it from the app. */
    managed: z.boolean(),
    updatedAt: z.iso.datetime(),
    /** The last check; null or absent: not checked yet (entries saved before checks were recorded too). */
    lastCheck: providerCheckStateSchema.nullable().optional(),
    acceptedWarnings: acceptedWarningsSchema.optional(),
  })
  .strict();
export type ProviderView = z.infer<typeof providerViewSchema>;


/** A provider entry the admin policy provisions on a runner (core → runner, `PUT /v1/policy`). */
export const managedProviderSchema = z
  .object({
    kind: providerKindSchema,
    host: z.string().min(1).max(2048),
    organizations: z.array(azureDevOpsOrganizationSchema).max(200),
    collections: z.array(azureDevOpsServerCollectionSchema).max(200),
    oauth: z
      .object({
        clientId: z.string().min(1).max(400),
        tenant: z.string().max(200).nullable(),
        clientSecret: z.discriminatedUnion('type', [
          z.object({ type: z.literal('none') }).strict(),
          z.object({ type: z.literal('sealed'), sealed: z.string().min(60).max(12_000) }).strict(),
          // Only for the local runner, and only secrets that are not confidential (RFC 8252 §8.5; docs/policy.md).
          z.object({ type: z.literal('plain'), secret: z.string().min(1).max(4096) }).strict(),
        ]),
      })
      .strict()
      .nullable(),
    pat: z.object({ enabled: z.boolean() }).strict(),
  })
  .strict();
export type ManagedProvider = z.infer<typeof managedProviderSchema>;

export const applyPolicyRequestSchema = z.object({ providers: z.array(managedProviderSchema).max(500) }).strict();
export const applyPolicyResponseSchema = z
  .object({
    applied: z.number().int().nonnegative(),
    problems: z.array(z.object({ host: z.string(), message: z.string() }).strict()),
  })
  .strict();
