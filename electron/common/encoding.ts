import { PaddockError } from './errors';

// Base64 (RFC 4648 §4, with padding), base64url (§5, without padding) and
// UTF-8, written out because electron/common compiles without DOM or Node
// types: no Buffer, no TextEncoder/TextDecoder, no atob/btoa. Decoders are
// strict, so that one byte string has exactly one accepted text form: a
// character outside the alphabet, whitespace, a wrong length, misplaced
// padding or non-zero bits after the last byte are all refused with an error
// that says which.

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Character code → 6-bit value, -1 for characters outside the alphabet. */
function decodeTable(alphabet: string): Int16Array {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}

const BASE64_TABLE = decodeTable(BASE64_ALPHABET);
const BASE64URL_TABLE = decodeTable(BASE64URL_ALPHABET);

/** Code units are collected and turned into a string in slices, so large inputs never overflow the call stack. */
const CHUNK = 0x2000;

function codesToString(codes: Uint16Array | number[], length: number): string {
  let out = '';
  for (let i = 0; i < length; i += CHUNK) {
    out += String.fromCharCode(...codes.slice(i, Math.min(i + CHUNK, length)));
  }
  return out;
}

function encode(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  const codes = new Uint16Array(Math.ceil(bytes.length / 3) * 4);
  let n = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const word = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    codes[n++] = alphabet.charCodeAt(word >>> 18);
    codes[n++] = alphabet.charCodeAt((word >>> 12) & 63);
    codes[n++] = alphabet.charCodeAt((word >>> 6) & 63);
    codes[n++] = alphabet.charCodeAt(word & 63);
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const word = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    codes[n++] = alphabet.charCodeAt(word >>> 18);
    codes[n++] = alphabet.charCodeAt((word >>> 12) & 63);
    if (rest === 2) codes[n++] = alphabet.charCodeAt((word >>> 6) & 63);
    if (pad) {
      codes[n++] = 61; // '='
      if (rest === 1) codes[n++] = 61;
    }
  }
  return codesToString(codes, n);
}

function invalid(label: string, reason: string): PaddockError {
  return new PaddockError('invalid-input', `${label} is not valid ${reason}`);
}

function describeChar(text: string, index: number): string {
  const code = text.charCodeAt(index);
  if (code === 0x20) return 'a space';
  if (code === 0x0a || code === 0x0d) return 'a line break';
  if (code === 0x09) return 'a tab';
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${String.fromCodePoint(text.codePointAt(index)!)}'`;
}

/**
 * Decodes `text` with `table`; `label` and `kind` name the input and its
 * encoding in error messages. Characters are checked first, since a stray
 * space or line break is the likeliest mistake, then padding, then length.
 */
function decode(text: string, table: Int16Array, label: string, kind: string, paddingRequired: boolean): Uint8Array {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 61 && (code >= 128 || table[code]! < 0)) {
      throw invalid(label, `${kind}: ${describeChar(text, i)} at position ${i + 1} is not in the ${kind} alphabet.`);
    }
  }
  let bodyLength = text.length;
  while (bodyLength > 0 && text.charCodeAt(bodyLength - 1) === 61) bodyLength--;
  const padding = text.length - bodyLength;
  const misplaced = text.indexOf('=');
  if (misplaced >= 0 && misplaced < bodyLength) {
    throw invalid(label, `${kind}: '=' at position ${misplaced + 1} is padding and may appear only at the end.`);
  }
  const tail = bodyLength % 4;
  if (tail === 1) {
    throw invalid(label, `${kind}: ${bodyLength} characters before any padding cannot encode whole bytes (one too many or too few).`);
  }
  if (padding > 0 && (tail === 0 || padding !== 4 - tail)) {
    throw invalid(label, `${kind}: its padding ('${'='.repeat(padding)}') does not match its length.`);
  }
  if (padding === 0 && tail !== 0 && paddingRequired) {
    throw invalid(label, `${kind}: its length (${text.length}) is not a multiple of 4, so its '=' padding is missing or characters were lost.`);
  }
  const out = new Uint8Array(Math.floor((bodyLength * 3) / 4));
  let n = 0;
  let word = 0;
  for (let i = 0; i < bodyLength; i++) {
    word = (word << 6) | table[text.charCodeAt(i)]!;
    if ((i & 3) === 3) {
      out[n++] = word >>> 16;
      out[n++] = (word >>> 8) & 255;
      out[n++] = word & 255;
      word = 0;
    }
  }
  const nonCanonical = `${kind}: its last character carries bits that belong to no byte (it is not the canonical encoding of any bytes).`;
  if (tail === 2) {
    if (word & 15) throw invalid(label, nonCanonical);
    out[n] = word >>> 4;
  } else if (tail === 3) {
    if (word & 3) throw invalid(label, nonCanonical);
    out[n] = word >>> 10;
    out[n + 1] = (word >>> 2) & 255;
  }
  return out;
}

/** Standard base64 (RFC 4648 §4) with '=' padding. */
export function bytesToBase64(bytes: Uint8Array): string {
  return encode(bytes, BASE64_ALPHABET, true);
}

/**
 * Decodes standard base64 with its '=' padding. Refuses, with a
 * PaddockError 'invalid-input' whose message starts with `label`:
 * characters outside the alphabet (base64url's '-' and '_', whitespace and
 * line breaks included), a length that is not a multiple of 4, misplaced or
 * missing padding, and non-canonical text (non-zero bits after the last byte).
 */
export function base64ToBytes(text: string, label = 'The text'): Uint8Array {
  return decode(text, BASE64_TABLE, label, 'base64', true);
}

/** base64url (RFC 4648 §5: '-' and '_' for '+' and '/') without padding, as used in URLs and tokens. */
export function bytesToBase64Url(bytes: Uint8Array): string {
  return encode(bytes, BASE64URL_ALPHABET, false);
}

/**
 * Decodes base64url. Padding is optional but, when present, must be exact;
 * everything else is refused as in {@link base64ToBytes}.
 */
export function base64UrlToBytes(text: string, label = 'The text'): Uint8Array {
  return decode(text, BASE64URL_TABLE, label, 'base64url', false);
}

/**
 * UTF-8 bytes of `text`. A lone surrogate (which has no UTF-8 form) is
 * refused rather than silently replaced by U+FFFD as TextEncoder does, so
 * that a secret is never altered on its way to bytes.
 */
export function utf8Encode(text: string, label = 'The text'): Uint8Array {
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      out[n++] = code;
    } else if (code < 0x800) {
      out[n++] = 0xc0 | (code >>> 6);
      out[n++] = 0x80 | (code & 63);
    } else if (code >= 0xd800 && code <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (code > 0xdbff || next < 0xdc00 || next > 0xdfff) {
        throw new PaddockError(
          'invalid-input',
          `${label} cannot be encoded as UTF-8: it has an unpaired surrogate (U+${code.toString(16).toUpperCase()}) at position ${i + 1}.`,
        );
      }
      code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
      i++;
      out[n++] = 0xf0 | (code >>> 18);
      out[n++] = 0x80 | ((code >>> 12) & 63);
      out[n++] = 0x80 | ((code >>> 6) & 63);
      out[n++] = 0x80 | (code & 63);
    } else {
      out[n++] = 0xe0 | (code >>> 12);
      out[n++] = 0x80 | ((code >>> 6) & 63);
      out[n++] = 0x80 | (code & 63);
    }
  }
  return out.slice(0, n);
}

/**
 * Text of UTF-8 `bytes`. Strict like `new TextDecoder('utf-8', { fatal: true,
 * ignoreBOM: true })`: truncated or invalid sequences, overlong forms,
 * encoded surrogates and code points above U+10FFFF are refused with a
 * PaddockError 'invalid-input' naming the byte; a byte order mark is kept.
 */
export function utf8Decode(bytes: Uint8Array, label = 'The data'): string {
  const codes = new Uint16Array(bytes.length);
  let n = 0;
  const bad = (at: number) =>
    new PaddockError('invalid-input', `${label} is not valid UTF-8 text: the sequence at byte ${at + 1} is invalid or incomplete.`);
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      codes[n++] = lead;
      i++;
      continue;
    }
    let need: number;
    let code: number;
    let min: number;
    if (lead >= 0xc2 && lead <= 0xdf) {
      need = 1;
      code = lead & 0x1f;
      min = 0x80;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      need = 2;
      code = lead & 0x0f;
      min = 0x800;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      need = 3;
      code = lead & 0x07;
      min = 0x10000;
    } else {
      throw bad(i);
    }
    for (let k = 1; k <= need; k++) {
      const cont = bytes[i + k];
      if (cont === undefined || (cont & 0xc0) !== 0x80) throw bad(i);
      code = (code << 6) | (cont & 63);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw bad(i);
    if (code >= 0x10000) {
      code -= 0x10000;
      codes[n++] = 0xd800 | (code >>> 10);
      codes[n++] = 0xdc00 | (code & 0x3ff);
    } else {
      codes[n++] = code;
    }
    i += need + 1;
  }
  return codesToString(codes, n);
}
