import { z } from 'zod';
import { openJsonFromBase64, sealToBase64 } from './sealed-box';

/**
 * A pasted personal access token (PRODUCT A3) travels only sealed to the
 * runner's key, like a client secret (provider-config.ts), and bound to
 * what it is for: the runner, the entry's host, the Azure DevOps
 * organization and the purpose. A box sealed for one host or organization
 * cannot be replayed for another, and no other sealed secret (a client
 * secret has no `purpose`) opens as a token.
 */
export const sealedPatEnvelopeSchema = z
  .object({
    purpose: z.literal('pat'),
    runnerId: z.string().min(1).max(100),
    /** The entry's normalised host (its key on the runner). */
    host: z.string().min(1).max(2048),
    /** Azure DevOps Services only; null elsewhere. */
    organization: z.string().min(1).max(256).nullable(),
    token: z.string().min(1).max(4096),
  })
  .strict();
export type SealedPatEnvelope = z.infer<typeof sealedPatEnvelopeSchema>;
export type PatBinding = Omit<SealedPatEnvelope, 'purpose' | 'token'>;

/** Seals a pasted token to a runner's public key, bound to its host and organization (the page does this before the token leaves it). */
export function sealPat(binding: PatBinding, token: string, runnerPublicKeyBase64: string): string {
  return sealToBase64(JSON.stringify(sealedPatEnvelopeSchema.parse({ purpose: 'pat', ...binding, token })), runnerPublicKeyBase64);
}

export type OpenedPat = { ok: true; token: string } | { ok: false; message: string };

const sameOrganization = (a: string | null, b: string | null) => (a === null || b === null ? a === b : a.toLowerCase() === b.toLowerCase());

/**
 * Opens a sealed token and checks that it was sealed for exactly this
 * runner, host and organization. Messages never hold the token.
 */
export function openPat(sealedBase64: string, keys: { publicKey: Uint8Array; secretKey: Uint8Array }, expected: PatBinding): OpenedPat {
  const opened = openJsonFromBase64(sealedBase64, keys, 'The sealed token');
  if (!opened.ok && opened.reason === 'not-sealed') return { ok: false, message: 'The token was not sealed to this runner’s key. Paste it again.' };
  const parsed = opened.ok ? sealedPatEnvelopeSchema.safeParse(opened.json) : null;
  if (!parsed?.success) return { ok: false, message: 'The sealed token is not in the expected form. Paste it again.' };
  const envelope = parsed.data;
  const differing = [
    envelope.runnerId === expected.runnerId ? null : 'runner',
    envelope.host === expected.host ? null : 'host',
    sameOrganization(envelope.organization, expected.organization) ? null : 'organization',
  ].filter((field) => field !== null);
  if (differing.length) {
    return {
      ok: false,
      message: `The token was sealed for another ${differing.join(' and ')}. Paste it again for ${expected.host}${expected.organization ? ` (${expected.organization})` : ''}.`,
    };
  }
  return { ok: true, token: envelope.token };
}
