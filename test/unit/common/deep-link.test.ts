import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deepLinkActionSchema,
  deepLinkFor,
  deepLinkFromArgv,
  deepLinkResultSchema,
  maxCodeLength,
  maxDeepLinkLength,
  maxErrorDescriptionLength,
  maxOAuthErrorLength,
  maxOpenUrlLength,
  maxStateLength,
  parseDeepLink,
  type DeepLinkAction,
  type DeepLinkErrorCode,
  type DeepLinkResult,
} from '../../../electron/common/deep-link';

// Issue 9, point 8: one parser for every paddock:// link, an allow-list of
// actions, typed refusals that never repeat a secret, fuzzed without a throw.

const e = encodeURIComponent;
const CODE = 'canary-code-Q7xZ9';
const STATE = 'canary-state-K3pW2';

function refused(link: string): { code: DeepLinkErrorCode; message: string } {
  const result = parseDeepLink(link);
  if (result.ok) throw new Error(`accepted ${link}`);
  return result.error;
}

describe('parseDeepLink: accepted forms', () => {
  it.each<[string, string, DeepLinkAction]>([
    ['a callback with a code', `paddock://oauth/callback?code=${CODE}&state=${STATE}`, { type: 'oauth-callback', state: STATE, code: CODE }],
    ['its parameters in the other order', `paddock://oauth/callback?state=${STATE}&code=${CODE}`, { type: 'oauth-callback', state: STATE, code: CODE }],
    [
      'percent-encoded and form-encoded values (RFC 6749 §4.1.2: x-www-form-urlencoded)',
      'paddock://oauth/callback?code=a%2Fb%3D%3D+c&state=s%20t',
      { type: 'oauth-callback', state: 's t', code: 'a/b== c' },
    ],
    ['an empty fragment', `paddock://oauth/callback?code=${CODE}&state=${STATE}#`, { type: 'oauth-callback', state: STATE, code: CODE }],
    [
      'the scheme and host in another case (RFC 3986 §3.1, §3.2.2: case-insensitive)',
      `PADDOCK://OAuth/callback?code=${CODE}&state=${STATE}`,
      { type: 'oauth-callback', state: STATE, code: CODE },
    ],
    [
      'Entra ID’s session_state, which is dropped',
      `paddock://oauth/callback?code=${CODE}&state=${STATE}&session_state=6f1b2c3d-0000-4000-8000-000000000000`,
      { type: 'oauth-callback', state: STATE, code: CODE },
    ],
    ['RFC 9207’s iss, which is dropped', `paddock://oauth/callback?code=${CODE}&state=${STATE}&iss=${e('https://gitlab.example')}`, { type: 'oauth-callback', state: STATE, code: CODE }],
    [
      'an error with a description',
      `paddock://oauth/callback?error=access_denied&error_description=${e('The user denied access.')}&state=${STATE}`,
      { type: 'oauth-callback-error', state: STATE, error: 'access_denied', description: 'The user denied access.' },
    ],
    ['an error without a description', `paddock://oauth/callback?error=invalid_scope&state=${STATE}`, { type: 'oauth-callback-error', state: STATE, error: 'invalid_scope', description: null }],
    [
      'an error with error_uri, which is not kept',
      `paddock://oauth/callback?error=server_error&error_uri=${e('https://provider.example/help')}&state=${STATE}`,
      { type: 'oauth-callback-error', state: STATE, error: 'server_error', description: null },
    ],
    [
      'Entra ID’s description with CR LF between its lines, folded into spaces',
      `paddock://oauth/callback?error=invalid_client&error_description=${e('AADSTS65001: consent required.\r\nTrace ID: 1\r\nTimestamp: 2026-12-02')}&state=${STATE}`,
      { type: 'oauth-callback-error', state: STATE, error: 'invalid_client', description: 'AADSTS65001: consent required. Trace ID: 1 Timestamp: 2026-12-02' },
    ],
    ['an empty description, read as none', `paddock://oauth/callback?error=access_denied&error_description=&state=${STATE}`, { type: 'oauth-callback-error', state: STATE, error: 'access_denied', description: null }],
    ['an open link', `paddock://open?url=${e('https://github.com/owner/repo/pull/7')}`, { type: 'open', url: 'https://github.com/owner/repo/pull/7' }],
    ['an open link with the slash a shell may add', `paddock://open/?url=${e('https://github.com/o/r')}`, { type: 'open', url: 'https://github.com/o/r' }],
    ['an open link with a non-ASCII branch, percent-encoded', `paddock://open?url=${e('https://github.com/o/r/tree/grüße')}`, { type: 'open', url: 'https://github.com/o/r/tree/grüße' }],
    ['an open link whose url is not a repository (the context-URL parser says so later)', 'paddock://open?url=not%20a%20url', { type: 'open', url: 'not a url' }],
  ])('%s', (_name, link, action) => {
    expect(parseDeepLink(link)).toEqual({ ok: true, action });
    expect(deepLinkActionSchema.parse(action)).toEqual(action);
  });

  it('accepts a code, state and link exactly at their limits', () => {
    const code = 'c'.repeat(maxCodeLength);
    const state = 's'.repeat(maxStateLength);
    expect(parseDeepLink(`paddock://oauth/callback?code=${code}&state=${state}`)).toEqual({ ok: true, action: { type: 'oauth-callback', state, code } });
    const url = `https://github.com/o/${'r'.repeat(maxOpenUrlLength - 'https://github.com/o/'.length)}`;
    expect(parseDeepLink(`paddock://open?url=${url}`)).toEqual({ ok: true, action: { type: 'open', url } });
    const padded = `paddock://open?url=${'u'.repeat(maxDeepLinkLength - 'paddock://open?url='.length)}`;
    expect(padded.length).toBe(maxDeepLinkLength);
    expect(refused(padded).code).toBe('too-long'); // the url's own limit is lower than the link's
  });
});

describe('parseDeepLink: refusals', () => {
  const ok = `code=${CODE}&state=${STATE}`;
  it.each<[string, string, DeepLinkErrorCode]>([
    ['another scheme', `https://oauth/callback?${ok}`, 'not-a-deep-link'],
    ['a scheme that only starts like it', `paddockx://oauth/callback?${ok}`, 'not-a-deep-link'],
    ['no scheme', `oauth/callback?${ok}`, 'not-a-deep-link'],
    ['an empty string', '', 'not-a-deep-link'],
    ['no //', `paddock:oauth/callback?${ok}`, 'malformed'],
    ['another host', `paddock://evil/callback?${ok}`, 'unknown-action'],
    ['no host', `paddock:///callback?${ok}`, 'unknown-action'],
    ['another path', `paddock://oauth/token?${ok}`, 'unknown-action'],
    ['the path in another case (RFC 3986 §6.2.2.1: case-sensitive)', `paddock://oauth/Callback?${ok}`, 'unknown-action'],
    ['a percent-encoded path', `paddock://oauth/%63allback?${ok}`, 'unknown-action'],
    ['a trailing slash on the callback', `paddock://oauth/callback/?${ok}`, 'unknown-action'],
    ['a dot segment', `paddock://oauth/./callback?${ok}`, 'unknown-action'],
    ['a host with a trailing dot', `paddock://oauth./callback?${ok}`, 'unknown-action'],
    ['open with a path', 'paddock://open/x?url=a', 'unknown-action'],
    ['user info', `paddock://user@oauth/callback?${ok}`, 'malformed'],
    ['user info with a password', `paddock://user:pw@oauth/callback?${ok}`, 'malformed'],
    ['a port', `paddock://oauth:443/callback?${ok}`, 'malformed'],
    ['an empty port', `paddock://oauth:/callback?${ok}`, 'malformed'],
    ['a fragment with data', `paddock://oauth/callback?${ok}#access_token=x`, 'malformed'],
    ['a query in the fragment', `paddock://oauth/callback#${ok}`, 'malformed'],
    ['a duplicate code', `paddock://oauth/callback?${ok}&code=other`, 'duplicate-parameter'],
    ['a duplicate state', `paddock://oauth/callback?${ok}&state=other`, 'duplicate-parameter'],
    ['a duplicate ignored parameter', `paddock://oauth/callback?${ok}&iss=a&iss=b`, 'duplicate-parameter'],
    ['a duplicate url', 'paddock://open?url=a&url=b', 'duplicate-parameter'],
    ['an unknown parameter', `paddock://oauth/callback?${ok}&redirect=https%3A%2F%2Fevil`, 'unknown-parameter'],
    ['a parameter name in another case', `paddock://oauth/callback?Code=${CODE}&state=${STATE}`, 'unknown-parameter'],
    ['a percent-encoded parameter name', `paddock://oauth/callback?c%6Fde=${CODE}&state=${STATE}`, 'unknown-parameter'],
    ['a token in the query', `paddock://oauth/callback?${ok}&access_token=x`, 'unknown-parameter'],
    ['a callback parameter on open', `paddock://open?url=a&state=${STATE}`, 'unknown-parameter'],
    ['an empty parameter', `paddock://oauth/callback?code=${CODE}&&state=${STATE}`, 'malformed'],
    ['a trailing &', `paddock://oauth/callback?${ok}&`, 'malformed'],
    ['a malformed percent-encoding', `paddock://oauth/callback?code=%E0%A4&state=${STATE}`, 'malformed'],
    ['a percent-encoded lone surrogate', `paddock://oauth/callback?code=%ED%A0%80&state=${STATE}`, 'malformed'],
    ['both code and error', `paddock://oauth/callback?${ok}&error=access_denied`, 'malformed'],
    ['a description without an error', `paddock://oauth/callback?${ok}&error_description=x`, 'malformed'],
    ['no query', 'paddock://oauth/callback', 'missing-parameter'],
    ['an empty query', 'paddock://oauth/callback?', 'missing-parameter'],
    ['no state', `paddock://oauth/callback?code=${CODE}`, 'missing-parameter'],
    ['an error without state', 'paddock://oauth/callback?error=access_denied', 'missing-parameter'],
    ['neither code nor error', `paddock://oauth/callback?state=${STATE}`, 'missing-parameter'],
    ['open without url', 'paddock://open', 'missing-parameter'],
    ['an empty code', `paddock://oauth/callback?code=&state=${STATE}`, 'invalid-parameter'],
    ['a code without =', `paddock://oauth/callback?code&state=${STATE}`, 'invalid-parameter'],
    ['an empty state', `paddock://oauth/callback?code=${CODE}&state=`, 'invalid-parameter'],
    ['a code with a control character', `paddock://oauth/callback?code=a%00b&state=${STATE}`, 'invalid-parameter'],
    ['a code outside ASCII', `paddock://oauth/callback?code=${e('café')}&state=${STATE}`, 'invalid-parameter'],
    ['a state with a line break', `paddock://oauth/callback?code=${CODE}&state=a%0Ab`, 'invalid-parameter'],
    ['an error outside ASCII', `paddock://oauth/callback?error=${e('dénié')}&state=${STATE}`, 'invalid-parameter'],
    ['a description with a control character', `paddock://oauth/callback?error=x&error_description=a%1Bb&state=${STATE}`, 'invalid-parameter'],
    ['an empty url', 'paddock://open?url=', 'invalid-parameter'],
    ['a url with a NUL', 'paddock://open?url=https%3A%2F%2Fgithub.com%2Fo%2Fr%00', 'invalid-parameter'],
    ['a url with a line break', 'paddock://open?url=https%3A%2F%2Fgithub.com%0A%2Fo%2Fr', 'invalid-parameter'],
    ['a url with a C1 control character', `paddock://open?url=${e('https://github.com/o/r\u0085')}`, 'invalid-parameter'],
    ['a url with a bidi override', `paddock://open?url=${e('https://github.com/o/\u202Erepo')}`, 'invalid-parameter'],
    ['a url with a zero-width space', `paddock://open?url=${e('https://git\u200Bhub.com/o/r')}`, 'invalid-parameter'],
    ['a url with a soft hyphen', `paddock://open?url=${e('https://git\u00ADhub.com/o/r')}`, 'invalid-parameter'],
    ['a url with a byte-order mark', `paddock://open?url=${e('\uFEFFhttps://github.com/o/r')}`, 'invalid-parameter'],
    ['a description with a line separator', `paddock://oauth/callback?error=x&error_description=${e('a\u2028b')}&state=${STATE}`, 'invalid-parameter'],
    ['a description with a paragraph separator', `paddock://oauth/callback?error=x&error_description=${e('a\u2029b')}&state=${STATE}`, 'invalid-parameter'],
    ['a raw space', `paddock://oauth/callback?code=a b&state=${STATE}`, 'invalid-characters'],
    ['a raw line break', `paddock://oauth/callback?${ok}\n`, 'invalid-characters'],
    ['a raw tab', `paddock://oauth/\tcallback?${ok}`, 'invalid-characters'],
    ['a raw NUL', `paddock://oauth/callback\u0000?${ok}`, 'invalid-characters'],
    ['a raw DEL', `paddock://oauth/callback?${ok}\u007f`, 'invalid-characters'],
    ['raw non-ASCII', `paddock://open?url=https://github.com/ö`, 'invalid-characters'],
    ['a raw lone high surrogate', `paddock://oauth/callback?code=a\uD800&state=${STATE}`, 'invalid-characters'],
    ['a raw lone low surrogate', `paddock://oauth/callback?code=\uDC00a&state=${STATE}`, 'invalid-characters'],
    ['a raw emoji', `paddock://oauth/callback?code=😀&state=${STATE}`, 'invalid-characters'],
    ['leading whitespace', ` paddock://oauth/callback?${ok}`, 'invalid-characters'],
    ['a full-width scheme', `ｐaddock://oauth/callback?${ok}`, 'invalid-characters'],
    ['a link over the limit', `paddock://oauth/callback?${ok}&iss=${'x'.repeat(maxDeepLinkLength)}`, 'too-long'],
    ['a code over its limit', `paddock://oauth/callback?code=${'c'.repeat(maxCodeLength + 1)}&state=${STATE}`, 'too-long'],
    ['a state over its limit', `paddock://oauth/callback?code=${CODE}&state=${'s'.repeat(maxStateLength + 1)}`, 'too-long'],
    ['an error over its limit', `paddock://oauth/callback?error=${'e'.repeat(maxOAuthErrorLength + 1)}&state=${STATE}`, 'too-long'],
    ['a description over its limit', `paddock://oauth/callback?error=x&error_description=${'d'.repeat(maxErrorDescriptionLength + 1)}&state=${STATE}`, 'too-long'],
    ['a url over its limit', `paddock://open?url=${'u'.repeat(maxOpenUrlLength + 1)}`, 'too-long'],
  ])('refuses %s', (_name, link, code) => {
    const error = refused(link);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^[A-Z].*\.$/);
    // A refusal never repeats the code or the state.
    expect(error.message).not.toContain(CODE);
    expect(error.message).not.toContain(STATE);
  });

  it('refuses a huge input by its length, whatever it holds', () => {
    // Ten million characters of invalid percent-encoding: refused as too long, not as malformed,
    // because the length is checked before anything is decoded (how fast is a benchmark's question).
    expect(refused(`paddock://open?url=${'%'.repeat(10_000_000)}`).code).toBe('too-long');
  });

  it('names an unknown parameter, but not one whose name could be anything', () => {
    expect(refused(`paddock://oauth/callback?code=${CODE}&state=${STATE}&redirect=x`).message).toContain('“redirect”');
    const odd = refused(`paddock://oauth/callback?code=${CODE}&state=${STATE}&${e('<script>')}=x`).message;
    expect(odd).toContain('a parameter');
    expect(odd).not.toContain('script');
    // A value that slipped into a name (a missing "=") is not repeated either.
    expect(refused(`paddock://oauth/callback?state=${STATE}&${CODE}`).message).not.toContain(CODE);
  });

  it('says which parameter is over its limit and what the limit is', () => {
    expect(refused(`paddock://oauth/callback?code=${'c'.repeat(maxCodeLength + 1)}&state=${STATE}`).message).toContain(`“code” is longer than ${maxCodeLength} characters`);
  });
});

describe('deepLinkFor', () => {
  it('writes each action as the link a provider or page would send', () => {
    expect(deepLinkFor({ type: 'oauth-callback', state: 's t', code: 'a/b' })).toBe('paddock://oauth/callback?code=a%2Fb&state=s%20t');
    expect(deepLinkFor({ type: 'oauth-callback-error', state: 's', error: 'access_denied', description: null })).toBe('paddock://oauth/callback?error=access_denied&state=s');
    expect(deepLinkFor({ type: 'open', url: 'https://github.com/o/r' })).toBe('paddock://open?url=https%3A%2F%2Fgithub.com%2Fo%2Fr');
  });
});

// ---- properties -------------------------------------------------------------

const printable = (max: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: max });
const description = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 120 })
  .map((text) => text.replace(/[\r\n\t]+/g, ' ').trim())
  .filter((text) => text !== '' && deepLinkActionSchema.safeParse({ type: 'open', url: text }).success);

const action: fc.Arbitrary<DeepLinkAction> = fc.oneof(
  fc.record({ type: fc.constant('oauth-callback' as const), state: printable(64), code: printable(300) }),
  fc.record({ type: fc.constant('oauth-callback-error' as const), state: printable(64), error: printable(40), description: fc.option(description, { nil: null }) }),
  fc.record({ type: fc.constant('open' as const), url: description }),
);

/** The same action written another way: parameter order, case of scheme and host, + for spaces, extra percent-encoding, an empty fragment, ignored parameters. */
const variant = (link: string) =>
  fc.record({ shuffle: fc.boolean(), upper: fc.boolean(), plus: fc.boolean(), encodeMore: fc.boolean(), hash: fc.boolean(), sessionState: fc.boolean() }).map((how) => {
    const [head, query = ''] = link.split('?') as [string, string?];
    let pairs = query.split('&');
    if (how.shuffle) pairs = pairs.reverse();
    if (how.plus) pairs = pairs.map((pair) => pair.replaceAll('%20', '+'));
    if (how.encodeMore) pairs = pairs.map((pair) => pair.replace(/=(.*)$/, (_m, value: string) => `=${value.replace(/%[0-9A-F]{2}|[A-Za-z]/g, (c) => (c.length === 3 ? c : `%${c.charCodeAt(0).toString(16)}`))}`));
    if (how.sessionState && head.endsWith('/callback')) pairs.push('session_state=abc');
    const scheme = how.upper ? head.replace(/^paddock:\/\/(oauth|open)/, (m) => m.toUpperCase()) : head;
    return `${scheme}?${pairs.join('&')}${how.hash ? '#' : ''}`;
  });

/** Arbitrary text, whole code points and lone UTF-16 halves alike. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
);

/** A valid link, then one random edit: characters inserted, a range removed, a piece repeated, a character's case changed. */
const mutated = fc
  .tuple(action.map(deepLinkFor), fc.nat(), fc.nat(), fc.oneof(anyText, fc.constantFrom('&', '=', '#', '?', '%', '%2', '@', ':', '/', '&code=x', '&state=y', '&error=z', '+', '%00', '%0A')), fc.nat(3))
  .map(([link, at, length, text, kind]) => {
    const i = at % (link.length + 1);
    switch (kind) {
      case 0:
        return link.slice(0, i) + text + link.slice(i);
      case 1:
        return link.slice(0, i) + link.slice(i + (length % 12));
      case 2:
        return link.slice(0, i) + link.slice(i, i + (length % 40)) + link.slice(i);
      default: {
        const c = link.charAt(i);
        return link.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + link.slice(i + 1);
      }
    }
  });

function checked(input: string): DeepLinkResult {
  let result: DeepLinkResult | undefined;
  expect(() => (result = parseDeepLink(input))).not.toThrow();
  // The schema holds the limits: every accepted value respects them.
  const parsed = deepLinkResultSchema.safeParse(result);
  if (!parsed.success) throw new Error(`schema rejected ${JSON.stringify(result)} for ${JSON.stringify(input)}`);
  if (result!.ok) {
    expect(parseDeepLink(deepLinkFor(result!.action)), `round trip of ${JSON.stringify(input)}`).toEqual(result);
    expect(input.length).toBeLessThanOrEqual(maxDeepLinkLength);
  }
  return result!;
}

describe('parseDeepLink: properties', () => {
  it('never throws on arbitrary text, full Unicode and lone surrogates included, and returns one of its two shapes', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        checked(text);
        checked(`paddock://${text}`);
        checked(`paddock://oauth/callback?${text}`);
        checked(`paddock://open?url=${text}`);
      }),
      { numRuns: 4000 },
    );
  });

  it('reads every action back from its link, however the link is written', () => {
    fc.assert(
      fc.property(
        action.chain((value) => variant(deepLinkFor(value)).map((link) => [value, link] as const)),
        ([value, link]) => {
          expect(parseDeepLink(link)).toEqual({ ok: true, action: value });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('whatever it accepts from a mutated link re-serialises to an equivalent one; a refusal never repeats the code or state', () => {
    let accepted = 0;
    const numRuns = 8000;
    fc.assert(
      fc.property(mutated, printable(24).filter((text) => text.length >= 12), (link, secret) => {
        // Put a recognisable secret in as code and state, and look for it in the message.
        const withSecret = link.replace(/([?&])(code|state)=[^&#]*/g, (_m, sep: string, name: string) => `${sep}${name}=${e(secret)}`);
        const result = checked(withSecret);
        if (result.ok) accepted += 1;
        else {
          expect(result.error.message).not.toContain(secret);
          expect(result.error.message).not.toContain(e(secret));
        }
      }),
      { numRuns },
    );
    // Many edits keep the link valid (a character inserted into a value): the round trip above was really exercised.
    expect(accepted).toBeGreaterThan(numRuns / 10);
    expect(accepted).toBeLessThan(numRuns);
  });
});

// ---- argv -----------------------------------------------------------------------

describe('deepLinkFromArgv', () => {
  const link = `paddock://oauth/callback?code=${CODE}&state=${STATE}`;
  it.each<[string, string[], string | null]>([
    ['Windows: the link after the switches Chromium adds', ['C:\\Program Files\\Paddock\\Paddock.exe', '--allow-file-access-from-files', '--original-process-start-time=13380000000000000', link], link],
    ['Windows: the link before them (the order may change)', ['C:\\Users\\u\\AppData\\Local\\Programs\\Paddock\\Paddock.exe', link, '--allow-file-access-from-files'], link],
    ['Windows: a per-machine install’s “--protocol-launcher -- "%1"”', ['C:\\Program Files\\Paddock\\Paddock.exe', '--protocol-launcher', '--', link], link],
    ['Linux: xdg-open through the .desktop file’s Exec=… %U', ['/opt/Paddock/paddock', link], link],
    ['Linux: an AppImage from its mount', ['/tmp/.mount_PaddocAbC123/paddock', '--no-sandbox', link], link],
    ['a development build (electron .)', ['/repo/node_modules/electron/dist/electron', '.', link], link],
    ['the scheme in capitals', ['/opt/Paddock/paddock', 'PADDOCK://open?url=x'], 'PADDOCK://open?url=x'],
    ['a malformed link, found to be refused by the parser', ['/opt/Paddock/paddock', 'paddock:nonsense'], 'paddock:nonsense'],
    ['macOS: links come as open-url, not on the command line', ['/Applications/Paddock.app/Contents/MacOS/Paddock'], null],
    ['macOS: an old process serial number switch', ['/Applications/Paddock.app/Contents/MacOS/Paddock', '-psn_0_1234567'], null],
    ['an ordinary launch', ['/opt/Paddock/paddock'], null],
    ['an empty argv', [], null],
    ['the executable path is never the link', ['paddock://oauth/callback?code=a&state=b'], null],
    ['a switch that carries a link is a switch', ['/opt/Paddock/paddock', `--open-url=${link}`], null],
    ['a link inside another argument', ['/opt/Paddock/paddock', `https://example.com/?next=${link}`], null],
    ['a file next to it', ['/opt/Paddock/paddock', '/home/u/paddock.txt'], null],
  ])('%s', (_name, argv, expected) => {
    expect(deepLinkFromArgv(argv)).toEqual({ ok: true, link: expected });
  });

  it.each<[string, string[], string | null]>([
    ['open <url> (a second launch from a terminal)', ['/opt/Paddock/paddock', 'open', 'https://github.com/o/r/pull/7'], 'paddock://open?url=https%3A%2F%2Fgithub.com%2Fo%2Fr%2Fpull%2F7'],
    ['open <url> among Chromium’s switches', ['/opt/Paddock/paddock', '--no-sandbox', 'open', '--allow-file-access-from-files', 'git@github.com:o/r.git'], 'paddock://open?url=git%40github.com%3Ao%2Fr.git'],
    ['a development build’s “electron . open <url>”', ['/repo/node_modules/electron/dist/electron', '.', 'open', 'https://dev.azure.com/c/p/_git/r'], 'paddock://open?url=https%3A%2F%2Fdev.azure.com%2Fc%2Fp%2F_git%2Fr'],
  ])('%s', (_name, argv, expected) => {
    expect(deepLinkFromArgv(argv)).toEqual({ ok: true, link: expected });
  });

  it('reads open <url> with the link parser’s own rules', () => {
    const found = deepLinkFromArgv(['/opt/Paddock/paddock', 'open', 'https://github.com/o/r']);
    expect(found.ok && found.link !== null && parseDeepLink(found.link)).toEqual({ ok: true, action: { type: 'open', url: 'https://github.com/o/r' } });
    const control = deepLinkFromArgv(['/opt/Paddock/paddock', 'open', 'https://github.com/o/r\u202E']);
    expect(control.ok && control.link !== null && parseDeepLink(control.link)).toMatchObject({ ok: false, error: { code: 'invalid-parameter' } });
  });

  it('refuses open without a URL, with two, and next to a link', () => {
    expect(deepLinkFromArgv(['/opt/Paddock/paddock', 'open'])).toMatchObject({ ok: false, error: { code: 'missing-parameter' } });
    expect(deepLinkFromArgv(['/opt/Paddock/paddock', 'open', 'https://a.example/o/r', 'https://b.example/o/r'])).toMatchObject({ ok: false, error: { code: 'several-links' } });
    expect(deepLinkFromArgv(['/opt/Paddock/paddock', 'open', 'https://a.example/o/r', link])).toMatchObject({ ok: false, error: { code: 'several-links' } });
  });

  it('refuses two links, naming neither', () => {
    const result = deepLinkFromArgv(['/opt/Paddock/paddock', link, 'paddock://open?url=x']);
    expect(result).toMatchObject({ ok: false, error: { code: 'several-links' } });
    expect(JSON.stringify(result)).not.toContain(CODE);
    expect(JSON.stringify(result)).not.toContain(STATE);
  });
});
