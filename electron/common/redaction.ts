/** Field names whose values are secrets: loggers redact them wherever they appear. */
export const SECRET_FIELD_NAMES = [
  'token',
  'apiToken',
  'accessToken',
  'refreshToken',
  'secret',
  'clientSecret',
  'password',
  'authorization',
  'pat',
  'code',
  'privateKey',
  'dataKey',
  'nonce',
  'proof',
  // OAuth's own names (RFC 6749, RFC 7636, OIDC), should a form body or token answer ever be logged by mistake.
  // (`state` is left out: log lines use it for a job's state; no line logs an OAuth state.)
  'verifier',
  'codeVerifier',
  'code_verifier',
  'access_token',
  'refresh_token',
  'id_token',
  'idToken',
  'client_secret',
] as const;

/** pino redaction paths: each secret field at the top level and two levels down. */
export const redactedPaths = SECRET_FIELD_NAMES.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/** What replaces a secret in redacted text and values (the loggers use the same word). */
export const REDACTED = '[redacted]';

const normalizedName = (name: string) => name.toLowerCase().replace(/[-_]/g, '');
const secretNames = new Set<string>(SECRET_FIELD_NAMES.map(normalizedName));
/** Name endings that say the value is a secret whatever comes before: `personalAccessToken`, `proxyPassword`, `sessionCookie`. */
const secretNameEndings = ['token', 'secret', 'password', 'passwd', 'passphrase', 'privatekey', 'apikey', 'cookie', 'credential', 'credentials'];
/**
 * `code` and `state` are also the names of error codes and job or connection
 * states: those words are kept (an error code is one word of lower-case
 * letters and dashes, which no OAuth code or state is: theirs are random).
 */
const ambiguousNames = new Set(['code', 'state']);
const plainWord = /^[a-z]+(?:-[a-z]+)*$/;

/** Whether a field of this name holds a secret (SECRET_FIELD_NAMES, any case or separator, and names ending in token, secret, password…). */
export function isSecretFieldName(name: string): boolean {
  const normalized = normalizedName(name);
  return secretNames.has(normalized) || secretNameEndings.some((ending) => normalized.endsWith(ending));
}

/**
 * Text patterns that are secrets wherever they appear: the user name and
 * password of a URL, Authorization header values, OAuth parameters in a
 * query string or form body, the shapes of the providers' tokens, JSON Web
 * Tokens and PEM private keys. Each keeps what is around the secret.
 */
const textPatterns: { pattern: RegExp; replace: string }[] = [
  // https://user:password@host → https://[redacted]@host (a proxy URL, a remote with credentials).
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]+@/gi, replace: `$1${REDACTED}@` },
  { pattern: /\b(Bearer|Basic|Negotiate|NTLM)\s+[A-Za-z0-9._~+/=-]{6,}/g, replace: `$1 ${REDACTED}` },
  {
    pattern: /([?&#;\s]|^)(code|state|access_token|refresh_token|id_token|client_secret|code_verifier|token|password|private_token|assertion)=[^&#\s"'<>]+/gi,
    replace: `$1$2=${REDACTED}`,
  },
  { pattern: /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g, replace: REDACTED },
  // GitHub (classic and fine-grained), GitLab, Bitbucket Cloud and Data Center, Slack-style and npm tokens.
  { pattern: /\b(?:gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{20,})/g, replace: REDACTED },
  { pattern: /\bgl(?:pat|oas|dt|rt|ptt|ft|imt|agent|cbt|soat|ffct)-[A-Za-z0-9_-]{16,}/g, replace: REDACTED },
  { pattern: /\b(?:ATBB|ATCTT|ATATT)[A-Za-z0-9_=+/-]{16,}/g, replace: REDACTED },
  { pattern: /\bBBDC-[A-Za-z0-9_=+/-]{16,}/g, replace: REDACTED },
  { pattern: /\bnpm_[A-Za-z0-9]{30,}/g, replace: REDACTED },
  // A JSON Web Token (an Entra access or ID token).
  { pattern: /\beyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/g, replace: REDACTED },
  // Azure DevOps personal access tokens: 52 characters of base32, or the 84-character format with its AZDO signature.
  { pattern: /\b[a-z2-7]{52}\b/g, replace: REDACTED },
  { pattern: /\b[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}\b/g, replace: REDACTED },
];

/** Text with every secret-shaped part replaced by "[redacted]" (see `textPatterns`). */
export function redactText(text: string): string {
  let result = text;
  for (const { pattern, replace } of textPatterns) result = result.replace(pattern, replace);
  return result;
}

/**
 * A copy of a JSON-like value with secrets replaced by "[redacted]": the
 * value of every field named like a secret (`isSecretFieldName`; `code` and
 * `state` only when they are not a plain word such as an error code), and
 * every secret-shaped part of every string (`redactText`). The structure
 * stays as it was, so what is left still reads as the original did.
 */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const ambiguous = ambiguousNames.has(key.toLowerCase());
      if (ambiguous) out[key] = typeof inner === 'string' && !plainWord.test(inner) ? REDACTED : redactValue(inner);
      // Whether one is set (`hasSecret: true`) or how many there are says nothing secret; a string or an object under the name might.
      else if (isSecretFieldName(key) && (typeof inner === 'string' || (typeof inner === 'object' && inner !== null))) out[key] = REDACTED;
      else out[key] = redactValue(inner);
    }
    return out;
  }
  return value;
}

/**
 * Log text (JSON lines, as both loggers write) redacted once more: each line
 * that is JSON has its values redacted (`redactValue`) and is written back
 * as one line; any other line has its secret-shaped parts replaced
 * (`redactText`). The loggers redact already: this is the second line of
 * defence, for a line that carried a secret under a name they do not know.
 */
export function redactLogText(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const trimmed = line.trim();
      if (trimmed.startsWith('{')) {
        try {
          return JSON.stringify(redactValue(JSON.parse(trimmed)));
        } catch {
          // Not JSON after all (a line cut short): treat it as text.
        }
      }
      return redactText(line);
    })
    .join('\n');
}
