import { paddockErrorData } from '../../electron/common/errors';

export interface FormErrors<F extends string> {
  /** Messages to show next to the fields they name. */
  fields: Partial<Record<F, string>>;
  /** A message for the whole form, when some of the error belongs to no field shown. */
  general: string | null;
}

export const noFormErrors = { fields: {}, general: null } as const satisfies FormErrors<never>;

/**
 * Splits a rejected API call into messages for the given fields (from the
 * error's `issues`, by path) and a general message for the rest.
 */
export function formErrors<F extends string>(error: unknown, fields: readonly F[]): FormErrors<F> {
  const data = paddockErrorData(error);
  if (!data) {
    return { fields: {}, general: error instanceof Error && error.message ? error.message : 'Something went wrong.' };
  }
  const result: Partial<Record<F, string>> = {};
  let unmatched = false;
  for (const issue of data.issues ?? []) {
    const field = fields.find((f) => f === issue.path);
    if (field && result[field] === undefined) result[field] = issue.message;
    else if (!field) unmatched = true;
  }
  const matchedAny = Object.keys(result).length > 0;
  return { fields: result, general: !matchedAny || unmatched ? data.message : null };
}

/** The first field, in form order, that has an error. */
export function firstInvalid<F extends string>(errors: FormErrors<F>, order: readonly F[]): F | undefined {
  return order.find((field) => errors.fields[field] !== undefined);
}
