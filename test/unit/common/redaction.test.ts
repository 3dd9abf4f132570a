import { describe, expect, it } from 'vitest';
import { isSecretFieldName, REDACTED, redactLogText, redactText, redactValue } from '../../../electron/common/redaction';

// The second line of defence of the diagnostics zip (electron/core/diagnostics.ts): values,
// text and log lines with secrets replaced, and what is not secret kept as it was.

const canary = 'canary-7f3a9c1e5b2d4068a1c3e5f7';

describe('isSecretFieldName', () => {
  it('knows the loggers’ names in any case or separator, and names ending in token, secret, password', () => {
    for (const name of ['token', 'apiToken', 'ACCESS_TOKEN', 'refresh-token', 'clientSecret', 'client_secret', 'password', 'privateKey', 'personalAccessToken', 'proxyPassword', 'registrationToken', 'sessionCookie', 'code_verifier']) {
      expect(isSecretFieldName(name), name).toBe(true);
    }
  });

  it('leaves names that only mention a token or a key', () => {
    for (const name of ['tokenId', 'publicKey', 'deletedTokens', 'expiresAt', 'host', 'account', 'spki', 'message']) {
      expect(isSecretFieldName(name), name).toBe(false);
    }
  });
});

describe('redactText', () => {
  it('replaces the user name and password of a URL, keeping the host', () => {
    expect(redactText(`proxy http://alice:${canary}@proxy.example.test:3128 failed`)).toBe(`proxy http://${REDACTED}@proxy.example.test:3128 failed`);
  });

  it('replaces Authorization values and OAuth parameters in addresses and form bodies', () => {
    expect(redactText(`Authorization: Bearer ${canary}`)).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText(`Basic ${Buffer.from(`:${canary}`).toString('base64')}`)).toBe(`Basic ${REDACTED}`);
    expect(redactText(`paddock://oauth/callback?code=${canary}&state=${canary}`)).toBe(`paddock://oauth/callback?code=${REDACTED}&state=${REDACTED}`);
    expect(redactText(`grant_type=refresh_token&refresh_token=${canary}&client_secret=${canary}`)).toBe(
      `grant_type=refresh_token&refresh_token=${REDACTED}&client_secret=${REDACTED}`,
    );
  });

  it('replaces the providers’ token shapes, JSON Web Tokens and private keys', () => {
    const samples = [
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
      'glpat-abcdefghijklmnopqrst',
      'ATATT3xFfGF0abcdefghijklmnop',
      'BBDC-NDU2Nzg5MDEyMzQ1Njc4OTAx',
      'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYW0ifQ.c2lnbmF0dXJl',
      'abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst',
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----',
    ];
    for (const sample of samples) expect(redactText(`before ${sample} after`), sample).toBe(`before ${REDACTED} after`);
  });

  it('keeps ordinary text, addresses without credentials, fingerprints and ids', () => {
    const text =
      'GitHub https://github.com/acme/app/pull/12 cloned into /home/sam/Paddock/app; runner sha256/q1w2e3r4t5y6u7i8o9p0AbCdEfGhIjKlMnOpQrStUvW= r_0f5c3a52-7c3e-4a6c-9d1e-2b4f6a8c0d1e, token expired';
    expect(redactText(text)).toBe(text);
  });
});

describe('redactValue', () => {
  it('replaces secret fields at any depth and keeps the structure and everything else', () => {
    const value = {
      preferences: { theme: 'dark', network: { proxy: `https://sam:${canary}@proxy.test:8080`, noProxy: null, caFile: null } },
      runners: [{ id: 'local', publicKey: 'cHVibGlj', apiToken: canary, nested: { clientSecret: { action: 'replace', sealed: canary } } }],
      provider: { hasSecret: true, deletedTokens: 2, personalAccessToken: canary },
    };
    expect(redactValue(value)).toEqual({
      preferences: { theme: 'dark', network: { proxy: `https://${REDACTED}@proxy.test:8080`, noProxy: null, caFile: null } },
      runners: [{ id: 'local', publicKey: 'cHVibGlj', apiToken: REDACTED, nested: { clientSecret: REDACTED } }],
      provider: { hasSecret: true, deletedTokens: 2, personalAccessToken: REDACTED },
    });
  });

  it('keeps error codes and states that are words, and replaces OAuth codes and states', () => {
    expect(redactValue({ code: 'reconnect-needed', state: 'running' })).toEqual({ code: 'reconnect-needed', state: 'running' });
    expect(redactValue({ code: '3584d83530557fdd1f46', state: 'Zm9vYmFyYmF6' })).toEqual({ code: REDACTED, state: REDACTED });
  });
});

describe('redactLogText', () => {
  it('redacts each JSON line again and text lines by pattern, line for line', () => {
    const lines = [
      JSON.stringify({ level: 30, msg: 'token checked', host: 'https://ghe.test', token: canary }),
      JSON.stringify({ level: 40, msg: `remote https://x:${canary}@ghe.test/a.git refused`, detail: { refreshToken: canary } }),
      `plain line with Bearer ${canary}`,
      '{"cut short": "by the tail',
      '',
    ];
    const redacted = redactLogText(lines.join('\n'));
    expect(redacted).not.toContain(canary);
    const out = redacted.split('\n');
    expect(out).toHaveLength(lines.length);
    expect(JSON.parse(out[0]!)).toEqual({ level: 30, msg: 'token checked', host: 'https://ghe.test', token: REDACTED });
    expect(JSON.parse(out[1]!)).toEqual({ level: 40, msg: `remote https://${REDACTED}@ghe.test/a.git refused`, detail: { refreshToken: REDACTED } });
    expect(out[2]).toBe(`plain line with Bearer ${REDACTED}`);
    expect(out[3]).toBe(lines[3]);
  });
});
