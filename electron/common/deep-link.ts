import { z } from 'zod';
import { isSafeText } from './safe-text';

// The one parser for paddock:// links (ARCHITECTURE.md "Deep links"). A link
// comes from outside — any web page can make a browser open one — so it is
// read strictly against an allow-list of actions and anything else is refused
// with a typed error. Pure: no Electron, no Node, never throws.
//
// Case: the scheme and the host ("oauth", "open") are compared without regard
// to case, as RFC 3986 §3.1 and §3.2.2 say they are case-insensitive (a shell
// or browser may change their case); the path and parameter names are exact
// (§6.2.2.1), so paddock://oauth/Callback and ?Code= are refused.
//
// Messages never repeat a parameter's value: an OAuth code and state are
// secrets, and a link's other values are whatever its author chose.

/** The whole link, in characters (a link is ASCII, so also in bytes). */
export const maxDeepLinkLength = 4096;
/** An OAuth authorization code, decoded (Entra ID's run past a thousand characters). */
export const maxCodeLength = 2048;
/** An OAuth state, decoded (the runner's are 43 characters). */
export const maxStateLength = 512;
/** An OAuth error code (RFC 6749 §4.1.2.1: `invalid_scope`, `access_denied`, …). */
export const maxOAuthErrorLength = 128;
/** An OAuth error_description, decoded. */
export const maxErrorDescriptionLength = 1024;
/** The address in paddock://open?url=…, decoded. */
export const maxOpenUrlLength = 2048;

export const deepLinkScheme = 'paddock';

/** Printable ASCII (RFC 6749 Appendix A: VSCHAR, %x20-7E), at least one character. */
const printableAscii = /^[\x20-\x7e]+$/;

// Control, format (bidirectional, zero-width) and separator characters are refused
// in every text a person reads later: electron/common/safe-text.ts.

const codeSchema = z.string().max(maxCodeLength).regex(printableAscii);
const stateSchema = z.string().max(maxStateLength).regex(printableAscii);

export const deepLinkActionSchema = z.discriminatedUnion('type', [
  /** A provider's redirect after the user allowed access: the runner checks the state and exchanges the code. */
  z.object({ type: z.literal('oauth-callback'), state: stateSchema, code: codeSchema }).strict(),
  /** A provider's redirect after a refusal or failure (RFC 6749 §4.1.2.1); the state says which attempt it ends. */
  z
    .object({
      type: z.literal('oauth-callback-error'),
      state: stateSchema,
      error: z.string().max(maxOAuthErrorLength).regex(printableAscii),
      /** The provider's error_description, line breaks folded into spaces; null when it sent none. */
      description: z
        .string()
        .min(1)
        .max(maxErrorDescriptionLength)
        .refine(isSafeText, 'must not contain control characters')
        .nullable(),
    })
    .strict(),
  /** An address to create an environment from; the context-URL parser reads it, and the user confirms, later. */
  z
    .object({
      type: z.literal('open'),
      url: z
        .string()
        .min(1)
        .max(maxOpenUrlLength)
        .refine(isSafeText, 'must not contain control characters'),
    })
    .strict(),
]);
export type DeepLinkAction = z.infer<typeof deepLinkActionSchema>;

export const deepLinkErrorCodes = [
  /** Not a paddock: link at all. */
  'not-a-deep-link',
  /** The link or one of its parameters is over its limit. */
  'too-long',
  /** Characters a link may not contain: spaces, control characters, non-ASCII, lone surrogates. */
  'invalid-characters',
  /** A paddock: link that is not well formed: user info, a port, a fragment, bad percent-encoding, empty parameters. */
  'malformed',
  /** A well-formed link for an action Paddock does not have. */
  'unknown-action',
  'unknown-parameter',
  'duplicate-parameter',
  'missing-parameter',
  /** A parameter whose value is empty, too long or has characters its kind may not have. */
  'invalid-parameter',
  /** More than one paddock: link on one command line. */
  'several-links',
] as const;
export const deepLinkErrorCodeSchema = z.enum(deepLinkErrorCodes);
export type DeepLinkErrorCode = z.infer<typeof deepLinkErrorCodeSchema>;

export const deepLinkErrorSchema = z.object({ code: deepLinkErrorCodeSchema, message: z.string().min(1) }).strict();
export type DeepLinkError = z.infer<typeof deepLinkErrorSchema>;

export const deepLinkResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), action: deepLinkActionSchema }).strict(),
  z.object({ ok: z.literal(false), error: deepLinkErrorSchema }).strict(),
]);
export type DeepLinkResult = z.infer<typeof deepLinkResultSchema>;

function refuse(code: DeepLinkErrorCode, message: string): { ok: false; error: DeepLinkError } {
  return { ok: false, error: { code, message } };
}

/**
 * An unknown parameter's name as a message may repeat it: a short plain word
 * followed by "=". Without the "=" the "name" may be a value that lost its
 * name (`?state=…&<code>`), and a value is never repeated.
 */
function shownName(name: string, hasValue: boolean): string {
  return hasValue && /^[A-Za-z][A-Za-z0-9_-]{0,31}$/.test(name) ? `“${name}”` : 'a parameter';
}

interface Action {
  /** Parameters the action reads. */
  readonly parameters: ReadonlySet<string>;
  /** Parameters a provider adds that Paddock does not use: accepted and dropped. */
  readonly ignored: ReadonlySet<string>;
  read(values: ReadonlyMap<string, string>): DeepLinkResult;
}

/** Checks one decoded value against its limit and character set. */
function value(
  text: string | undefined,
  name: string,
  limit: number,
  allowed: (text: string) => boolean,
): string | { ok: false; error: DeepLinkError } | null {
  if (text === undefined) return null;
  if (text.length > limit) return refuse('too-long', `The link’s “${name}” is longer than ${limit} characters.`);
  if (text === '' || !allowed(text)) return refuse('invalid-parameter', `The link’s “${name}” is empty or has characters it may not have.`);
  return text;
}

const isPrintableAscii = (text: string) => printableAscii.test(text);

const oauthCallback: Action = {
  parameters: new Set(['code', 'state', 'error', 'error_description', 'error_uri']),
  // Entra ID adds session_state to its redirects; RFC 9207 adds iss. Neither is needed to finish the attempt.
  ignored: new Set(['session_state', 'iss']),
  read(values) {
    const state = value(values.get('state'), 'state', maxStateLength, isPrintableAscii);
    if (state === null) return refuse('missing-parameter', 'This OAuth callback has no “state”, so it cannot belong to a sign-in Paddock started.');
    if (typeof state !== 'string') return state;
    const code = value(values.get('code'), 'code', maxCodeLength, isPrintableAscii);
    if (code !== null && typeof code !== 'string') return code;
    const error = value(values.get('error'), 'error', maxOAuthErrorLength, isPrintableAscii);
    if (error !== null && typeof error !== 'string') return error;
    if (code !== null && error !== null) return refuse('malformed', 'This OAuth callback has both a “code” and an “error”; a provider sends one or the other.');
    if (error !== null) {
      // Entra ID separates its Trace ID and Timestamp lines with CR LF, which RFC 6749 does not allow: read them as spaces.
      // An empty one (or one of line breaks only) is no description.
      const folded = values.get('error_description')?.replace(/[\r\n\t]+/g, ' ').trim() || undefined;
      const description = value(folded, 'error_description', maxErrorDescriptionLength, isSafeText);
      if (description !== null && typeof description !== 'string') return description;
      // error_uri is accepted and not kept: an address chosen by whoever made the link is never shown as the provider's.
      return { ok: true, action: { type: 'oauth-callback-error', state, error, description } };
    }
    if (code === null) return refuse('missing-parameter', 'This OAuth callback has neither a “code” nor an “error”.');
    for (const name of ['error_description', 'error_uri']) {
      if (values.has(name)) return refuse('malformed', `This OAuth callback has a “${name}” but no “error”.`);
    }
    return { ok: true, action: { type: 'oauth-callback', state, code } };
  },
};

const open: Action = {
  parameters: new Set(['url']),
  ignored: new Set(),
  read(values) {
    const url = value(values.get('url'), 'url', maxOpenUrlLength, isSafeText);
    if (url === null) return refuse('missing-parameter', 'This Paddock link has no “url” to open.');
    if (typeof url !== 'string') return url;
    return { ok: true, action: { type: 'open', url } };
  },
};

/** host → path → action. A link without a path may arrive with "/" added (both name the same resource). */
const actions: ReadonlyMap<string, ReadonlyMap<string, Action>> = new Map([
  ['oauth', new Map([['/callback', oauthCallback]])],
  [
    'open',
    new Map([
      ['', open],
      ['/', open],
    ]),
  ],
]);

/** application/x-www-form-urlencoded decoding (RFC 6749 §4.1.2 uses it); null when the percent-encoding is malformed. */
function decode(raw: string): string | null {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return null;
  }
}

/** Reads an action's query (the part after "?", null when there is none) by the rules every link follows. */
function readQuery(action: Action, query: string | null): DeepLinkResult {
  const values = new Map<string, string>();
  if (query !== null && query !== '') {
    for (const pair of query.split('&')) {
      if (pair === '') return refuse('malformed', 'This link has an empty parameter (“&&”, or “&” at an end).');
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      if (!action.parameters.has(name) && !action.ignored.has(name)) {
        return refuse('unknown-parameter', `This link has ${shownName(name, equals >= 0)}, which this Paddock link does not take.`);
      }
      if (values.has(name)) return refuse('duplicate-parameter', `This link has “${name}” more than once.`);
      const decoded = decode(equals < 0 ? '' : pair.slice(equals + 1));
      if (decoded === null) return refuse('malformed', `The link’s “${name}” has a malformed percent-encoding.`);
      values.set(name, decoded);
    }
  }
  for (const name of action.ignored) values.delete(name);
  return action.read(values);
}

/**
 * Reads the query of an OAuth callback that arrived another way than as a
 * paddock:// link (the loopback listener's request, an address the user
 * pasted) by exactly the rules of paddock://oauth/callback: the same
 * limits, parameters and refusals. `query` is the raw part after "?"
 * (null when there is none); it must be ASCII, as in a link. Never throws.
 */
export function parseOAuthCallbackQuery(query: string | null): DeepLinkResult {
  if (query !== null && typeof query !== 'string') return refuse('malformed', 'This is not an OAuth callback.');
  if (query !== null && query.length > maxDeepLinkLength) return refuse('too-long', `This callback is longer than ${maxDeepLinkLength} characters, more than any sign-in callback.`);
  if (query !== null && !/^[\x21-\x7e]*$/.test(query)) {
    return refuse('invalid-characters', 'This callback contains spaces, control characters or characters outside ASCII, which a link may not have.');
  }
  return readQuery(oauthCallback, query);
}

/**
 * Reads a paddock:// link into one of the allowed actions, or says why it is
 * refused. Never throws, whatever the input.
 */
export function parseDeepLink(input: string): DeepLinkResult {
  if (typeof input !== 'string') return refuse('not-a-deep-link', 'This is not a Paddock link.');
  if (input.length > maxDeepLinkLength) return refuse('too-long', `This link is longer than ${maxDeepLinkLength} characters, more than any Paddock link.`);
  // A link is ASCII (RFC 3986 §2); browsers hand it over percent-encoded.
  if (!/^[\x21-\x7e]*$/.test(input)) {
    return refuse('invalid-characters', 'This link contains spaces, control characters or characters outside ASCII, which a link may not have.');
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(input)?.[1];
  if (scheme?.toLowerCase() !== deepLinkScheme) return refuse('not-a-deep-link', 'This is not a Paddock link (paddock://…).');
  const rest = input.slice(scheme.length + 1);
  if (!rest.startsWith('//')) return refuse('malformed', 'A Paddock link starts with paddock:// followed by its action.');

  const hashAt = rest.indexOf('#');
  // Paddock asks providers for query responses; a fragment with data is another response mode, or was added by someone else.
  if (hashAt >= 0 && hashAt !== rest.length - 1) return refuse('malformed', 'This link has a fragment (#…), which Paddock links never have.');
  const withoutHash = hashAt >= 0 ? rest.slice(2, hashAt) : rest.slice(2);
  const queryAt = withoutHash.indexOf('?');
  const beforeQuery = queryAt >= 0 ? withoutHash.slice(0, queryAt) : withoutHash;
  const query = queryAt >= 0 ? withoutHash.slice(queryAt + 1) : null;
  const slashAt = beforeQuery.indexOf('/');
  const authority = slashAt >= 0 ? beforeQuery.slice(0, slashAt) : beforeQuery;
  const path = slashAt >= 0 ? beforeQuery.slice(slashAt) : '';
  if (authority.includes('@')) return refuse('malformed', 'This link has a user name before its action, which Paddock links never have.');
  if (authority.includes(':')) return refuse('malformed', 'This link has a port, which Paddock links never have.');

  const action = actions.get(authority.toLowerCase())?.get(path);
  if (!action) return refuse('unknown-action', 'Paddock has no action for this link. It opens only sign-in callbacks and paddock://open?url=… links.');

  return readQuery(action, query);
}

/** The link for an action: what a provider's redirect or a shared link looks like (tests, the web host's simulated hand-off). */
export function deepLinkFor(action: DeepLinkAction): string {
  const e = encodeURIComponent;
  switch (action.type) {
    case 'oauth-callback':
      return `paddock://oauth/callback?code=${e(action.code)}&state=${e(action.state)}`;
    case 'oauth-callback-error':
      return `paddock://oauth/callback?error=${e(action.error)}${action.description === null ? '' : `&error_description=${e(action.description)}`}&state=${e(action.state)}`;
    case 'open':
      return `paddock://open?url=${e(action.url)}`;
  }
}

/** Why the core did not act on a well-formed link (see MainSurface.handleDeepLink). */
export const deepLinkIgnoredReasons = [
  /** An OAuth callback whose state belongs to no attempt in progress (unknown, used or expired). */
  'unknown-state',
  /** An action this version cannot carry out yet. */
  'not-available',
  /** What reached the core is not one of the actions above. */
  'invalid-action',
] as const;
export const deepLinkOutcomeSchema = z.discriminatedUnion('handled', [
  z.object({ handled: z.literal(true) }).strict(),
  z.object({ handled: z.literal(false), reason: z.enum(deepLinkIgnoredReasons) }).strict(),
]);
export type DeepLinkOutcome = z.infer<typeof deepLinkOutcomeSchema>;

export type DeepLinkFromArgv = { ok: true; link: string | null } | { ok: false; error: DeepLinkError };

/**
 * The paddock: link on a command line (a cold start's process.argv, or the
 * argv Electron hands the running instance on 'second-instance'): Windows and
 * Linux (.desktop `%u`) pass it as an argument. Found by its scheme, not by
 * position, because Chromium adds switches (--allow-file-access-from-files,
 * …) and may reorder them; the first entry is the executable and never a
 * link. None is `link: null`; more than one is refused, as nobody opens two.
 */
export function deepLinkFromArgv(argv: readonly string[]): DeepLinkFromArgv {
  const links = argv.slice(1).filter((argument) => typeof argument === 'string' && /^paddock:/i.test(argument));
  if (links.length > 1) return refuse('several-links', `This command line has ${links.length} Paddock links; Paddock opens one at a time and opened none.`);
  const open = openFromArgv(argv);
  if (!open.ok) return open;
  if (open.link !== null && links.length > 0) return refuse('several-links', 'This command line has a Paddock link and an “open” command; Paddock opens one at a time and opened none.');
  return { ok: true, link: links[0] ?? open.link };
}

/**
 * The command line's `open <url>` (PRODUCT E2: `paddock open
 * https://github.com/o/r/pull/7`, handed to the running instance), as the
 * paddock://open link it stands for, so that one parser reads both. The
 * arguments that are not switches are read in order: the word `open` and
 * exactly one argument after it (a development build's `.` before it is
 * passed over); none is `link: null`.
 */
function openFromArgv(argv: readonly string[]): DeepLinkFromArgv {
  const positionals = argv.slice(1).filter((argument) => typeof argument === 'string' && !argument.startsWith('-'));
  const at = positionals.indexOf('open');
  if (at < 0) return { ok: true, link: null };
  const rest = positionals.slice(at + 1);
  if (rest.length === 0) return refuse('missing-parameter', '“open” needs the repository URL after it, for example: open https://github.com/owner/repository');
  if (rest.length > 1) return refuse('several-links', `“open” takes one repository URL; this command line has ${rest.length} after it, so none was opened.`);
  return { ok: true, link: `paddock://open?url=${encodeURIComponent(rest[0]!)}` };
}
