import { z } from 'zod';
import { base64ToBytes, bytesToBase64, utf8Decode, utf8Encode } from './encoding';
import { openSealedBox, publicKeyFromBase64, sealBox } from './sealed-box';

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
  const parsed = sealedPatEnvelopeSchema.parse({ purpose: 'pat', ...binding, token });
  const message = utf8Encode(JSON.stringify(parsed));
  try {
    return bytesToBase64(sealBox(message, publicKeyFromBase64(runnerPublicKeyBase64)));
  } finally {
    message.fill(0);
  }
}

export type OpenedPat = { ok: true; token: string } | { ok: false; message: string };

const sameOrganization = (a: string | null, b: string | null) => (a === null || b === null ? a === b : a.toLowerCase() === b.toLowerCase());

/**
 * Opens a sealed token and checks that it was sealed for exactly this
 * runner, host and organization. Messages never hold the token.
 */
export function openPat(sealedBase64: string, keys: { publicKey: Uint8Array; secretKey: Uint8Array }, expected: PatBinding): OpenedPat {
  let bytes: Uint8Array | null;
  try {
    bytes = openSealedBox(base64ToBytes(sealedBase64, 'The sealed token'), keys.publicKey, keys.secretKey);
  } catch {
    bytes = null;
  }
  if (!bytes) return { ok: false, message: 'The token was not sealed to this runner’s key. Paste it again.' };
  let envelope: SealedPatEnvelope;
  try {
    envelope = sealedPatEnvelopeSchema.parse(JSON.parse(utf8Decode(bytes)));
  } catch {
    return { ok: false, message: 'The sealed token is not in the expected form. Paste it again.' };
  } finally {
    bytes.fill(0);
  }
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
