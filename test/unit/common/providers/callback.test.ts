import { describe, expect, it } from 'vitest';
import { callbackOptions, callbackRunnerOf, callbackUrl, customSchemeCallback, fixedLoopbackPort } from '../../../../electron/common/providers';
import type { CallbackRunner } from '../../../../electron/common/providers';

const local: CallbackRunner = { kind: 'local', url: null };
const remote: CallbackRunner = { kind: 'remote', url: 'https://runner.example.com:8443' };

describe('callbackUrl: the exact URL to register', () => {
  it('is the custom scheme for the local runner where the provider accepts it', () => {
    expect(customSchemeCallback).toBe('paddock://oauth/callback');
    expect(callbackUrl('azure-devops', local)).toEqual({
      ok: true,
      kind: 'custom-scheme',
      url: 'paddock://oauth/callback',
      secret: 'not-used',
      listen: null,
      confirmed: true,
      note: expect.stringMatching(/Allow public client flows/),
    });
    expect(callbackUrl('github', local)).toMatchObject({ ok: true, url: 'paddock://oauth/callback', secret: 'required' });
    expect(callbackUrl('gitlab', local)).toMatchObject({ ok: true, url: 'paddock://oauth/callback', secret: 'optional' });
  });

  it('is a fixed-port loopback URL for Bitbucket Cloud, whose secret is always required', () => {
    expect(callbackUrl('bitbucket-cloud', local)).toEqual({
      ok: true,
      kind: 'loopback',
      url: `http://localhost:${fixedLoopbackPort}/oauth/callback`,
      secret: 'required',
      listen: { host: 'localhost', port: fixedLoopbackPort },
      confirmed: true,
      note: expect.any(String),
    });
  });

  it('is the remote runner’s own https URL for a remote runner', () => {
    expect(callbackUrl('github', remote)).toMatchObject({ ok: true, kind: 'runner-https', url: 'https://runner.example.com:8443/oauth/callback', secret: 'required' });
    expect(callbackUrl('gitlab', { kind: 'remote', url: 'https://Runner.Example.com:443/' })).toMatchObject({ url: 'https://runner.example.com/oauth/callback' });
    expect(callbackUrl('bitbucket-cloud', remote)).toMatchObject({ kind: 'runner-https', secret: 'required', confirmed: true });
  });

  it('says a secret is required for Entra behind an https callback, and that this is an inference', () => {
    expect(callbackOptions('azure-devops', remote).find((o) => o.kind === 'runner-https')).toMatchObject({
      url: 'https://runner.example.com:8443/oauth/callback',
      secret: 'required',
      confirmed: false,
    });
    // So a remote runner is offered Entra's confirmed public-client callbacks first.
    expect(callbackUrl('azure-devops', remote)).toMatchObject({ kind: 'custom-scheme', secret: 'not-used' });
  });

  it('prefers a confirmed callback to an unconfirmed one', () => {
    // Entra's https callback is unconfirmed, so a remote runner still gets it listed, after the confirmed ones.
    expect(callbackOptions('azure-devops', remote).map((o) => [o.kind, o.confirmed])).toEqual([
      ['custom-scheme', true],
      ['loopback', true],
      ['runner-https', false],
    ]);
  });

  it('marks every Bitbucket Data Center callback unconfirmed, loopback first (as GCM registers it)', () => {
    expect(callbackUrl('bitbucket-dc', local)).toMatchObject({ ok: true, kind: 'loopback', url: `http://localhost:${fixedLoopbackPort}/oauth/callback`, confirmed: false });
    expect(callbackOptions('bitbucket-dc', remote).map((o) => o.kind)).toEqual(['runner-https', 'loopback', 'custom-scheme']);
  });

  it('registers loopback URLs without a port where the provider ignores it', () => {
    const loopback = (kind: 'github' | 'gitlab' | 'azure-devops') => callbackOptions(kind, local).find((o) => o.kind === 'loopback');
    expect(loopback('github')).toMatchObject({ url: 'http://127.0.0.1/oauth/callback', listen: { host: '127.0.0.1', port: null }, confirmed: true });
    expect(loopback('azure-devops')).toMatchObject({ url: 'http://localhost/oauth/callback', listen: { host: 'localhost', port: null } });
    expect(loopback('gitlab')).toMatchObject({ url: 'http://127.0.0.1/oauth/callback', confirmed: false });
  });

  it('lists the local runner’s options without the remote runner’s https URL', () => {
    expect(callbackOptions('github', local).map((o) => o.url)).toEqual(['paddock://oauth/callback', 'http://127.0.0.1/oauth/callback']);
    expect(callbackOptions('github', remote).map((o) => o.url)).toEqual([
      'https://runner.example.com:8443/oauth/callback',
      'paddock://oauth/callback',
      'http://127.0.0.1/oauth/callback',
    ]);
  });

  it('refuses Azure DevOps Server, which has no OAuth, and a remote runner whose URL is not https', () => {
    expect(callbackUrl('azure-devops-server', local)).toEqual({ ok: false, message: expect.stringMatching(/only for Azure DevOps Services/) });
    expect(callbackOptions('azure-devops-server', remote)).toEqual([]);
    expect(callbackUrl('github', { kind: 'remote', url: 'http://runner.example.com' })).toEqual({
      ok: false,
      message: 'The runner has no valid https:// address to receive the callback.',
    });
  });

  it('sends a remote runner’s users to the workstation’s callbacks unless the runner offers its own (its admin’s certificate)', () => {
    expect(callbackUrl('github', { kind: 'remote', url: null })).toMatchObject({ ok: true, kind: 'custom-scheme' });
    expect(callbackOptions('github', callbackRunnerOf({ kind: 'remote', oauthCallback: null })).map((o) => o.kind)).toEqual(['custom-scheme', 'loopback']);
    expect(callbackOptions('github', callbackRunnerOf({ kind: 'remote', oauthCallback: 'https://runner.example.com:8443/oauth/callback' }))[0]).toMatchObject({
      kind: 'runner-https',
      url: 'https://runner.example.com:8443/oauth/callback',
    });
    expect(callbackRunnerOf({ kind: 'remote', oauthCallback: 'http://runner.example.com/oauth/callback' })).toEqual({ kind: 'remote', url: null });
    expect(callbackRunnerOf({ kind: 'local', oauthCallback: 'https://x.example/oauth/callback' })).toEqual({ kind: 'local', url: null });
  });
});
