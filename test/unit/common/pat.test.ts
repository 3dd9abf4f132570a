import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from '../../../electron/common/encoding';
import { openPat, sealPat } from '../../../electron/common/pat';
import { sealClientSecret } from '../../../electron/common/provider-config';
import { sealToBase64 } from '../../../electron/common/sealed-box';

// A pasted personal access token is sealed to the runner's key and bound to
// {runnerId, host, organization, purpose: 'pat'}: only that runner opens it,
// and only for that host and organization.

const runner = nacl.box.keyPair();
const keys = { publicKey: runner.publicKey, secretKey: runner.secretKey };
const publicKey = bytesToBase64(runner.publicKey);
const binding = { runnerId: 'r_0123456789abcdef', host: 'https://dev.azure.com', organization: 'contoso' };
const token = 'canary-pat-7f3a9c1e';

describe('sealPat / openPat', () => {
  it('opens for exactly the binding it was sealed for, giving the token back', () => {
    const sealed = sealPat(binding, token, publicKey);
    expect(sealed).not.toContain(token);
    expect(openPat(sealed, keys, binding)).toEqual({ ok: true, token });
    // Azure DevOps organization names ignore case, as the service's URLs do.
    expect(openPat(sealed, keys, { ...binding, organization: 'Contoso' })).toEqual({ ok: true, token });
    const elsewhere = { ...binding, host: 'https://ghe.example.test', organization: null };
    expect(openPat(sealPat(elsewhere, token, publicKey), keys, elsewhere)).toEqual({ ok: true, token });
  });

  it.each([
    ['host', { host: 'https://dev.azure.com:8443' }],
    ['organization', { organization: 'fabrikam' }],
    ['organization', { organization: null }],
    ['runner', { runnerId: 'r_another0123456789' }],
  ])('refuses a box sealed for another %s, naming it and never the token', (field, change) => {
    const opened = openPat(sealPat(binding, token, publicKey), keys, { ...binding, ...change });
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.message).toMatch(new RegExp(`another ${field}`));
    expect(opened.message).not.toContain(token);
  });

  it('names every field that differs', () => {
    const opened = openPat(sealPat(binding, token, publicKey), keys, { runnerId: binding.runnerId, host: 'https://other.example', organization: 'fabrikam' });
    expect(opened).toEqual({ ok: false, message: expect.stringMatching(/another host and organization/) });
  });

  it('refuses a box sealed to another key, a changed box, and text that is not base64', () => {
    const other = nacl.box.keyPair();
    const foreign = sealPat(binding, token, bytesToBase64(other.publicKey));
    expect(openPat(foreign, keys, binding)).toEqual({ ok: false, message: expect.stringMatching(/not sealed to this runner’s key/) });
    const sealed = sealPat(binding, token, publicKey);
    const flipped = `${sealed.slice(0, 10)}${sealed[10] === 'A' ? 'B' : 'A'}${sealed.slice(11)}`;
    expect(openPat(flipped, keys, binding).ok).toBe(false);
    expect(openPat('not base64 at all!', keys, binding).ok).toBe(false);
  });

  it('does not take a client secret, or a bare sealed token, as a PAT', () => {
    const secret = sealClientSecret({ runnerId: binding.runnerId, kind: 'azure-devops', host: binding.host, clientId: 'client', tenant: null, secret: token }, publicKey);
    expect(openPat(secret, keys, binding)).toEqual({ ok: false, message: expect.stringMatching(/not in the expected form/) });
    expect(openPat(sealToBase64(token, publicKey), keys, binding)).toEqual({ ok: false, message: expect.stringMatching(/not in the expected form/) });
  });

  it('refuses to seal an empty token or an empty host', () => {
    expect(() => sealPat(binding, '', publicKey)).toThrow();
    expect(() => sealPat({ ...binding, host: '' }, token, publicKey)).toThrow();
  });
});
