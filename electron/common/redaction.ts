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
] as const;

/** pino redaction paths: each secret field at the top level and two levels down. */
export const redactedPaths = SECRET_FIELD_NAMES.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);
