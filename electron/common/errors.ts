import { z } from 'zod';

/**
 * Error codes the UI can act on. Every error that crosses a process boundary
 * carries one of these and a sentence a person can act on.
 */
export const errorCodes = [
  'invalid-argument',
  'unknown-method',
  'forbidden',
  'not-found',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const errorIssueSchema = z
  .object({
    path: z.string(),
    message: z.string(),
  })
  .strict();
export type ErrorIssue = z.infer<typeof errorIssueSchema>;

export const errorDataSchema = z
  .object({
    code: z.enum(errorCodes),
    message: z.string(),
    issues: z.array(errorIssueSchema).optional(),
  })
  .strict();
/** The JSON form of an error, as both transports carry it. */
export type PaddockErrorData = z.infer<typeof errorDataSchema>;

export class PaddockError extends Error {
  override readonly name = 'PaddockError';
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[] | undefined;

  constructor(code: ErrorCode, message: string, issues?: ErrorIssue[]) {
    super(message);
    this.code = code;
    this.issues = issues;
  }

  toData(): PaddockErrorData {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }

  static fromData(data: PaddockErrorData): PaddockError {
    return new PaddockError(data.code, data.message, data.issues);
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
 * The code, message and issues of a rejected API call, or null if it is not
 * one. Read field by field: an Error carries other own properties (name,
 * stack), and a PaddockError from another bundle (the web bridge's copy)
 * fails instanceof.
 */
export function paddockErrorData(value: unknown): PaddockErrorData | null {
  if (typeof value !== 'object' || value === null) return null;
  const { code, message, issues } = value as Partial<PaddockErrorData>;
  const parsed = errorDataSchema.safeParse(issues === undefined ? { code, message } : { code, message, issues });
  return parsed.success ? parsed.data : null;
}

/** Turns zod issues into field-named messages ("theme: Invalid option…"). */
export function issuesFromZod(error: z.ZodError): ErrorIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(value)',
    message: issue.message,
  }));
}

export function invalidArgument(what: string, error: z.ZodError): PaddockError {
  const issues = issuesFromZod(error);
  const first = issues[0];
  const detail = first ? ` ${first.path}: ${first.message}` : '';
  return new PaddockError('invalid-argument', `Invalid ${what}.${detail}`, issues);
}
