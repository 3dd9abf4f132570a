import { describe, expect, it } from 'vitest';
import { PaddockError } from '../../../electron/common/errors';
import { paddockErrorData } from '../../../electron/common/errors';
import { firstInvalid, formErrors } from '../../../renderer/src/form-errors';

const fields = ['url', 'token'] as const;

describe('formErrors', () => {
  it('puts each issue next to the field its path names, and no general message when all are placed', () => {
    const error = { code: 'invalid-input', message: 'Invalid argument.', issues: [{ path: 'token', message: 'Paste the token.' }, { path: 'url', message: 'Enter the URL.' }] };
    const result = formErrors(error, fields);
    expect(result).toEqual({ fields: { url: 'Enter the URL.', token: 'Paste the token.' }, general: null });
    expect(firstInvalid(result, fields)).toBe('url');
  });

  it('keeps the first message for a field', () => {
    const error = { code: 'invalid-input', message: 'x', issues: [{ path: 'url', message: 'first' }, { path: 'url', message: 'second' }] };
    expect(formErrors(error, fields).fields).toEqual({ url: 'first' });
  });

  it('adds the general message when an issue belongs to no field shown', () => {
    const error = { code: 'invalid-input', message: 'The name is too long.', issues: [{ path: 'url', message: 'Bad URL.' }, { path: 'name', message: 'Too long.' }] };
    expect(formErrors(error, fields)).toEqual({ fields: { url: 'Bad URL.' }, general: 'The name is too long.' });
  });

  it('gives errors without issues as a general message', () => {
    expect(formErrors({ code: 'forbidden', message: 'The runner could not prove it.' }, fields)).toEqual({ fields: {}, general: 'The runner could not prove it.' });
    expect(formErrors(new Error('socket closed'), fields)).toEqual({ fields: {}, general: 'socket closed' });
    expect(formErrors('??', fields)).toEqual({ fields: {}, general: 'Something went wrong.' });
  });

  it('reads a PaddockError made by another copy of the class (the web bridge bundles its own)', () => {
    class OtherPaddockError extends Error {
      override readonly name = 'PaddockError';
      constructor(
        readonly code: string,
        message: string,
        readonly issues?: { path: string; message: string }[],
      ) {
        super(message);
      }
    }
    const error = new OtherPaddockError('invalid-input', 'Invalid.', [{ path: 'token', message: 'Expired.' }]);
    expect(formErrors(error, fields)).toEqual({ fields: { token: 'Expired.' }, general: null });
    expect(paddockErrorData(new PaddockError('runner-unavailable', 'Offline.'))).toEqual({ code: 'runner-unavailable', message: 'Offline.' });
  });
});
