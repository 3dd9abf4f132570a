import { describe, expect, it } from 'vitest';
import { patNewTokenUrl, suggestedPatDays } from '../../../../electron/common/providers';

const name = 'Paddock on alice-laptop';

describe('patNewTokenUrl', () => {
  it('pre-fills name and scopes on GitLab, as documented', () => {
    expect(patNewTokenUrl('gitlab', 'https://git.example.com/gitlab', { name })).toEqual({
      ok: true,
      url: 'https://git.example.com/gitlab/-/user_settings/personal_access_tokens?name=Paddock%20on%20alice-laptop&scopes=write_repository,read_user',
      prefilled: { name: true, scopes: true, days: false },
      confirmed: true,
      choose: { name, scopes: ['write_repository', 'read_user'], days: suggestedPatDays },
      notes: [{ text: expect.stringMatching(/365 days/) }],
    });
  });

  it('pre-fills GitHub’s classic token page with its de-facto parameters, marked unconfirmed', () => {
    expect(patNewTokenUrl('github', 'https://github.com', { name, days: 45 })).toMatchObject({
      ok: true,
      url: 'https://github.com/settings/tokens/new?description=Paddock%20on%20alice-laptop&scopes=repo,workflow',
      prefilled: { name: true, scopes: true, days: false },
      confirmed: false,
      choose: { days: 45 },
    });
    expect(patNewTokenUrl('github', 'https://ghe.example.com', { name })).toMatchObject({ url: expect.stringMatching(/^https:\/\/ghe\.example\.com\/settings\/tokens\/new\?/) });
  });

  it('opens the organisation’s token page on Azure DevOps, with nothing pre-filled', () => {
    expect(patNewTokenUrl('azure-devops', 'https://dev.azure.com', { name, organization: 'My Org' })).toEqual({
      ok: true,
      url: 'https://dev.azure.com/My%20Org/_usersSettings/tokens',
      prefilled: { name: false, scopes: false, days: false },
      confirmed: true,
      choose: { name, scopes: ['vso.code_write'], days: 30 },
      notes: [{ text: 'Create the token for one organization, not for all accessible organizations.', deadline: { what: 'Global tokens', date: '2026-12-01' } }],
    });
    expect(patNewTokenUrl('azure-devops', 'https://dev.azure.com', { name })).toEqual({
      ok: false,
      message: 'Azure DevOps tokens belong to one organization: choose it first.',
    });
  });

  it('opens the collection on Azure DevOps Server, keeping the virtual directory', () => {
    expect(patNewTokenUrl('azure-devops-server', 'http://tfs:8080/tfs', { name, collection: 'DefaultCollection' })).toMatchObject({
      ok: true,
      url: 'http://tfs:8080/tfs/DefaultCollection',
      prefilled: { name: false, scopes: false, days: false },
    });
    expect(patNewTokenUrl('azure-devops-server', 'https://tfs.example.com/tfs', { name }).ok).toBe(false);
  });

  it('opens the Atlassian and Bitbucket Data Center pages without pre-fill', () => {
    expect(patNewTokenUrl('bitbucket-cloud', 'https://bitbucket.org', { name })).toMatchObject({
      url: 'https://id.atlassian.com/manage-profile/security/api-tokens',
      prefilled: { name: false, scopes: false, days: false },
      choose: { scopes: ['read:repository:bitbucket', 'write:repository:bitbucket', 'read:user:bitbucket'] },
    });
    expect(patNewTokenUrl('bitbucket-dc', 'https://example.com/bitbucket', { name })).toMatchObject({
      url: 'https://example.com/bitbucket/plugins/servlet/access-tokens/manage',
      confirmed: false,
    });
  });

  it('refuses an empty name and a validity that is not a whole number of days', () => {
    expect(patNewTokenUrl('gitlab', 'https://gitlab.com', { name: '  ' })).toEqual({ ok: false, message: 'Give the token a name.' });
    expect(patNewTokenUrl('gitlab', 'https://gitlab.com', { name, days: 0 }).ok).toBe(false);
    expect(patNewTokenUrl('gitlab', 'https://gitlab.com', { name, days: 1.5 }).ok).toBe(false);
  });
});
