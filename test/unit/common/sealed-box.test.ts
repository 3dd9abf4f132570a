import fc from 'fast-check';
import sodium from 'libsodium-wrappers';
import nacl from 'tweetnacl';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bytesToBase64, utf8Encode } from '../../../electron/common/encoding';
import { PaddockError } from '../../../electron/common/errors';
import {
  openFromBase64,
  openSealedBox,
  PUBLIC_KEY_BYTES,
  publicKeyFromBase64,
  SEALBYTES,
  sealBox,
  sealNonce,
  sealToBase64,
} from '../../../electron/common/sealed-box';

// libsodium (compiled to WebAssembly/JS by libsodium.js) is the independent
// implementation: every box sealed here must open there, and the other way.

const hex = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16));
const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function errorOf(fn: () => unknown): PaddockError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PaddockError);
    return error as PaddockError;
  }
  throw new Error('expected an error');
}

/** libsodium's crypto_box_seal_open, null instead of its exception. */
function sodiumOpen(sealed: Uint8Array, publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array | null {
  try {
    return sodium.crypto_box_seal_open(sealed, publicKey, secretKey);
  } catch {
    return null;
  }
}

/** Restores a CSPRNG for tweetnacl after a test replaced it (as tweetnacl itself sets one up). */
function restoreRandom(): void {
  nacl.setPRNG((x: Uint8Array, n: number) => {
    const random = new Uint8Array(n);
    for (let i = 0; i < n; i += 65536) crypto.getRandomValues(random.subarray(i, Math.min(n, i + 65536)));
    x.set(random);
    random.fill(0);
  });
}

// A known answer, computed with libsodium's primitives (crypto_scalarmult_base,
// crypto_generichash(24, epk ‖ pk), crypto_box_easy) and the nonce checked
// with Python's hashlib.blake2b(digest_size=24).
const kat = {
  recipientSecretKey: Uint8Array.from({ length: 32 }, (_, i) => i + 1),
  recipientPublicKey: hex('07a37cbc142093c8b755dc1b10e86cb426374ad16aa853ed0bdfc0b2b86d1c7c'),
  ephemeralSecretKey: Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i),
  ephemeralPublicKey: hex('79a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec89af85a51a'),
  nonce: hex('dd96056fd4efd03926ad5bed6a81022d7d82e3e063c61b41'),
  message: 'paddock sealed box test vector',
  sealed: hex(
    '79a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec89af85a51a' +
      '1782dfd5fa985a08e5d23b89f0f3462e89add7a640ff7dc7fd3e2f3a49895aed02739b0ea4a688cc918bcdc68532',
  ),
};

// Points of small order on Curve25519 and its twist, in libsodium's blacklist
// (crypto_scalarmult/curve25519/ref10/x25519_ref10.c), which ignores the top bit.
const smallOrderPoints = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].flatMap((point) => {
  const bytes = hex(point);
  const high = bytes.slice();
  high[31] = high[31]! | 0x80;
  return [bytes, high];
});

beforeAll(async () => {
  await sodium.ready;
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sealed box format', () => {
  it('adds 48 bytes, as libsodium does', () => {
    expect(SEALBYTES).toBe(48);
    expect(SEALBYTES).toBe(sodium.crypto_box_SEALBYTES);
    expect(PUBLIC_KEY_BYTES).toBe(sodium.crypto_box_PUBLICKEYBYTES);
  });

  it('derives the nonce as BLAKE2b-24 of ephemeral ‖ recipient public key', () => {
    expect(toHex(sealNonce(kat.ephemeralPublicKey, kat.recipientPublicKey))).toBe(toHex(kat.nonce));
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (a, b) => {
        const both = new Uint8Array(64);
        both.set(a);
        both.set(b, 32);
        expect(sealNonce(a, b)).toEqual(sodium.crypto_generichash(24, both, null));
      }),
      { numRuns: 200 },
    );
  });

  it('seals the known answer when the ephemeral key is fixed', () => {
    nacl.setPRNG((x: Uint8Array, n: number) => {
      for (let i = 0; i < n; i++) x[i] = kat.ephemeralSecretKey[i]!;
    });
    try {
      const sealed = sealBox(utf8Encode(kat.message), kat.recipientPublicKey);
      expect(toHex(sealed)).toBe(toHex(kat.sealed));
    } finally {
      restoreRandom();
    }
  });

  it('opens the known answer', () => {
    const opened = openSealedBox(kat.sealed, kat.recipientPublicKey, kat.recipientSecretKey);
    expect(opened).toEqual(utf8Encode(kat.message));
    expect(sodium.crypto_box_seal_open(kat.sealed, kat.recipientPublicKey, kat.recipientSecretKey)).toEqual(utf8Encode(kat.message));
  });

  it('uses a fresh ephemeral key for every box and erases its secret key', () => {
    const recipient = nacl.box.keyPair();
    const keyPairs: nacl.BoxKeyPair[] = [];
    const original = nacl.box.keyPair;
    vi.spyOn(nacl.box, 'keyPair').mockImplementation(() => {
      const pair = original();
      keyPairs.push(pair);
      return pair;
    });
    const message = utf8Encode('same message');
    const first = sealBox(message, recipient.publicKey);
    const second = sealBox(message, recipient.publicKey);
    expect(keyPairs).toHaveLength(2);
    for (const pair of keyPairs) expect(pair.secretKey).toEqual(new Uint8Array(32));
    expect(first.subarray(0, 32)).toEqual(keyPairs[0]!.publicKey);
    expect(second.subarray(0, 32)).toEqual(keyPairs[1]!.publicKey);
    expect(toHex(first)).not.toBe(toHex(second));
    expect(openSealedBox(first, recipient.publicKey, recipient.secretKey)).toEqual(message);
    expect(openSealedBox(second, recipient.publicKey, recipient.secretKey)).toEqual(message);
  });
});

describe('interoperability with libsodium', () => {
  const messages = fc.oneof(
    { weight: 1, arbitrary: fc.constant(new Uint8Array(0)) },
    { weight: 8, arbitrary: fc.uint8Array({ maxLength: 512 }) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 512, maxLength: 20_000 }) },
  );

  it('libsodium opens what sealBox seals', () => {
    fc.assert(
      fc.property(messages, (message) => {
        const recipient = sodium.crypto_box_keypair();
        const sealed = sealBox(message, recipient.publicKey);
        expect(sealed.length).toBe(message.length + SEALBYTES);
        expect(sodium.crypto_box_seal_open(sealed, recipient.publicKey, recipient.privateKey)).toEqual(message);
      }),
      { numRuns: 300 },
    );
  });

  it('openSealedBox opens what libsodium seals', () => {
    fc.assert(
      fc.property(messages, (message) => {
        const recipient = nacl.box.keyPair();
        const sealed = sodium.crypto_box_seal(message, recipient.publicKey);
        expect(openSealedBox(sealed, recipient.publicKey, recipient.secretKey)).toEqual(message);
      }),
      { numRuns: 300 },
    );
  });

  it('works both ways for empty and large (4 MiB + 1 byte) messages', () => {
    const recipient = sodium.crypto_box_keypair();
    for (const message of [new Uint8Array(0), new Uint8Array(4 * 1024 * 1024 + 1).map((_, i) => (i * 7) & 255)]) {
      const ours = sealBox(message, recipient.publicKey);
      expect(ours.length).toBe(message.length + 48);
      expect(sodium.crypto_box_seal_open(ours, recipient.publicKey, recipient.privateKey)).toEqual(message);
      const theirs = sodium.crypto_box_seal(message, recipient.publicKey);
      expect(openSealedBox(theirs, recipient.publicKey, recipient.privateKey)).toEqual(message);
    }
  });

  it('text sealed with sealToBase64 opens in libsodium, and libsodium text opens with openFromBase64', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const recipient = sodium.crypto_box_keypair();
        const publicKeyBase64 = sodium.to_base64(recipient.publicKey, sodium.base64_variants.ORIGINAL);
        const sealed = sealToBase64(text, publicKeyBase64);
        expect(sealed).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
        const opened = sodium.crypto_box_seal_open(sodium.from_base64(sealed, sodium.base64_variants.ORIGINAL), recipient.publicKey, recipient.privateKey);
        expect(sodium.to_string(opened)).toBe(text);

        const theirs = sodium.to_base64(sodium.crypto_box_seal(text, recipient.publicKey), sodium.base64_variants.ORIGINAL);
        expect(openFromBase64(theirs, recipient.publicKey, recipient.privateKey)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses public keys of small order, as libsodium does', () => {
    for (const point of smallOrderPoints) {
      expect(() => sodium.crypto_box_seal(Uint8Array.of(1), point), toHex(point)).toThrow();
      const error = errorOf(() => sealBox(Uint8Array.of(1), point));
      expect(error.code).toBe('invalid-input');
      expect(error.message).toContain('small order');
    }
  });

  it('does not open a box whose ephemeral key is of small order, as libsodium does not', () => {
    // Anyone can make such a box without the recipient's key: its shared key
    // is the same for every secret key. Plain tweetnacl would open it.
    const recipient = nacl.box.keyPair();
    const message = utf8Encode('forged');
    for (const point of smallOrderPoints) {
      const key = nacl.box.before(point, recipient.secretKey);
      const box = nacl.secretbox(message, sealNonce(point, recipient.publicKey), key);
      const sealed = new Uint8Array([...point, ...box]);
      expect(nacl.box.open(box, sealNonce(point, recipient.publicKey), point, recipient.secretKey)).toEqual(message);
      expect(sodiumOpen(sealed, recipient.publicKey, recipient.secretKey)).toBeNull();
      expect(openSealedBox(sealed, recipient.publicKey, recipient.secretKey)).toBeNull();
    }
  });
});

describe('boxes that do not open', () => {
  const recipient = nacl.box.keyPair();

  it('returns null when any byte of the box is changed, and libsodium agrees', () => {
    const message = utf8Encode('client-secret-value');
    const sealed = sealBox(message, recipient.publicKey);
    for (let i = 0; i < sealed.length; i++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const tampered = sealed.slice();
        tampered[i] = tampered[i]! ^ mask;
        expect(openSealedBox(tampered, recipient.publicKey, recipient.secretKey), `byte ${i} ^ ${mask}`).toBeNull();
        expect(sodiumOpen(tampered, recipient.publicKey, recipient.secretKey)).toBeNull();
      }
    }
  });

  it('returns null for any single-byte change of any box', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (message, at, mask) => {
        const sealed = sealBox(message, recipient.publicKey);
        const index = at % sealed.length;
        sealed[index] = sealed[index]! ^ mask;
        expect(openSealedBox(sealed, recipient.publicKey, recipient.secretKey)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('returns null when the box is shortened or lengthened, however little, and libsodium agrees', () => {
    const sealed = sealBox(utf8Encode('abc'), recipient.publicKey);
    for (let length = 0; length < sealed.length; length++) {
      expect(openSealedBox(sealed.subarray(0, length), recipient.publicKey, recipient.secretKey), `length ${length}`).toBeNull();
      expect(sodiumOpen(sealed.slice(0, length), recipient.publicKey, recipient.secretKey)).toBeNull();
    }
    expect(openSealedBox(new Uint8Array([...sealed, 0]), recipient.publicKey, recipient.secretKey)).toBeNull();
    expect(openSealedBox(new Uint8Array(47), recipient.publicKey, recipient.secretKey)).toBeNull();
    expect(openSealedBox(new Uint8Array(48), recipient.publicKey, recipient.secretKey)).toBeNull();
  });

  it('returns null for another recipient, or the right secret key with another public key', () => {
    const other = nacl.box.keyPair();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 128 }), (message) => {
        const sealed = sealBox(message, recipient.publicKey);
        expect(openSealedBox(sealed, other.publicKey, other.secretKey)).toBeNull();
        expect(openSealedBox(sealed, other.publicKey, recipient.secretKey)).toBeNull();
        expect(openSealedBox(sealed, recipient.publicKey, other.secretKey)).toBeNull();
        expect(openSealedBox(sealed, recipient.publicKey, recipient.secretKey)).toEqual(message);
      }),
      { numRuns: 100 },
    );
  });
});

describe('keys and text', () => {
  const recipient = nacl.box.keyPair();

  it.each([0, 31, 33, 64])('refuses a %d-byte public or secret key with a clear error', (length) => {
    const key = new Uint8Array(length);
    const sealError = errorOf(() => sealBox(Uint8Array.of(1), key));
    expect(sealError.code).toBe('invalid-input');
    expect(sealError.message).toBe(
      `The recipient's public key must be 32 bytes (an X25519 key), but it is ${length} bytes. Copy the runner's public key again, whole.`,
    );
    const sealed = sealBox(Uint8Array.of(1), recipient.publicKey);
    expect(errorOf(() => openSealedBox(sealed, key, recipient.secretKey)).message).toMatch(/^The recipient's public key must be 32 bytes/);
    expect(errorOf(() => openSealedBox(sealed, recipient.publicKey, key)).message).toMatch(/^The recipient's secret key must be 32 bytes/);
  });

  it('refuses values that are not bytes', () => {
    expect(errorOf(() => sealBox('text' as unknown as Uint8Array, recipient.publicKey)).code).toBe('invalid-input');
    expect(errorOf(() => sealBox(Uint8Array.of(1), [1, 2] as unknown as Uint8Array)).code).toBe('invalid-input');
    expect(errorOf(() => openSealedBox('x' as unknown as Uint8Array, recipient.publicKey, recipient.secretKey)).code).toBe('invalid-input');
  });

  it('round-trips text, including an empty string and all of Unicode', () => {
    const publicKeyBase64 = bytesToBase64(recipient.publicKey);
    for (const text of ['', 'x', 'pässwörd €', '\u{1f511} key', '\ufefflead BOM', 'a'.repeat(100_000)]) {
      const sealed = sealToBase64(text, publicKeyBase64);
      expect(openFromBase64(sealed, recipient.publicKey, recipient.secretKey)).toBe(text);
    }
  });

  it('reads a base64 public key and says what is wrong with a bad one', () => {
    expect(publicKeyFromBase64(bytesToBase64(recipient.publicKey))).toEqual(recipient.publicKey);
    const short = errorOf(() => sealToBase64('s', bytesToBase64(new Uint8Array(31))));
    expect(short.code).toBe('invalid-input');
    expect(short.message).toMatch(/^The public key must be 32 bytes \(an X25519 key\), but it is 31 bytes/);
    const notBase64 = errorOf(() => sealToBase64('s', `${bytesToBase64(recipient.publicKey)}\n`));
    expect(notBase64.message).toMatch(/^The public key is not valid base64: a line break at position 45/);
    const url = errorOf(() => sealToBase64('s', bytesToBase64(recipient.publicKey).replace(/=$/, '')));
    expect(url.message).toMatch(/^The public key is not valid base64: .*padding/);
  });

  it('refuses text with a lone surrogate instead of sealing something else', () => {
    const error = errorOf(() => sealToBase64('secret\ud800', bytesToBase64(recipient.publicKey)));
    expect(error.message).toMatch(/^The text to seal cannot be encoded as UTF-8/);
  });

  it('openFromBase64: null when it does not open, an error for text that is not base64 or a box that holds no UTF-8', () => {
    const other = nacl.box.keyPair();
    const sealed = sealToBase64('secret', bytesToBase64(recipient.publicKey));
    expect(openFromBase64(sealed, other.publicKey, other.secretKey)).toBeNull();
    expect(openFromBase64('', recipient.publicKey, recipient.secretKey)).toBeNull();
    expect(errorOf(() => openFromBase64('not base64!', recipient.publicKey, recipient.secretKey)).message).toMatch(/^The sealed text is not valid base64/);
    const binary = bytesToBase64(sealBox(Uint8Array.of(0xff, 0xfe), recipient.publicKey));
    expect(errorOf(() => openFromBase64(binary, recipient.publicKey, recipient.secretKey)).message).toMatch(
      /^The opened sealed box is not valid UTF-8 text/,
    );
  });
});
