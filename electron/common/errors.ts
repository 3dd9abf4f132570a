import { z } from 'zod';

/**
 * The one catalogue of error codes, used end to end: the runner sends a code
 * in its error body, the core keeps it (or chooses one for its own
 * failures), and the renderer acts on it. Nothing classifies an error by its
 * message text: the message is for people, the code and `detail` are for
 * code.
 *
 * `status` is the HTTP status the runner API answers with; `action` is what
 * the UI can offer (docs/architecture.md, "Errors").
 */
export const errorCatalogue = {
  'invalid-input': { status: 400, action: 'fix-input', summary: 'A value is missing or not valid; `issues` names the fields.' },
  'unknown-method': { status: 404, action: 'report', summary: 'The app API has no such method or event (a bug or a mismatched build).' },
  'auth-required': { status: 409, action: 'connect', summary: 'This user has no token for the host (and Azure DevOps organization) in `detail`: offer Connect.' },
  'reconnect-needed': { status: 409, action: 'reconnect', summary: 'A token was refused or its refresh failed: offer Reconnect for `detail.host`.' },
  'policy-blocked': {
    status: 403,
    action: 'ask-admin',
    summary: 'An organization setting refuses: `detail.setting` names which, `detail.providerCode` the provider’s error code (e.g. AADSTS65001).',
  },
  forbidden: { status: 403, action: 'ask-admin', summary: 'This workstation’s role on the runner, or the admin policy, does not allow this.' },
  'not-found': { status: 404, action: 'refresh', summary: 'It no longer exists (or never did).' },
  conflict: { status: 409, action: 'refresh', summary: 'It exists already or changed meanwhile.' },
  cancelled: { status: 409, action: 'none', summary: 'Somebody cancelled it.' },
  timeout: { status: 504, action: 'retry', summary: 'No answer in time from `detail.host` (a provider, a proxy or the runner).' },
  unreachable: { status: 502, action: 'retry', summary: 'A host could not be reached (DNS, refused, TLS, proxy): `detail.host` names it.' },
  'runner-unavailable': { status: 503, action: 'retry', summary: 'The runner is not running, not answering, or refuses this workstation’s credential.' },
  'incompatible-api': { status: 400, action: 'update', summary: 'The app and the runner speak different API versions: update the older one.' },
  unauthorized: { status: 401, action: 'fix-input', summary: 'Runner API: a missing or wrong API token, or a registration token the runner does not know.' },
  'token-used': { status: 401, action: 'fix-input', summary: 'Runner API: this registration token was already used.' },
  'token-expired': { status: 401, action: 'fix-input', summary: 'Runner API: this registration token has expired.' },
  'payload-too-large': { status: 413, action: 'report', summary: 'Runner API: the request body is too large.' },
  'method-not-allowed': { status: 405, action: 'report', summary: 'Runner API: the route does not take this method.' },
  internal: { status: 500, action: 'report', summary: 'Something failed that the user cannot fix; details are in the log.' },
} as const satisfies Record<string, { status: number; action: ErrorAction; summary: string }>;

/** What the UI can do about an error. */
export type ErrorAction = 'fix-input' | 'connect' | 'reconnect' | 'ask-admin' | 'refresh' | 'retry' | 'update' | 'report' | 'none';

export type ErrorCode = keyof typeof errorCatalogue;
export const errorCodes = Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]];
export const errorCodeSchema = z.enum(errorCodes);

export const errorActionOf = (code: ErrorCode): ErrorAction => errorCatalogue[code].action;
export const errorStatusOf = (code: ErrorCode): number => errorCatalogue[code].status;

export const errorIssueSchema = z
  .object({
    path: z.string().max(500),
    message: z.string().max(2000),
  })
  .strict();
export type ErrorIssue = z.infer<typeof errorIssueSchema>;

/** Machine-readable facts about an error, for the UI to act on (never a secret). */
export const errorDetailSchema = z
  .object({
    /** The provider host (base URL) or runner URL concerned. */
    host: z.string().max(2048).optional(),
    /** The Azure DevOps organization concerned. */
    organization: z.string().max(256).optional(),
    /** The provider's own error code (AADSTS65001, invalid_grant, …). */
    providerCode: z.string().max(200).optional(),
    /** Which setting refuses, as a path a person can follow ("Organization settings › Policies › …") or a JSON path. */
    setting: z.string().max(500).optional(),
    /** Where that setting is changed, when there is a page for it. */
    settingUrl: z.string().max(2048).optional(),
    runnerId: z.string().max(200).optional(),
    jobId: z.string().max(200).optional(),
  })
  .strict();
export type ErrorDetail = z.infer<typeof errorDetailSchema>;

export const errorDataSchema = z
  .object({
    code: errorCodeSchema,
    message: z.string().max(4000),
    issues: z.array(errorIssueSchema).max(100).optional(),
    detail: errorDetailSchema.optional(),
  })
  .strict();
/** The JSON form of an error, as every transport (app API and runner API) carries it. */
export type PaddockErrorData = z.infer<typeof errorDataSchema>;

export class PaddockError extends Error {
  override readonly name = 'PaddockError';
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[] | undefined;
  readonly detail: ErrorDetail | undefined;

  constructor(code: ErrorCode, message: string, issues?: ErrorIssue[], detail?: ErrorDetail) {
    super(message);
    this.code = code;
    this.issues = issues;
    this.detail = detail;
  }

  toData(): PaddockErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.detail ? { detail: this.detail } : {}),
    };
  }

  static fromData(data: PaddockErrorData): PaddockError {
    return new PaddockError(data.code, data.message, data.issues, data.detail);
  }
}

/**
 * Structural check, so it also recognises errors that crossed Electron's
 * contextBridge (which copies plain objects but drops Error subclasses).
 */
export function isPaddockError(value: unknown): value is PaddockErrorData {
  return paddockErrorData(value) !== null;
}

/**
 * The code, message, issues and detail of a rejected API call, or null if it
 * is not one. Read field by field: an Error carries other own properties
 * (name, stack), and a PaddockError from another bundle (the web bridge's
 * copy) fails instanceof.
 */
export function paddockErrorData(value: unknown): PaddockErrorData | null {
  if (typeof value !== 'object' || value === null) return null;
  const { code, message, issues, detail } = value as Partial<PaddockErrorData>;
  const parsed = errorDataSchema.safeParse({
    code,
    message,
    ...(issues === undefined ? {} : { issues }),
    ...(detail === undefined ? {} : { detail }),
  });
  return parsed.success ? parsed.data : null;
}

/** Turns zod issues into field-named messages ("theme: Invalid option…"). */
export function issuesFromZod(error: z.ZodError): ErrorIssue[] {
  return error.issues.slice(0, 100).map((issue) => ({
    path: (issue.path.length ? issue.path.map(String).join('.') : '(value)').slice(0, 500),
    message: issue.message.slice(0, 2000),
  }));
}

export function invalidArgument(what: string, error: z.ZodError): PaddockError {
  const issues = issuesFromZod(error);
  const first = issues[0];
  const detail = first ? ` ${first.path}: ${first.message}` : '';
  return new PaddockError('invalid-input', `Invalid ${what}.${detail}`, issues);
}
