import { describe, expect, it } from 'vitest';
import type { ProviderView } from '../../../electron/common/provider-config';
import {
  changeKind,
  deletedTokensSentence,
  formChanged,
  formFromView,
  formProblems,
  issueField,
  newProviderForm,
  providerInput,
  secretBinding,
  secretNeededAgain,
  secretRequirement,
  suggestedKind,
  tokenLossSentence,
  tokensLost,
  type ProviderForm,
} from '../../../renderer/src/provider-form';

const local = { kind: 'local' as const, url: null };
const remote = { kind: 'remote' as const, url: 'https://runner.example.test:8443' };
const noSecret = { entered: false, kept: false, requirement: 'optional' as const };

const azureView: ProviderView = {
  kind: 'azure-devops',
  host: 'https://dev.azure.com',
  organizations: [{ name: 'contoso', tenant: 'organizations', tenantOrigin: 'default' }],
  collections: [],
  oauth: { enabled: true, clientId: 'app-1', tenant: 'organizations', secretSet: true },
  pat: { enabled: true },
  managed: false,
  updatedAt: '2025-01-01T00:00:00.000Z',
};

describe('new forms', () => {
  it('start with the kind’s default host, Personal Access Tokens on and OAuth off', () => {
    expect(newProviderForm('azure-devops')).toMatchObject({ host: 'https://dev.azure.com', oauthEnabled: false, patEnabled: true, tenant: 'organizations' });
    expect(newProviderForm('azure-devops').organizations).toHaveLength(1);
    expect(newProviderForm('azure-devops-server')).toMatchObject({ host: '', oauthEnabled: false, patEnabled: true });
    expect(newProviderForm('azure-devops-server').collections).toHaveLength(1);
    expect(newProviderForm('github')).toMatchObject({ host: 'https://github.com', oauthEnabled: false, patEnabled: true });
  });

  it('follow the kind’s default host unless the admin typed their own, and keep the methods chosen where the kind has them', () => {
    const github = newProviderForm('github');
    expect(changeKind(github, 'gitlab').host).toBe('https://gitlab.com');
    expect(changeKind({ ...github, host: 'https://git.example.test' }, 'gitlab').host).toBe('https://git.example.test');
    // Azure DevOps lives at one host only.
    expect(changeKind({ ...github, host: 'https://git.example.test' }, 'azure-devops').host).toBe('https://dev.azure.com');
    expect(changeKind(newProviderForm('azure-devops-server'), 'github')).toMatchObject({ oauthEnabled: false, patEnabled: true });
    const oauthOnly = { ...github, oauthEnabled: true, patEnabled: false };
    expect(changeKind(oauthOnly, 'gitlab')).toMatchObject({ oauthEnabled: true, patEnabled: false });
    // Azure DevOps Server has no OAuth: PAT comes back on, so the entry still has a way to connect.
    expect(changeKind(oauthOnly, 'azure-devops-server')).toMatchObject({ oauthEnabled: false, patEnabled: true });
  });

  it('open on the kind the runner’s entries suggest: its latest self-hosted one, else the first kind it has no entry for', () => {
    const at = (kind: ProviderView['kind'], host: string, updatedAt = '2025-01-01T00:00:00.000Z') => ({ kind, host, updatedAt });
    expect(suggestedKind([])).toBe('github');
    expect(suggestedKind([at('github', 'https://github.com')])).toBe('gitlab');
    expect(suggestedKind([at('github', 'https://github.com'), at('gitlab', 'https://gitlab.com')])).toBe('bitbucket-cloud');
    expect(
      suggestedKind([at('github', 'https://github.com'), at('gitlab', 'https://git.example.test', '2025-02-01T00:00:00.000Z'), at('bitbucket-dc', 'https://bb.example.test')]),
    ).toBe('gitlab');
  });

  it('know when they changed, rows and surrounding spaces aside', () => {
    const form = newProviderForm('azure-devops');
    expect(formChanged(form, form)).toBe(false);
    expect(formChanged(form, { ...form, organizations: [...form.organizations, { key: 'other', name: ' ', tenant: '', tenantOrigin: 'default' }] })).toBe(false);
    expect(formChanged(form, { ...form, host: ' https://dev.azure.com ' })).toBe(false);
    expect(formChanged(form, { ...form, clientId: 'app-1' })).toBe(true);
    expect(formChanged(form, { ...form, oauthEnabled: true })).toBe(true);
    const view = formFromView(azureView);
    expect(formChanged(view, formFromView(azureView))).toBe(false);
  });
});

describe('formProblems', () => {
  it('asks for at least one method, a Client ID with OAuth, and names the host problem', () => {
    const form: ProviderForm = { ...newProviderForm('github'), host: 'http://github.com', oauthEnabled: false, patEnabled: false };
    const problems = formProblems(form, noSecret);
    expect(problems.host).toMatch(/needs https/);
    expect(problems.methods).toMatch(/at least one way to connect/);
    expect(formProblems({ ...form, host: 'https://github.com', oauthEnabled: true }, noSecret).clientId).toBe('Enter the Client ID of the OAuth app.');
  });

  it('asks for the secret where the provider requires one, not for a public client', () => {
    const github: ProviderForm = { ...newProviderForm('github'), oauthEnabled: true, clientId: 'x' };
    expect(formProblems(github, { ...noSecret, requirement: 'required' }).clientSecret).toMatch(/needs the client secret/);
    expect(formProblems(github, { entered: true, kept: false, requirement: 'required' }).clientSecret).toBeUndefined();
    expect(formProblems(github, { entered: false, kept: true, requirement: 'required' }).clientSecret).toBeUndefined();
    expect(formProblems({ ...newProviderForm('azure-devops'), oauthEnabled: true, clientId: 'x' }, noSecret).clientSecret).toBeUndefined();
  });

  it('checks organizations and their tenants, and collections', () => {
    const form = newProviderForm('azure-devops');
    const [row] = form.organizations;
    if (!row) throw new Error('no row');
    const bad = { ...form, clientId: 'x', organizations: [{ ...row, name: 'a/b', tenant: 'consumers' }] };
    const problems = formProblems(bad, noSecret);
    expect(problems[`organization-${row.key}`]).toMatch(/without slashes/);
    expect(problems[`tenant-${row.key}`]).toMatch(/Personal Microsoft accounts/);
    const server = newProviderForm('azure-devops-server');
    const collection = server.collections[0];
    if (!collection) throw new Error('no row');
    expect(formProblems({ ...server, host: 'https://tfs.example.test/tfs' }, noSecret)[`collection-${collection.key}`]).toMatch(/Enter the collection’s name/);
  });
});

describe('providerInput', () => {
  it('drops empty rows, gives tenant-less organizations the default, and sends no OAuth where it is off', () => {
    const form = newProviderForm('azure-devops');
    const filled: ProviderForm = {
      ...form,
      oauthEnabled: true,
      clientId: ' app ',
      tenant: '',
      organizations: [
        { key: 'a', name: ' contoso ', tenant: '', tenantOrigin: 'default' },
        { key: 'b', name: 'fabrikam', tenant: 'organizations', tenantOrigin: 'default' },
        { key: 'c', name: '', tenant: '', tenantOrigin: 'default' },
      ],
    };
    const input = providerInput(filled, { action: 'keep' });
    expect(input.organizations).toEqual([
      { name: 'contoso', tenant: 'organizations', tenantOrigin: 'default' },
      { name: 'fabrikam', tenant: 'organizations', tenantOrigin: 'entered' },
    ]);
    expect(input.oauth).toEqual({ enabled: true, clientId: 'app', tenant: null, clientSecret: { action: 'keep' } });
    expect(providerInput({ ...filled, oauthEnabled: false }, { action: 'keep' }).oauth).toEqual({
      enabled: false,
      clientId: null,
      tenant: null,
      clientSecret: { action: 'none' },
    });
    expect(providerInput({ ...newProviderForm('azure-devops-server'), oauthEnabled: true }, { action: 'keep' }).oauth.enabled).toBe(false);
  });
});

describe('the sealed secret’s binding', () => {
  it('uses the runner’s own id and the normalised host, and needs both', () => {
    const form: ProviderForm = { ...newProviderForm('azure-devops-server'), host: 'HTTPS://TFS.example.test/tfs/' };
    expect(secretBinding({ ...form, clientId: 'x' }, { runnerUid: 'uid-1' })).toEqual({
      runnerId: 'uid-1',
      kind: 'azure-devops-server',
      host: 'https://tfs.example.test/tfs',
      clientId: 'x',
      tenant: null,
    });
    expect(secretBinding({ ...form, clientId: 'x' }, { runnerUid: null })).toBeNull();
    expect(secretBinding(form, { runnerUid: 'uid-1' })).toBeNull();
  });

  it('asks for the secret again when the host, Client ID or tenant changes', () => {
    const form = formFromView(azureView);
    expect(secretNeededAgain(azureView, form)).toBeNull();
    expect(secretNeededAgain(azureView, { ...form, clientId: 'app-2' })).toMatch(/^The Client ID changed/);
    expect(secretNeededAgain(azureView, { ...form, clientId: 'app-2', tenant: 'common' })).toMatch(/^The Client ID and tenant changed/);
    expect(secretNeededAgain({ ...azureView, oauth: { ...azureView.oauth, secretSet: false } }, { ...form, clientId: 'app-2' })).toBeNull();
  });

  it('is optional for Entra and GitLab public clients on the local runner, required for GitHub and Bitbucket Cloud', () => {
    expect(secretRequirement('azure-devops', local)).toBe('optional');
    expect(secretRequirement('gitlab', local)).toBe('optional');
    expect(secretRequirement('github', local)).toBe('required');
    expect(secretRequirement('bitbucket-cloud', remote)).toBe('required');
    // Entra's own https callback is unconfirmed, so the custom scheme still comes first for a remote runner.
    expect(secretRequirement('azure-devops', remote)).toBe('optional');
  });
});

describe('tokensLost', () => {
  it('names the methods whose users’ tokens a save deletes', () => {
    const form = formFromView(azureView);
    expect(tokensLost(null, form)).toEqual([]);
    expect(tokensLost(azureView, form)).toEqual([]);
    expect(tokensLost(azureView, { ...form, patEnabled: false })).toEqual(['pat']);
    expect(tokensLost(azureView, { ...form, oauthEnabled: false })).toEqual(['oauth']);
    expect(tokensLost(azureView, { ...form, clientId: 'app-2' })).toEqual(['oauth']);
    expect(tokensLost(azureView, { ...form, organizations: [] })).toEqual([]);
  });

  it('says so before, and counts after', () => {
    const form = { ...formFromView(azureView), patEnabled: false };
    expect(tokenLossSentence(azureView, form, ['pat'])).toBe(
      'Because Personal Access Tokens are turned off, the tokens users obtained with a Personal Access Token for https://dev.azure.com will be deleted from this runner. They will have to connect again.',
    );
    expect(deletedTokensSentence(0)).toBe('No user tokens were deleted.');
    expect(deletedTokensSentence(1)).toBe('1 user token was deleted.');
    expect(deletedTokensSentence(3)).toBe('3 user tokens were deleted.');
  });
});

describe('issueField', () => {
  it('places an API issue on the field it is about, counting rows as providerInput sends them', () => {
    const form: ProviderForm = {
      ...newProviderForm('azure-devops'),
      organizations: [
        { key: 'a', name: 'contoso', tenant: '', tenantOrigin: 'default' },
        { key: 'empty', name: ' ', tenant: '', tenantOrigin: 'default' },
        { key: 'b', name: 'fabrikam', tenant: '', tenantOrigin: 'default' },
      ],
    };
    expect(issueField('provider.host', form)).toBe('host');
    expect(issueField('host', form)).toBe('host');
    expect(issueField('provider.organizations.1.name', form)).toBe('organization-b');
    expect(issueField('organizations.0.tenant', form)).toBe('tenant-a');
    expect(issueField('provider.organizations.2.name', form)).toBeNull();
    expect(issueField('provider.oauth.clientId', form)).toBe('clientId');
    expect(issueField('provider.oauth.clientSecret.sealed', form)).toBe('clientSecret');
    expect(issueField('provider.pat.enabled', form)).toBeNull();
    expect(issueField('runnerId', form)).toBeNull();
    const server: ProviderForm = { ...newProviderForm('azure-devops-server'), collections: [{ key: 'c', name: 'DefaultCollection' }] };
    expect(issueField('provider.collections.0.name', server)).toBe('collection-c');
  });
});
