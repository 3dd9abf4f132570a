import { createHash } from 'node:crypto';
// EnvironmentService's side of a working copy's credential helper: which
// requests get the environment's token (its repository's host, and for
// Azure DevOps its path), what a refusal does, and what the user is told.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PaddockError } from '../../../electron/common/errors';
import type { ProviderView } from '../../../electron/common/provider-config';
import type { EnvironmentView } from '../../../electron/common/runner-api';
import type { CredentialRequest } from '../../../electron/runner/git/credential-helper';
import { EnvironmentService, type EnvironmentTokens } from '../../../electron/runner/environments/service';
import { EnvironmentStore } from '../../../electron/runner/environments/store';
import type { RunnerLogger } from '../../../electron/runner/logger';
import type { UsableToken } from '../../../electron/runner/token-service';

const CLIENT = 'c_AAAAAAAAAAAAAAAAAAAAAA';
const logger: RunnerLogger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() } as unknown as RunnerLogger;

function entry(kind: ProviderView['kind'], host: string, more: Partial<ProviderView> = {}): ProviderView {
  return {
    kind,
    host,
    organizations: [],
    collections: [],
    oauth: { enabled: false, clientId: null, tenant: null, secretSet: false },
    pat: { enabled: true },
    managed: false,
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...more,
  } as ProviderView;
}

const token = (id: string, value: string): UsableToken => ({ id, host: 'https://dev.azure.com', organization: 'contoso', method: 'pat', account: 'sam', token: value, expiresAt: null });

function environmentOf(id: string, kind: ProviderView['kind'], url: string, cloneUrl: string, organization: string | null): EnvironmentView {
  return {
    id,
    url,
    kind,
    host: new URL(url).origin,
    organization,
    repository: 'r',
    cloneUrl,
    ref: null,
    resolved: null,
    subPath: null,
    depth: 'full',
    tokenId: null,
    path: '/nowhere',
    state: 'ready',
    jobId: null,
    error: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('credentials for a working copy’s own git', () => {
  let dataDir: string;
  let store: EnvironmentStore;
  let tokens: EnvironmentTokens & { usable: ReturnType<typeof vi.fn>; rejected: ReturnType<typeof vi.fn> };
  let service: EnvironmentService;
  const ADO = 'e_ADOADOADOADOADOADOADOA';
  const GH = 'e_GHGHGHGHGHGHGHGHGHGHGH';
  const ask = (over: Partial<CredentialRequest>): CredentialRequest => ({ action: 'get', protocol: 'https', host: 'dev.azure.com', path: null, username: null, passwordSha256: null, ...over });

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdk-envsvc-'));
    store = new EnvironmentStore(dataDir);
    store.put(CLIENT, environmentOf(ADO, 'azure-devops', 'https://dev.azure.com/contoso/Fabrikam/_git/hello', 'https://dev.azure.com/contoso/Fabrikam/_git/hello', 'contoso'));
    store.put(CLIENT, environmentOf(GH, 'github', 'https://github.com/octo/hello', 'https://github.com/octo/hello.git', null));
    tokens = {
      usable: vi.fn(async () => token('t_1', 'the-token')),
      usableById: vi.fn(async () => token('t_1', 'the-token')),
      rejected: vi.fn(async () => null),
    };
    service = new EnvironmentService({
      store,
      providers: () => [entry('azure-devops', 'https://dev.azure.com', { organizations: [{ name: 'contoso', tenant: 'organizations', tenantOrigin: 'default' }] }), entry('github', 'https://github.com')],
      tokens,
      startJob: () => {
        throw new Error('no jobs here');
      },
      credentials: () => Promise.reject(new Error('no per-run helper here')),
      root: () => dataDir,
      logger,
    });
  });

  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('gives Azure DevOps’ token only for the environment’s own repository path', async () => {
    expect(await service.credentialFor(ADO, ask({ path: 'contoso/Fabrikam/_git/hello' }))).toEqual({ credential: { username: 'paddock', password: 'the-token' } });
    expect(tokens.usable).toHaveBeenCalledWith(CLIENT, 'https://dev.azure.com', 'contoso', undefined);
    tokens.usable.mockClear();
    expect(await service.credentialFor(ADO, ask({ path: 'contoso/Other/_git/hello' }))).toBeNull();
    expect(await service.credentialFor(ADO, ask({ path: null }))).toBeNull();
    expect(await service.credentialFor(ADO, ask({ host: 'evil.example', path: 'contoso/Fabrikam/_git/hello' }))).toBeNull();
    expect(await service.credentialFor(ADO, ask({ protocol: 'http', path: 'contoso/Fabrikam/_git/hello' }))).toBeNull();
    // A stray % in the path git sends: nothing given, no error.
    expect(await service.credentialFor(ADO, ask({ path: 'contoso/Fabrikam/_git/hel%lo' }))).toBeNull();
    expect(tokens.usable).not.toHaveBeenCalled();
  });

  it('gives GitHub’s token for its host (git sends no path there), with the login as user name', async () => {
    expect(await service.credentialFor(GH, ask({ host: 'github.com' }))).toEqual({ credential: { username: 'sam', password: 'the-token' } });
    expect(await service.credentialFor(GH, ask({ host: 'GitHub.com' }))).not.toBeNull();
    expect(await service.credentialFor(GH, ask({ host: 'gist.github.com' }))).toBeNull();
    // A path, when the user's config sends one, must still be the repository's.
    expect(await service.credentialFor(GH, ask({ host: 'github.com', path: 'octo/hello.git' }))).not.toBeNull();
    expect(await service.credentialFor(GH, ask({ host: 'github.com', path: 'octo/other.git' }))).toBeNull();
  });

  it('tells the user what to do when there is no usable token, or no such environment', async () => {
    tokens.usable.mockRejectedValueOnce(new PaddockError('reconnect-needed', 'GitHub no longer accepts your token. Reconnect to go on.'));
    expect(await service.credentialFor(GH, ask({ host: 'github.com' }))).toEqual({ message: 'GitHub no longer accepts your token. Reconnect to go on.' });
    const gone = await service.credentialFor('e_GONEGONEGONEGONEGONEGO', ask({ host: 'github.com' }));
    expect(gone && 'message' in gone ? gone.message : '').toContain('no longer has this environment');
  });

  it('marks the token refused on erase of that token for its repository, and for nothing else', async () => {
    const ours = createHash('sha256').update('the-token').digest('hex');
    await service.credentialRefused(GH, ask({ action: 'erase', host: 'github.com', passwordSha256: ours }));
    expect(tokens.rejected).toHaveBeenCalledWith(CLIENT, 't_1', expect.any(String));
    tokens.rejected.mockClear();
    await service.credentialRefused(GH, ask({ action: 'erase', host: 'elsewhere.example', passwordSha256: ours }));
    expect(tokens.rejected).not.toHaveBeenCalled();
    // git refused a password of the user's own (in the URL, typed), or did not say which: the token stays.
    await service.credentialRefused(GH, ask({ action: 'erase', host: 'github.com', passwordSha256: createHash('sha256').update('bad').digest('hex') }));
    await service.credentialRefused(GH, ask({ action: 'erase', host: 'github.com' }));
    expect(tokens.rejected).not.toHaveBeenCalled();
    // A token already refused: nothing more to mark, and no error.
    tokens.usable.mockRejectedValueOnce(new PaddockError('reconnect-needed', 'Reconnect.'));
    await expect(service.credentialRefused(GH, ask({ action: 'erase', host: 'github.com', passwordSha256: ours }))).resolves.toBeUndefined();
  });
});
