import { describe, expect, it } from 'vitest';
import { errorCatalogue, errorCodes, PaddockError } from '../../../electron/common/errors';
import { errorView, offersRetry } from '../../../renderer/src/errors';

// What the page offers for a failed call, from its code alone.

describe('errorView', () => {
  it('takes the action from the catalogue for every code, whatever the message says', () => {
    for (const code of errorCodes) {
      // A message that names another failure must not change what is offered.
      const view = errorView({ code, message: 'The runner cannot be reached: forbidden, try again, not found.' });
      expect(view.code).toBe(code);
      expect(view.action).toBe(errorCatalogue[code].action);
    }
  });

  it('offers Try again for the codes that ask for it, and only for them', () => {
    const retried = errorCodes.filter((code) => offersRetry(errorView({ code, message: 'x' })));
    expect(retried.sort()).toEqual(['runner-unavailable', 'timeout', 'unreachable']);
  });

  it('names the setting that refuses for ask-admin, with a link only to an https page', () => {
    const blocked = errorView(
      new PaddockError('policy-blocked', 'Your organization does not allow OAuth apps.', undefined, {
        setting: 'Organization settings › Policies › Third-party application access via OAuth',
        settingUrl: 'https://dev.azure.com/contoso/_settings/organizationPolicy',
        providerCode: 'AADSTS65001',
      }),
    );
    expect(blocked).toMatchObject({
      action: 'ask-admin',
      message: 'Your organization does not allow OAuth apps.',
      setting: { path: 'Organization settings › Policies › Third-party application access via OAuth', url: 'https://dev.azure.com/contoso/_settings/organizationPolicy' },
      detail: { providerCode: 'AADSTS65001' },
    });
    expect(errorView({ code: 'forbidden', message: 'No.', detail: { setting: 'roles', settingUrl: 'javascript:alert(1)' } }).setting).toEqual({ path: 'roles', url: null });
    expect(errorView({ code: 'forbidden', message: 'No.' }).setting).toBeNull();
    // A setting on an error that is not for an admin is not offered as one.
    expect(errorView({ code: 'timeout', message: 'Slow.', detail: { setting: 'x' } }).setting).toBeNull();
  });

  it('keeps what to connect to for connect and reconnect, for the connect dialog', () => {
    expect(errorView({ code: 'auth-required', message: 'Connect first.', detail: { host: 'https://dev.azure.com', organization: 'contoso' } })).toMatchObject({
      action: 'connect',
      connect: { host: 'https://dev.azure.com', organization: 'contoso' },
    });
    expect(errorView({ code: 'reconnect-needed', message: 'Again.', detail: { host: 'https://github.com' } })).toMatchObject({
      action: 'reconnect',
      connect: { host: 'https://github.com', organization: null },
    });
  });

  it('keeps the issues for the forms, and reads an error that is not the API’s as one to report', () => {
    const issues = [{ path: 'name', message: 'Give the runner a name.' }];
    expect(errorView({ code: 'invalid-input', message: 'Invalid.', issues }).issues).toEqual(issues);
    expect(errorView(new Error('boom'))).toMatchObject({ code: null, action: 'report', message: 'boom' });
    expect(errorView('nope')).toMatchObject({ code: null, action: 'report', message: 'Something went wrong.' });
    // An unknown code is not guessed at.
    expect(errorView({ code: 'teapot', message: 'I am one.' }).code).toBeNull();
  });
});
