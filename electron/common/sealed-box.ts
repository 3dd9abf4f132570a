import { blake2b } from '@noble/hashes/blake2.js';
import nacl from 'tweetnacl';
import { base64ToBytes, bytesToBase64, utf8Decode, utf8Encode } from './encoding';
import { PaddockError } from './errors';

// Sealed boxes in libsodium's crypto_box_seal format, on tweetnacl:
//
//   sealed = ephemeralPublicKey (32) ‖ XSalsa20-Poly1305(message) (16-byte tag ‖ ciphertext)
//   nonce  = BLAKE2b-192(ephemeralPublicKey ‖ recipientPublicKey)
//   key    = HSalsa20(X25519(ephemeralSecretKey, recipientPublicKey))   (crypto_box_beforenm)
//
// A fresh ephemeral key pair per message, whose secret key is erased at once,
// so only the holder of the recipient's secret key can open the box, and the
// sender cannot open it again either. See docs/sealed-boxes.md.

/** Bytes of an X25519 public key. */
export const PUBLIC_KEY_BYTES = 32;
/** Bytes of an X25519 secret key. */
export const SECRET_KEY_BYTES = 32;
/** Bytes a sealed box adds to its message: the ephemeral public key and the Poly1305 tag (libsodium's crypto_box_SEALBYTES). */
export const SEALBYTES = PUBLIC_KEY_BYTES + nacl.secretbox.overheadLength;

const NONCE_BYTES = nacl.secretbox.nonceLength;

function checkKey(key: Uint8Array, expected: number, what: string): void {
  if (!(key instanceof Uint8Array)) {
    throw new PaddockError('invalid-input', `${what} must be bytes (a Uint8Array).`);
  }
  if (key.length !== expected) {
    throw new PaddockError(
      'invalid-input',
      `${what} must be ${expected} bytes (an X25519 key), but it is ${key.length} bytes. Copy the runner's public key again, whole.`,
    );
  }
}

/** The nonce both sides derive: BLAKE2b with a 24-byte output over ephemeralPublicKey ‖ recipientPublicKey. */
export function sealNonce(ephemeralPublicKey: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  const input = new Uint8Array(2 * PUBLIC_KEY_BYTES);
  input.set(ephemeralPublicKey, 0);
  input.set(recipientPublicKey, PUBLIC_KEY_BYTES);
  return blake2b(input, { dkLen: NONCE_BYTES });
}

/**
 * What crypto_box_beforenm gives when X25519 yields all zeros, i.e. when the
 * peer's public key is a point of small order: such a key is the same for
 * every secret key, so it protects nothing. libsodium refuses those keys
 * (crypto_scalarmult fails), tweetnacl does not; comparing with this constant
 * makes tweetnacl refuse them too, at the cost of no extra scalar
 * multiplication per box. X25519 with the u-coordinate 0 is all zeros.
 */
let lowOrderSharedKey: Uint8Array | undefined;

/** crypto_box_beforenm, or null when `publicKey` is of small order. The caller erases the result. */
function sharedKey(publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array | null {
  lowOrderSharedKey ??= nacl.box.before(new Uint8Array(PUBLIC_KEY_BYTES), new Uint8Array(SECRET_KEY_BYTES));
  const key = nacl.box.before(publicKey, secretKey);
  if (nacl.verify(key, lowOrderSharedKey)) {
    key.fill(0);
    return null;
  }
  return key;
}

/**
 * Seals `message` so that only the holder of `recipientPublicKey`'s secret key
 * can open it (libsodium's crypto_box_seal). The result is
 * `message.length + SEALBYTES` bytes and differs at every call.
 *
 * Throws a PaddockError 'invalid-input' when the public key is not 32
 * bytes, or is a point of small order that libsodium would refuse too.
 */
export function sealBox(message: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  checkKey(recipientPublicKey, PUBLIC_KEY_BYTES, "The recipient's public key");
  if (!(message instanceof Uint8Array)) throw new PaddockError('invalid-input', 'The message to seal must be bytes (a Uint8Array).');
  const ephemeral = nacl.box.keyPair();
  let key: Uint8Array | null;
  try {
    key = sharedKey(recipientPublicKey, ephemeral.secretKey);
  } finally {
    ephemeral.secretKey.fill(0);
  }
  if (!key) {
    throw new PaddockError(
      'invalid-input',
      "The recipient's public key is not a usable X25519 key (it is a point of small order, which would let anyone read the box). Copy the runner's public key again.",
    );
  }
  try {
    const box = nacl.secretbox(message, sealNonce(ephemeral.publicKey, recipientPublicKey), key);
    const sealed = new Uint8Array(PUBLIC_KEY_BYTES + box.length);
    sealed.set(ephemeral.publicKey, 0);
    sealed.set(box, PUBLIC_KEY_BYTES);
    return sealed;
  } finally {
    key.fill(0);
  }
}

/**
 * Opens a box made by {@link sealBox} or libsodium's crypto_box_seal
 * (crypto_box_seal_open). Returns null when it does not open: sealed to
 * another key, changed in any byte, shorter than SEALBYTES, or made with an
 * ephemeral key of small order.
 *
 * Throws a PaddockError 'invalid-input' only for keys of the wrong length.
 */
export function openSealedBox(sealed: Uint8Array, recipientPublicKey: Uint8Array, recipientSecretKey: Uint8Array): Uint8Array | null {
  checkKey(recipientPublicKey, PUBLIC_KEY_BYTES, "The recipient's public key");
  checkKey(recipientSecretKey, SECRET_KEY_BYTES, "The recipient's secret key");
  if (!(sealed instanceof Uint8Array)) throw new PaddockError('invalid-input', 'The sealed box must be bytes (a Uint8Array).');
  if (sealed.length < SEALBYTES) return null;
  const ephemeralPublicKey = sealed.subarray(0, PUBLIC_KEY_BYTES);
  const key = sharedKey(ephemeralPublicKey, recipientSecretKey);
  if (!key) return null;
  try {
    return nacl.secretbox.open(sealed.subarray(PUBLIC_KEY_BYTES), sealNonce(ephemeralPublicKey, recipientPublicKey), key);
  } finally {
    key.fill(0);
  }
}

/**
 * A public key from its base64 text (as the runner and its API show it).
 * Throws a PaddockError 'invalid-input' naming what is wrong.
 */
export function publicKeyFromBase64(publicKeyBase64: string): Uint8Array {
  const key = base64ToBytes(publicKeyBase64, 'The public key');
  checkKey(key, PUBLIC_KEY_BYTES, 'The public key');
  return key;
}

/**
 * Seals the UTF-8 bytes of `text` to a public key given in base64, and
 * returns the sealed box in base64: what the renderer does with a client
 * secret before it leaves the page.
 */
export function sealToBase64(text: string, publicKeyBase64: string): string {
  const publicKey = publicKeyFromBase64(publicKeyBase64);
  const message = utf8Encode(text, 'The text to seal');
  try {
    return bytesToBase64(sealBox(message, publicKey));
  } finally {
    message.fill(0);
  }
}

/**
 * Opens a base64 sealed box made by {@link sealToBase64} (or by libsodium
 * from UTF-8 text) and returns its text; null when it does not open.
 * Throws a PaddockError 'invalid-input' when `sealedBase64` is not
 * base64, or when the box opens but does not hold UTF-8 text.
 */
export function openFromBase64(sealedBase64: string, recipientPublicKey: Uint8Array, recipientSecretKey: Uint8Array): string | null {
  const sealed = base64ToBytes(sealedBase64, 'The sealed text');
  const opened = openSealedBox(sealed, recipientPublicKey, recipientSecretKey);
  if (!opened) return null;
  try {
    return utf8Decode(opened, 'The opened sealed box');
  } finally {
    opened.fill(0);
  }
}

/**
 * Opens a base64 sealed box that holds JSON (a sealed client secret or
 * token with its binding): `not-sealed` when it is not base64 or does not
 * open with this key pair, `not-json` when it opens to something other than
 * UTF-8 JSON. The opened bytes are zeroed before this returns; what the
 * caller keeps is the parsed value, which it checks against its schema.
 */
export function openJsonFromBase64(
  sealedBase64: string,
  keys: { publicKey: Uint8Array; secretKey: Uint8Array },
  label: string,
): { ok: true; json: unknown } | { ok: false; reason: 'not-sealed' | 'not-json' } {
  let opened: Uint8Array | null;
  try {
    opened = openSealedBox(base64ToBytes(sealedBase64, label), keys.publicKey, keys.secretKey);
  } catch {
    opened = null;
  }
  if (!opened) return { ok: false, reason: 'not-sealed' };
  try {
    return { ok: true, json: JSON.parse(utf8Decode(opened)) };
  } catch {
    return { ok: false, reason: 'not-json' };
  } finally {
    opened.fill(0);
  }
}
