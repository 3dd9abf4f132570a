import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  base64UrlToBytes,
  bytesToBase64,
  bytesToBase64Url,
  utf8Decode,
  utf8Encode,
} from '../../../electron/common/encoding';
import { PaddockError } from '../../../electron/common/errors';

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function errorOf(fn: () => unknown): PaddockError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PaddockError);
    return error as PaddockError;
  }
  throw new Error('expected an error');
}

describe('base64', () => {
  // RFC 4648 §10.
  const vectors: [string, string, string][] = [
    ['', '', ''],
    ['f', 'Zg==', 'Zg'],
    ['fo', 'Zm8=', 'Zm8'],
    ['foo', 'Zm9v', 'Zm9v'],
    ['foob', 'Zm9vYg==', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE=', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy', 'Zm9vYmFy'],
  ];

  it.each(vectors)('encodes and decodes the RFC 4648 vector %j', (plain, b64, b64url) => {
    expect(bytesToBase64(ascii(plain))).toBe(b64);
    expect(base64ToBytes(b64)).toEqual(ascii(plain));
    expect(bytesToBase64Url(ascii(plain))).toBe(b64url);
    expect(base64UrlToBytes(b64url)).toEqual(ascii(plain));
  });

  it('uses + and / in base64 and - and _ in base64url', () => {
    const bytes = Uint8Array.of(0xfb, 0xff, 0xbf);
    expect(bytesToBase64(bytes)).toBe('+/+/');
    expect(bytesToBase64Url(bytes)).toBe('-_-_');
    expect(base64ToBytes('+/+/')).toEqual(bytes);
    expect(base64UrlToBytes('-_-_')).toEqual(bytes);
  });

  it('matches Node for any bytes, both ways', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const b64 = Buffer.from(bytes).toString('base64');
        const b64url = Buffer.from(bytes).toString('base64url');
        expect(bytesToBase64(bytes)).toBe(b64);
        expect(bytesToBase64Url(bytes)).toBe(b64url);
        expect(base64ToBytes(b64)).toEqual(bytes);
        expect(base64UrlToBytes(b64url)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('handles a large input (4 MiB) without exhausting the stack', () => {
    const bytes = new Uint8Array(4 * 1024 * 1024).map((_, i) => (i * 31 + 7) & 255);
    const b64 = bytesToBase64(bytes);
    expect(b64).toBe(Buffer.from(bytes).toString('base64'));
    expect(base64ToBytes(b64)).toEqual(bytes);
  });

  it('accepts base64url with exact padding, and without', () => {
    expect(base64UrlToBytes('Zg==')).toEqual(ascii('f'));
    expect(base64UrlToBytes('Zm8=')).toEqual(ascii('fo'));
    expect(base64UrlToBytes('Zm8')).toEqual(ascii('fo'));
  });

  it.each([
    ['Zg', 'not a multiple of 4'],
    ['Zm9', 'not a multiple of 4'],
    ['Zg=', 'padding'],
    ['Zg===', 'padding'],
    ['Zm9v====', 'padding'],
    ['Z===', 'cannot encode whole bytes'],
    ['Zm=v', "'=' at position 3"],
    ['=Zm9', "'=' at position 1"],
    ['Zm9vY', 'cannot encode whole bytes'],
    ['Zm9vY===', 'cannot encode whole bytes'],
    ['Zm9v=', 'padding'],
    ['Zh==', 'canonical'],
    ['Zm9=', 'canonical'],
    ['Zm-v', "'-' at position 3 is not in the base64 alphabet"],
    ['Zm_v', "'_' at position 3"],
    ['Zm9v\n', 'a line break at position 5'],
    [' Zm9v', 'a space at position 1'],
    ['Zm9v Zm9v', 'a space'],
    ['Zm\u00e9v', "'é' at position 3"],
    ['Zm\u0000v', 'control character U+0000'],
  ])('refuses base64 %j (%s)', (text, reason) => {
    const error = errorOf(() => base64ToBytes(text, 'The public key'));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(/^The public key is not valid base64: /);
    expect(error.message).toContain(reason);
  });

  it.each([
    ['Zm+v', "'+' at position 3 is not in the base64url alphabet"],
    ['Zm/v', "'/'"],
    ['Z', 'cannot encode whole bytes'],
    ['Zg=', 'padding'],
    ['Zm8==', 'padding'],
    ['Zh', 'canonical'],
    ['Zm9', 'canonical'],
    ['Zm8\t', 'a tab'],
  ])('refuses base64url %j (%s)', (text, reason) => {
    const error = errorOf(() => base64UrlToBytes(text));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(/^The text is not valid base64url: /);
    expect(error.message).toContain(reason);
  });

  it('accepts exactly the texts that it would produce (no two texts decode to the same bytes)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'AZaz09+/-_= \n'.split('')), maxLength: 12 }), (text) => {
        let bytes: Uint8Array | undefined;
        try {
          bytes = base64ToBytes(text);
        } catch (error) {
          expect(error).toBeInstanceOf(PaddockError);
        }
        if (bytes) expect(bytesToBase64(bytes)).toBe(text);
        let urlBytes: Uint8Array | undefined;
        try {
          urlBytes = base64UrlToBytes(text);
        } catch (error) {
          expect(error).toBeInstanceOf(PaddockError);
        }
        if (urlBytes) expect(bytesToBase64Url(urlBytes)).toBe(text.replace(/=+$/, ''));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('utf8', () => {
  it.each([
    ['', []],
    ['a', [0x61]],
    ['é', [0xc3, 0xa9]],
    ['€', [0xe2, 0x82, 0xac]],
    ['\u{1f511}', [0xf0, 0x9f, 0x94, 0x91]],
    ['\u0000', [0x00]],
    ['\u007f\u0080\u07ff\u0800\uffff\u{10000}\u{10ffff}', [0x7f, 0xc2, 0x80, 0xdf, 0xbf, 0xe0, 0xa0, 0x80, 0xef, 0xbf, 0xbf, 0xf0, 0x90, 0x80, 0x80, 0xf4, 0x8f, 0xbf, 0xbf]],
    ['\ufeffBOM kept', [0xef, 0xbb, 0xbf, 0x42, 0x4f, 0x4d, 0x20, 0x6b, 0x65, 0x70, 0x74]],
  ])('encodes and decodes %j', (text, bytes) => {
    expect(utf8Encode(text)).toEqual(Uint8Array.from(bytes));
    expect(utf8Decode(Uint8Array.from(bytes))).toBe(text);
  });

  it('matches Node for any well-formed string, both ways', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const expected = new Uint8Array(Buffer.from(text, 'utf8'));
        expect(utf8Encode(text)).toEqual(expected);
        expect(utf8Decode(expected)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a lone surrogate instead of replacing it', () => {
    for (const text of ['\ud800', 'a\udc00b', '\udbff', '\udc00\ud800', 'x\ud83d']) {
      const error = errorOf(() => utf8Encode(text, 'The client secret'));
      expect(error.code).toBe('invalid-input');
      expect(error.message).toMatch(/^The client secret cannot be encoded as UTF-8: it has an unpaired surrogate/);
    }
  });

  it.each([
    [[0x80], 1],
    [[0x61, 0xbf], 2],
    [[0xc0, 0x80], 1], // overlong NUL
    [[0xc1, 0xbf], 1], // overlong
    [[0xe0, 0x80, 0x80], 1], // overlong
    [[0xf0, 0x80, 0x80, 0x80], 1], // overlong
    [[0xed, 0xa0, 0x80], 1], // encoded surrogate
    [[0xf4, 0x90, 0x80, 0x80], 1], // above U+10FFFF
    [[0xf5, 0x80, 0x80, 0x80], 1],
    [[0xff], 1],
    [[0x61, 0x62, 0xe2, 0x82], 3], // truncated
    [[0xc3], 1],
    [[0xc3, 0x28], 1],
  ])('refuses invalid UTF-8 %j, naming byte %d', (bytes, at) => {
    const error = errorOf(() => utf8Decode(Uint8Array.from(bytes), 'The opened secret'));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toBe(`The opened secret is not valid UTF-8 text: the sequence at byte ${at} is invalid or incomplete.`);
  });

  it('accepts and refuses exactly what a fatal TextDecoder does, with the same text', () => {
    const nearUtf8 = fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom(0x80, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0x9f, 0xa0),
      ),
      { maxLength: 24 },
    );
    fc.assert(
      fc.property(nearUtf8, (array) => {
        const bytes = Uint8Array.from(array);
        let expected: string | undefined;
        try {
          expected = strictDecoder.decode(bytes);
        } catch {
          expected = undefined;
        }
        if (expected === undefined) {
          expect(() => utf8Decode(bytes)).toThrow(PaddockError);
        } else {
          expect(utf8Decode(bytes)).toBe(expected);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('handles large text', () => {
    const text = 'ß€\u{1f511}a'.repeat(300_000);
    const bytes = utf8Encode(text);
    expect(bytes).toEqual(new Uint8Array(Buffer.from(text, 'utf8')));
    expect(utf8Decode(bytes)).toBe(text);
  });
});
