import { plainHttpWarning } from '../constants';
import type { CatalogueEntry, Scope } from '../schema';

// GitLab.com and self-managed GitLab: SCM-PROTOCOLS §3.

const gitLabScopes: Scope[] = [
  { scope: 'write_repository', reason: 'Clone and push over HTTPS (read-write Git over HTTP).', source: '§3.1', confirmed: true },
  { scope: 'read_user', reason: 'Read the user’s profile, to show who is connected.', source: '§3.1', confirmed: true },
];

export const gitlab: CatalogueEntry = {
  kind: 'gitlab',
  displayName: 'GitLab',
  covers: 'gitlab.com and self-managed GitLab',
  host: {
    default: 'https://gitlab.com',
    changeable: true,
    path: 'relative-root',
    http: { allowed: true, warning: plainHttpWarning },
    example: 'https://gitlab.example.com',
    api: { defaultHost: '{baseUrl}/api/v4', otherHost: '{baseUrl}/api/v4' },
    source: '§3.1, §3.2',
    confirmed: true,
    note: 'A path after a self-managed host is kept as GitLab’s relative URL root (Paddock’s choice, as the context-URL parser does); the spec writes endpoints as https://{host}/….',
  },
  units: null,
  oauth: {
    supported: true,
    registration: {
      name: 'OAuth application',
      where: 'Applications in the user’s, a group’s or the instance’s settings; each self-managed instance needs its own',
      url: null,
      source: '§3.1',
      confirmed: true,
    },
    authorize: { method: 'GET', url: '{baseUrl}/oauth/authorize', source: '§3.1', confirmed: true },
    token: {
      method: 'POST',
      url: '{baseUrl}/oauth/token',
      source: '§3.1',
      confirmed: true,
      note: 'A refresh invalidates the old access and refresh tokens: store the new pair.',
    },
    callbacks: [
      {
        kind: 'custom-scheme',
        loopback: null,
        secret: 'optional',
        source: '§3.1, decisions',
        confirmed: true,
        note: 'GitLab forbids only data:, vbscript: and javascript: redirect URIs (Doorkeeper configuration); a public editor extension uses its own scheme with PKCE.',
      },
      {
        kind: 'loopback',
        loopback: { host: '127.0.0.1', port: 'any' },
        secret: 'optional',
        source: '§3.1, decisions',
        confirmed: false,
        note: 'GCM registers http://127.0.0.1/; whether GitLab ignores the port of a loopback redirect is not in the spec, so prefer the custom scheme.',
      },
      { kind: 'runner-https', loopback: null, secret: 'optional', source: '§3.1, decisions', confirmed: true },
    ],
    pkce: { support: 'supported', source: '§3.1', confirmed: true },
    scopesSetAt: 'request',
    scopes: gitLabScopes,
    setup: [
      {
        text: 'Clear “Confidential” to make the application a public client (PKCE, no secret), the recommended choice for the local runner.',
        source: '§3.1, decisions',
        confirmed: true,
      },
      { text: 'Tick the same scopes on the application as Paddock requests.', source: '§3.1', confirmed: true },
    ],
  },
  pat: {
    name: 'Personal access token',
    page: {
      url: '{baseUrl}/-/user_settings/personal_access_tokens',
      needs: 'host',
      source: '§3.2',
      confirmed: true,
      note: 'Older GitLab versions use /-/profile/personal_access_tokens.',
    },
    prefill: { name: 'name', scopes: 'scopes', separator: ',', source: '§3.2', confirmed: true, note: 'Documented since GitLab 14.1.' },
    scopes: gitLabScopes.map((scope) => ({ ...scope, source: '§3.1, §3.2' })),
    git: {
      username: 'oauth2',
      source: '§3.3',
      confirmed: true,
      note: 'Required for OAuth tokens; GitLab ignores the user name with a personal access token.',
    },
    notes: [
      {
        text: 'Tokens expire after at most 365 days by default; administrators can lower the limit.',
        source: '§3.2',
        confirmed: true,
      },
    ],
  },
  probes: [
    {
      purpose: 'host',
      method: 'GET',
      url: '{baseUrl}/.well-known/openid-configuration',
      expect: { type: 'json', fields: ['issuer', 'authorization_endpoint', 'token_endpoint'] },
      source: 'GitLab docs, “GitLab as OpenID Connect identity provider”, Settings discovery (not in SCM-PROTOCOLS.md)',
      confirmed: true,
      note: 'GitLab documents this URL for GitLab.com and self-managed instances; the issuer is expected to equal the base URL.',
    },
  ],
  tokenCheck: {
    oauth: {
      method: 'GET',
      url: '{baseUrl}/oauth/token/info',
      auth: 'bearer',
      reads: 'scope, expires_in, application uid',
      source: '§3.1',
      confirmed: true,
    },
    pat: {
      method: 'GET',
      url: '{apiBase}/personal_access_tokens/self',
      auth: 'bearer',
      reads: 'scopes, expires_at, active, revoked, user_id',
      source: '§3.2',
      confirmed: true,
      note: 'GitLab 15.5 and later.',
    },
  },
  policyHints: [
    {
      id: 'gitlab-insufficient-scope',
      method: 'oauth',
      match: { status: 403, errors: ['insufficient_scope'] },
      cause: 'The token lacks a scope Paddock needs: the application or token was created with fewer scopes than listed.',
      setting: null,
      where: null,
      whereUrl: null,
      offer: 'fix-registration',
      source: '§3.1',
      confirmed: false,
      note: 'The error body is confirmed (§3.1); its HTTP status is not in the spec.',
    },
  ],
  docs: [
    {
      title: 'Configure GitLab as an OAuth 2.0 authentication identity provider',
      url: 'https://docs.gitlab.com/integration/oauth_provider/',
      source: '§3.1',
    },
    { title: 'OAuth 2.0 identity provider API', url: 'https://docs.gitlab.com/api/oauth2/', source: '§3.1' },
    { title: 'Personal access tokens', url: 'https://docs.gitlab.com/user/profile/personal_access_tokens/', source: '§3.2' },
  ],
};
