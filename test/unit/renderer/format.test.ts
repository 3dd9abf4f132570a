import { describe, expect, it } from 'vitest';
import { defaultRunnerName, fingerprintGroups, relativeTime, relativeToNow } from '../../../renderer/src/format';

describe('relativeTime', () => {
  const now = new Date('2025-05-03T12:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

  it.each([
    [0, 'just now'],
    [9, 'just now'],
    [-30, 'just now'], // a clock slightly ahead
    [10, '10 seconds ago'],
    [59, '59 seconds ago'],
    [60, '1 minute ago'],
    [150, '2 minutes ago'],
    [3599, '59 minutes ago'],
    [3600, '1 hour ago'],
    [26 * 3600, '1 day ago'],
    [8 * 24 * 3600, '1 week ago'],
    [40 * 24 * 3600, '1 month ago'],
    [400 * 24 * 3600, '1 year ago'],
  ])('%i s → %s', (seconds, text) => {
    expect(relativeTime(ago(seconds), now)).toBe(text);
  });
});

describe('fingerprintGroups', () => {
  const spki = 'sha256/ElKNmkHltyqJL5xgtDMLFD6sg282EdjglGQPh507Mak=';

  it('keeps the prefix and cuts the rest into groups of four', () => {
    const { prefix, groups } = fingerprintGroups(spki);
    expect(prefix).toBe('sha256/');
    expect(groups).toEqual(['ElKN', 'mkHl', 'tyqJ', 'L5xg', 'tDML', 'FD6s', 'g282', 'Edjg', 'lGQP', 'h507', 'Mak=']);
  });

  it('gives the exact fingerprint back when joined', () => {
    const { prefix, groups } = fingerprintGroups(spki);
    expect(prefix + groups.join('')).toBe(spki);
  });

  it('copes with a value without a prefix or of odd length', () => {
    expect(fingerprintGroups('abcdef')).toEqual({ prefix: '', groups: ['abcd', 'ef'] });
    expect(fingerprintGroups('')).toEqual({ prefix: '', groups: [] });
  });
});

describe('defaultRunnerName', () => {
  it.each([
    ['https://runner.example.com:8443', 'runner.example.com'],
    ['https://127.0.0.1:4000', '127.0.0.1'],
    ['https://[::1]:8443', '::1'],
    ['not a url', 'Server runner'],
  ])('%s → %s', (url, name) => {
    expect(defaultRunnerName(url)).toBe(name);
  });
});

describe('relativeToNow', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  it.each([
    ['2026-12-07T13:00:00Z', 'in 5 days'],
    ['2026-12-02T15:30:00Z', 'in 3 hours'],
    ['2026-11-30T11:00:00Z', '2 days ago'],
    ['2027-02-01T12:00:00Z', 'in 2 months'],
    ['2026-12-02T12:00:40Z', 'now'],
    ['2026-12-02T11:59:30Z', 'now'],
  ])('%s is %s', (then, text) => {
    expect(relativeToNow(new Date(then), now)).toBe(text);
  });
});
