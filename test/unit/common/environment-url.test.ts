import { describe, expect, it } from 'vitest';
import { apiMethods, environmentRequestSchema } from '../../../electron/common/api';
import { createEnvironmentRequestSchema } from '../../../electron/common/runner-api';
import { UNSAFE_URL_MESSAGE } from '../../../electron/common/safe-text';

// A URL pasted, dropped or typed is held to the deep-link parser's rule: no
// invisible or direction-changing characters, so that what the user confirmed
// is what is cloned.

const good = 'https://github.com/octo/hello/tree/main';
const unsafe = [
  // U+202E RIGHT-TO-LEFT OVERRIDE: "…/olleh/…" reads as another path.
  'https://github.com/octo/\u202eolleh/tree/main',
  // U+200B ZERO WIDTH SPACE: looks like octo/hello.
  'https://github.com/oc\u200bto/hello',
];

const firstMessage = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues[0]?.message;

describe('environment URL inputs', () => {
  it.each([
    ['matchEnvironment', (url: string) => apiMethods.matchEnvironment.input.safeParse({ url })],
    ['createEnvironment', (url: string) => apiMethods.createEnvironment.input.safeParse({ runnerId: 'local', url, tokenId: null, depth: 'full', remember: false })],
    ['the runner’s createEnvironment request', (url: string) => createEnvironmentRequestSchema.safeParse({ url, tokenId: null, depth: 'full' })],
    ['a waiting request', (url: string) => environmentRequestSchema.safeParse({ id: 'r_0123456789abcdef', url, source: 'link', receivedAt: new Date().toISOString() })],
  ])('%s takes a plain URL and refuses one with U+202E or U+200B, saying why', (_name, parse) => {
    expect(parse(good).success).toBe(true);
    for (const url of unsafe) {
      const result = parse(url);
      expect(result.success).toBe(false);
      expect(firstMessage(result)).toBe(UNSAFE_URL_MESSAGE);
    }
  });
});
