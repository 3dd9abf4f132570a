import { describe, expect, it } from 'vitest';
import { parseContextUrl } from '../../../electron/common/context-url/parse';
import type { ContextUrl } from '../../../electron/common/context-url/schema';
import { PaddockError } from '../../../electron/common/errors';
import { branchOfRefName, checkoutPlan, parseLsRemote, pullRequestRef, resolveAmbiguous } from '../../../electron/runner/environments/refs';

const context = (url: string): ContextUrl => {
  const parsed = parseContextUrl(url);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed;
};

describe('checkoutPlan', () => {
  it('reads each kind of ref the parser gives', () => {
    expect(checkoutPlan(context('https://github.com/o/r'))).toEqual({ type: 'default' });
    expect(checkoutPlan(context('https://dev.azure.com/contoso/web/_git/app?version=GBfeature/login/form'))).toEqual({ type: 'branch', name: 'feature/login/form' });
    expect(checkoutPlan(context('https://dev.azure.com/contoso/web/_git/app?version=GTv1.2'))).toEqual({ type: 'tag', name: 'v1.2' });
    expect(checkoutPlan(context('https://github.com/o/r/commit/0123456789abcdef0123456789abcdef01234567'))).toEqual({ type: 'commit', sha: '0123456789abcdef0123456789abcdef01234567' });
    expect(checkoutPlan(context('https://github.com/o/r/tree/release/2026.12/src'))).toEqual({ type: 'ambiguous', segments: ['release', '2026.12', 'src'] });
  });

  it('fetches pull requests by the ref each provider keeps, and asks the API where it keeps none', () => {
    expect(checkoutPlan(context('https://github.com/o/r/pull/7'))).toEqual({ type: 'pull-ref', number: 7, ref: 'refs/pull/7/head' });
    expect(checkoutPlan(context('https://gitlab.com/g/r/-/merge_requests/7'))).toEqual({ type: 'pull-ref', number: 7, ref: 'refs/merge-requests/7/head' });
    expect(checkoutPlan(context('https://bitbucket.org/w/r/pull-requests/7'))).toEqual({ type: 'pull-api', number: 7 });
    expect(checkoutPlan(context('https://dev.azure.com/contoso/web/_git/app/pullrequest/7'))).toEqual({ type: 'pull-api', number: 7 });
    expect(pullRequestRef('bitbucket-dc', 7)).toBe('refs/pull-requests/7/from');
    expect(pullRequestRef('azure-devops-server', 7)).toBeNull();
  });
});

describe('resolveAmbiguous', () => {
  const refs = parseLsRemote(
    [
      'aaaa\trefs/heads/main',
      'bbbb\trefs/heads/release',
      'cccc\trefs/heads/release/2026.12',
      'dddd\trefs/tags/v1',
      'eeee\trefs/tags/v1^{}',
      'ffff\trefs/tags/docs/v2',
      '',
    ].join('\n'),
  );

  it('takes the longest branch and leaves the rest as the folder', () => {
    expect(resolveAmbiguous(['release', '2026.12', 'src'], refs)).toEqual({ type: 'branch', name: 'release/2026.12', subPath: 'src' });
    expect(resolveAmbiguous(['release', 'src'], refs)).toEqual({ type: 'branch', name: 'release', subPath: 'src' });
    expect(resolveAmbiguous(['main'], refs)).toEqual({ type: 'branch', name: 'main', subPath: null });
  });

  it('reads tags too, peeled ones once', () => {
    expect([...refs.tags].sort()).toEqual(['docs/v2', 'v1']);
    expect(resolveAmbiguous(['docs', 'v2', 'README.md'], refs)).toEqual({ type: 'tag', name: 'docs/v2', subPath: 'README.md' });
  });

  it('says plainly when no such ref exists', () => {
    const error = (() => {
      try {
        resolveAmbiguous(['gone', 'src'], refs);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PaddockError);
    expect((error as PaddockError).code).toBe('not-found');
    expect((error as PaddockError).message).toContain('no branch or tag named “gone”');
  });
});

it('branchOfRefName strips refs/heads/ (Azure DevOps’ sourceRefName) and nothing else', () => {
  expect(branchOfRefName('refs/heads/feature/login')).toBe('feature/login');
  expect(branchOfRefName('feature/refs/heads/x')).toBe('feature/refs/heads/x');
});
