import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compareFingerprint, fingerprintBytes } from '../../../renderer/src/fingerprint';

const digest = createHash('sha256').update('a runner’s SPKI').digest();
const spki = `sha256/${digest.toString('base64')}`;
const hex = digest.toString('hex');
const colonHex = hex.toUpperCase().match(/../g)!.join(':');

describe('compareFingerprint', () => {
  it('is empty before anything is pasted', () => {
    expect(compareFingerprint('', spki)).toBe('empty');
    expect(compareFingerprint('  \n ', spki)).toBe('empty');
  });

  it.each([
    ['as the runner prints it', spki],
    ['with the status line’s label', `Fingerprint:   ${spki}`],
    ['with the serve line in front', `TLS public key fingerprint (SPKI SHA-256), compare it in the app: ${spki}`],
    ['inside a log line', `{"level":"info","spki":"${spki}"}`],
    ['without the prefix', spki.slice('sha256/'.length)],
    ['without its padding', spki.replace(/=+$/, '')],
    ['with spaces and line breaks, as copied from the grouped display', `  sha256/ ${spki.slice(7, 20)}\n${spki.slice(20, 30)} ${spki.slice(30)} `],
    ['as lower-case hex', hex],
    ['as colon-separated upper-case hex', colonHex],
    ['as hex after sha256:', `SHA256:${colonHex}`],
  ])('matches the fingerprint %s', (_, pasted) => {
    expect(compareFingerprint(pasted, spki)).toBe('match');
  });

  it('does not match another fingerprint, a changed character or a change of case in base64', () => {
    const other = `sha256/${createHash('sha256').update('another key').digest('base64')}`;
    expect(compareFingerprint(other, spki)).toBe('mismatch');
    const body = spki.slice(7);
    const flipped = body[0] === 'A' ? `B${body.slice(1)}` : `A${body.slice(1)}`;
    expect(compareFingerprint(`sha256/${flipped}`, spki)).toBe('mismatch');
    // base64 is case-sensitive: another case is another digest.
    const swapped = body.replace(/[a-z]/, (c) => c.toUpperCase());
    expect(swapped).not.toBe(body);
    expect(compareFingerprint(`sha256/${swapped}`, spki)).toBe('mismatch');
    expect(compareFingerprint(hex.slice(2), spki)).toBe('mismatch');
  });

  it('does not match text that holds no fingerprint', () => {
    expect(compareFingerprint('hello', spki)).toBe('mismatch');
    expect(compareFingerprint('sha256/', spki)).toBe('mismatch');
    expect(compareFingerprint(spki.slice(0, 30), spki)).toBe('mismatch');
    expect(fingerprintBytes('sha256/@@@@')).toBeNull();
  });
});
