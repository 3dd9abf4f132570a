import { describe, expect, it } from 'vitest';
import { deadlineSentence, defaultRunnerName, fingerprintGroups, noteText, relativeTime, relativeToNow, tokenNameInSentence } from '../../../renderer/src/format';

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

describe('deadlineSentence', () => {
  const appPasswords = { what: 'App passwords', date: '2026-06-09' };
  // Local noon: the user's calendar day, whatever the machine's time zone.
  const day = (year: number, month: number, date: number) => new Date(year, month - 1, date, 12);

  it('says a past deadline in the past tense, the date in the locale', () => {
    expect(deadlineSentence(appPasswords, day(2026, 12, 4), 'en-GB')).toBe('App passwords stopped working on 9 June 2026.');
    expect(deadlineSentence(appPasswords, day(2026, 6, 10), 'en-GB')).toBe('App passwords stopped working on 9 June 2026.');
  });

  it('says “today” on the day itself, early or late', () => {
    const global = { what: 'Global tokens', date: '2026-12-01' };
    expect(deadlineSentence(global, new Date(2026, 11, 1, 0, 1), 'en-GB')).toBe('Global tokens stop working today.');
    expect(deadlineSentence(global, new Date(2026, 11, 1, 23, 59), 'en-GB')).toBe('Global tokens stop working today.');
  });

  it('says how near a future deadline is, within a month', () => {
    expect(deadlineSentence(appPasswords, day(2026, 6, 8), 'en-GB')).toBe('App passwords stop working on 9 June 2026, tomorrow.');
    expect(deadlineSentence(appPasswords, day(2026, 6, 4), 'en-GB')).toBe('App passwords stop working on 9 June 2026, in 5 days.');
    expect(deadlineSentence(appPasswords, day(2026, 1, 1), 'en-GB')).toBe('App passwords stop working on 9 June 2026.');
  });

  it('writes the date in the user’s locale', () => {
    expect(deadlineSentence(appPasswords, day(2026, 12, 4), 'en-US')).toBe('App passwords stopped working on June 9, 2026.');
    expect(deadlineSentence(appPasswords, day(2026, 12, 4), 'de-DE')).toBe('App passwords stopped working on 9. Juni 2026.');
    expect(deadlineSentence(appPasswords, day(2026, 6, 4), 'fr-FR')).toBe('App passwords stop working on 9 juin 2026, dans 5 jours.');
  });

  it('puts a note’s deadline before its text', () => {
    const note = { text: 'Use API tokens with scopes.', deadline: appPasswords };
    expect(noteText(note, day(2026, 12, 4), 'en-GB')).toBe('App passwords stopped working on 9 June 2026. Use API tokens with scopes.');
    expect(noteText({ text: 'API tokens without scopes do not work for git.' }, day(2026, 12, 4))).toBe('API tokens without scopes do not work for git.');
  });
});

describe('tokenNameInSentence', () => {
  it.each([
    ['Personal access token', 'personal access token', 'a personal access token'],
    ['Personal access token (classic)', 'personal access token (classic)', 'a personal access token (classic)'],
    ['API token', 'API token', 'an API token'],
    ['HTTP access token', 'HTTP access token', 'an HTTP access token'],
    ['OAuth token', 'OAuth token', 'an OAuth token'],
  ])('%s → %s', (name, inSentence, withArticle) => {
    expect(tokenNameInSentence(name)).toBe(inSentence);
    expect(tokenNameInSentence(name, { article: true })).toBe(withArticle);
  });

  it('drops the qualifier when asked to be short', () => {
    expect(tokenNameInSentence('Personal access token (classic)', { article: true, short: true })).toBe('a personal access token');
    expect(tokenNameInSentence('API token', { short: true })).toBe('API token');
  });
});
