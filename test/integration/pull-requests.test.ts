import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseContextUrl } from '../../electron/common/context-url/parse';
import type { ContextUrl } from '../../electron/common/context-url/schema';
import type { ProviderView } from '../../electron/common/provider-config';
import { pullRequestSource } from '../../electron/runner/environments/pull-requests';
import { startAzureDevOpsSimulator, type AzureDevOpsSimulator } from '../fakes/azure-devops';
import { startBitbucketCloudSimulator, type BitbucketCloudSimulator } from '../fakes/bitbucket-cloud';
import { SIMULATED_USER } from '../helpers/provider-simulators';

// Issue 10 point 3: a pull request's source for the two providers that keep
// no head ref (GIT-AND-DESKTOP §2), read from their simulators' API.

const PAT = 'pr-canary-pat-4b1d0e';
const COMMIT = 'a'.repeat(40);
let ado: AzureDevOpsSimulator;
let bitbucket: BitbucketCloudSimulator;
let dir: string;
let caFile: string;

beforeAll(async () => {
  ado = await startAzureDevOpsSimulator({ organizations: { contoso: { tenant: null } }, account: { user: SIMULATED_USER, personalAccessToken: PAT } });
  bitbucket = await startBitbucketCloudSimulator({ account: { user: SIMULATED_USER, personalAccessToken: PAT } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-pr-'));
  caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, `${ado.ca}\n${bitbucket.ca}`);
});
afterAll(async () => {
  await Promise.all([ado.close(), bitbucket.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

const entry = (kind: ProviderView['kind'], host: string) => ({ kind, host }) as ProviderView;
const context = (url: string): ContextUrl => {
  const parsed = parseContextUrl(url);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed;
};
const options = () => ({ http: { caFile }, endpoints: { 'https://dev.azure.com': ado.origin, 'https://api.bitbucket.org': bitbucket.origin } });
const adoPat = { value: PAT, method: 'pat' as const, username: null };
const bitbucketToken = { value: PAT, method: 'pat' as const, username: SIMULATED_USER.email };
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as { code: string; message: string });

describe('Azure DevOps', () => {
  const url = 'https://dev.azure.com/contoso/web/_git/app/pullrequest/12';

  it('reads the source branch (refs/heads/ stripped) and commit of a branch of the same repository', async () => {
    ado.setPullRequest({ organization: 'contoso', project: 'web', repo: 'app', id: 12 }, { sourceRefName: 'refs/heads/feature/login/form', commit: COMMIT, fork: null });
    const source = await pullRequestSource(entry('azure-devops', 'https://dev.azure.com'), context(url), 12, adoPat, options());
    expect(source).toEqual({ cloneUrl: 'https://dev.azure.com/contoso/web/_git/app', branch: 'feature/login/form', commit: COMMIT, fork: false, repository: 'web/app' });
  });

  it('reads a fork’s repository, without the user name Azure DevOps puts in its remote URL', async () => {
    ado.setPullRequest({ organization: 'contoso', project: 'web', repo: 'app', id: 12 }, { sourceRefName: 'refs/heads/fix', commit: COMMIT, fork: { project: 'forks', name: 'app-fork' } });
    const source = await pullRequestSource(entry('azure-devops', 'https://dev.azure.com'), context(url), 12, adoPat, options());
    expect(source).toMatchObject({ cloneUrl: 'https://dev.azure.com/contoso/forks/_git/app-fork', branch: 'fix', fork: true });
  });

  it('says plainly when there is no such pull request, and when the token is refused', async () => {
    const missing = await failure(pullRequestSource(entry('azure-devops', 'https://dev.azure.com'), context(url.replace('/12', '/99')), 99, adoPat, options()));
    expect(missing).toMatchObject({ code: 'not-found' });
    expect(missing?.message).toContain('no pull request 99 in contoso/app');
    const refused = await failure(pullRequestSource(entry('azure-devops', 'https://dev.azure.com'), context(url), 12, { ...adoPat, value: 'wrong' }, options()));
    expect(refused).toMatchObject({ code: 'reconnect-needed' });
    expect(JSON.stringify(refused)).not.toContain(PAT);
  });
});

describe('Bitbucket Cloud', () => {
  const url = 'https://bitbucket.org/acme/widgets/pull-requests/3';

  it('reads the source branch, commit and repository of a fork', async () => {
    bitbucket.setPullRequest('acme/widgets', 3, { branch: 'feature/x', commit: COMMIT, sourceRepository: 'sam/widgets' });
    const source = await pullRequestSource(entry('bitbucket-cloud', 'https://bitbucket.org'), context(url), 3, bitbucketToken, options());
    expect(source).toEqual({ cloneUrl: 'https://bitbucket.org/sam/widgets.git', branch: 'feature/x', commit: COMMIT, fork: true, repository: 'sam/widgets' });
  });

  it('says the source is not accessible when the fork is out of reach', async () => {
    bitbucket.setPullRequest('acme/widgets', 3, { branch: 'feature/x', commit: COMMIT, sourceRepository: null });
    const error = await failure(pullRequestSource(entry('bitbucket-cloud', 'https://bitbucket.org'), context(url), 3, bitbucketToken, options()));
    expect(error).toMatchObject({ code: 'not-found' });
    expect(error?.message).toContain('The source of pull request 3 (its fork) is not accessible.');
  });

  it('sends an API token with the account’s email, as Bitbucket requires', async () => {
    bitbucket.setPullRequest('acme/widgets', 3, { branch: 'main', commit: COMMIT, sourceRepository: 'acme/widgets' });
    expect(await pullRequestSource(entry('bitbucket-cloud', 'https://bitbucket.org'), context(url), 3, bitbucketToken, options())).toMatchObject({ fork: false });
    const error = await failure(pullRequestSource(entry('bitbucket-cloud', 'https://bitbucket.org'), context(url), 3, { ...bitbucketToken, username: 'sam' }, options()));
    expect(error).toMatchObject({ code: 'reconnect-needed' });
  });
});
