import { base64ToBytes } from '../../electron/common/encoding';

/** SHA-256 is 32 bytes. */
const SHA256_BYTES = 32;

/**
 * The 32 bytes of a pasted fingerprint, or null when the text holds none.
 * Takes what the runner prints (`sha256/<base64>`, also with the "Fingerprint:"
 * label of `paddock-runner status` in front, or inside a log line), the base64 alone, or the same
 * digest as hex with or without colons (`openssl dgst -c`). Spaces and line
 * breaks are ignored anywhere; hex is read in either case, while base64 keeps
 * its case, which is part of its value.
 */
export function fingerprintBytes(text: string): Uint8Array | null {
  let body = text.replace(/\s+/g, '');
  const prefix = /sha-?256[/:=]/i.exec(body);
  // After the prefix, the fingerprint runs to the first character that cannot be in it (a log line's closing quote).
  if (prefix) body = /^[A-Za-z0-9+/:]*=*/.exec(body.slice(prefix.index + prefix[0].length))![0];
  else body = body.replace(/^fingerprint:/i, '');
  const hex = body.replace(/:/g, '');
  if (/^[0-9a-f]+$/i.test(hex) && hex.length === SHA256_BYTES * 2) {
    return Uint8Array.from({ length: SHA256_BYTES }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return null;
  const padded = body.replace(/=+$/, '').padEnd(Math.ceil(body.replace(/=+$/, '').length / 4) * 4, '=');
  try {
    const bytes = base64ToBytes(padded);
    return bytes.length === SHA256_BYTES ? bytes : null;
  } catch {
    return null;
  }
}

export type FingerprintComparison = 'empty' | 'match' | 'mismatch';

/** Whether a pasted fingerprint is the runner's `sha256/<base64>` pin: 'empty' before anything is pasted. */
export function compareFingerprint(pasted: string, spki: string): FingerprintComparison {
  if (pasted.trim() === '') return 'empty';
  const theirs = fingerprintBytes(pasted);
  const ours = fingerprintBytes(spki);
  if (!theirs || !ours) return 'mismatch';
  return theirs.every((byte, i) => byte === ours[i]) ? 'match' : 'mismatch';
}
