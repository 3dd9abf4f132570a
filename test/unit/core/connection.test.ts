import { describe, expect, it } from 'vitest';
import { connectTls, parseRunnerUrl, pinnedConnection, SpkiMismatchError } from '../../../electron/core/runners/connection';
import { okResponseSchema } from '../../../electron/common/runner-api';

describe('pinning cannot be switched off by a missing fingerprint', () => {
  it.each(['', 'sha256/short', 'null'])('refuses the pin %j before connecting', async (spki) => {
    await expect(connectTls(new URL('https://127.0.0.1:1'), { spki })).rejects.toBeInstanceOf(SpkiMismatchError);
    await expect(pinnedConnection(new URL('https://127.0.0.1:1'), spki).request({ method: 'GET', path: '/v1/status' }, okResponseSchema)).rejects.toBeInstanceOf(
      SpkiMismatchError,
    );
  });
});

describe('parseRunnerUrl', () => {
  it.each(['https://runner.example.com:8443', 'https://10.0.0.5', 'https://[::1]:8443/'])('accepts %s', (url) => expect(parseRunnerUrl(url).protocol).toBe('https:'));
  it.each([
    ['http://runner.example.com', /https/],
    ['https://user:pw@runner.example.com', /user name or password/],
    ['https://runner.example.com/path', /without a path/],
    ['runner.example.com', /Enter the runner/],
  ])('refuses %s', (url, message) => expect(() => parseRunnerUrl(url)).toThrow(message));
});
