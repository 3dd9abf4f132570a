import { errorDataSchema, type PaddockErrorData } from '../../electron/common/errors';

/**
 * The code, message and issues of a rejected API call. Read field by field
 * rather than with `isPaddockError`: in the web host the error is a
 * PaddockError made by the bridge's own copy of the class, which is neither
 * `instanceof` the renderer's copy nor a plain object.
 */
export function paddockErrorData(error: unknown): PaddockErrorData | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, message, issues } = error as Record<string, unknown>;
  const parsed = errorDataSchema.safeParse(issues === undefined ? { code, message } : { code, message, issues });
  return parsed.success ? parsed.data : null;
}
