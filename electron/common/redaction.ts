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
