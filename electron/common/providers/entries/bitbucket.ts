import { plainHttpWarning } from '../constants';
import type { CatalogueEntry } from '../schema';

// Bitbucket Cloud and Bitbucket Data Center: SCM-PROTOCOLS §4.

export const bitbucketCloud: CatalogueEntry = {
  kind: 'bitbucket-cloud',
  displayName: 'Bitbucket Cloud',
  covers: 'bitbucket.org',
  host: {
    default: 'https://bitbucket.org',
    changeable: false,
    path: 'none',
    http: { allowed: false },
    example: 'https://bitbucket.org',
    api: { defaultHost: 'https://api.bitbucket.org/2.0', otherHost: null },
    source: '§4.1, §4.2',
    confirmed: true,
    note: 'One service at one host; a self-hosted Bitbucket is the Bitbucket Data Center kind.',
  },
  units: null,
  oauth: {
    supported: true,
    registration: {
      name: 'OAuth consumer',
      where: 'Workspace settings → OAuth consumers; one consumer per workspace, one callback URL each',
      url: null,
      source: '§4.1',
      confirmed: true,
    },
    authorize: { method: 'GET', url: 'https://bitbucket.org/site/oauth2/authorize', source: '§4.1', confirmed: true },
    token: {
      method: 'POST',
      url: 'https://bitbucket.org/site/oauth2/access_token',
      source: '§4.1',
      confirmed: true,
      note: 'Client id and secret as Basic authentication, form-encoded body; the answer lists scopes in a non-standard "scopes" field.',
    },
    callbacks: [
      {
        kind: 'loopback',
        loopback: { host: 'localhost', port: 'fixed' },
        secret: 'required',
        source: '§4.1, decisions',
        confirmed: true,
        note: 'GCM and Sourcetree register http://localhost:34106/; Paddock registers its own fixed port.',
      },
      { kind: 'runner-https', loopback: null, secret: 'required', source: '§4.1, decisions', confirmed: true },
      {
        kind: 'custom-scheme',
        loopback: null,
        secret: 'required',
        source: '§4.1',
        confirmed: false,
        note: 'Custom-scheme callbacks are [UNVERIFIED] for Bitbucket Cloud (§6).',
      },
    ],
    pkce: {
      support: 'tolerated',
      source: '§4.1, decisions',
      confirmed: true,
      note: 'GCM always sends PKCE, so Bitbucket Cloud accepts the parameters; whether it enforces them or allows a client without a secret could not be confirmed (§6). Paddock sends PKCE and the secret.',
    },
    scopesSetAt: 'registration',
    scopes: [
      {
        scope: 'repository:write',
        reason: 'Clone and push; tick the consumer’s repository write permission.',
        source: '§4.1',
        confirmed: true,
      },
      { scope: 'account', reason: 'Read the user’s account, to show who is connected.', source: '§4.1', confirmed: true },
    ],
    setup: [
      {
        text: 'Scopes are the permissions ticked on the consumer; the authorize request cannot add any.',
        source: '§4.1',
        confirmed: true,
      },
      { text: 'The consumer’s secret is always needed at the token endpoint.', source: '§4.1, decisions', confirmed: true },
    ],
  },
  pat: {
    name: 'API token',
    page: {
      url: 'https://id.atlassian.com/manage-profile/security/api-tokens',
      needs: 'host',
      source: '§4.2',
      confirmed: true,
      note: 'Choose “Create API token with scopes”.',
    },
    prefill: null,
    scopes: [
      { scope: 'read:repository:bitbucket', reason: 'Clone repositories.', source: '§4.2', confirmed: true },
      { scope: 'write:repository:bitbucket', reason: 'Push to repositories.', source: '§4.2', confirmed: true },
      {
        scope: 'read:user:bitbucket',
        reason: 'Read the user’s account, to check the token.',
        source: '§4.2',
        confirmed: false,
        note: 'From a third-party client (bbcloud crate), not Atlassian.',
      },
    ],
    git: {
      username: 'x-bitbucket-api-token-auth',
      source: '§4.2',
      confirmed: true,
      note: 'Or the Bitbucket user name; REST calls use the Atlassian account email instead.',
    },
    notes: [
      { text: 'Use API tokens with scopes.', deadline: { what: 'App passwords', date: '2026-06-09' }, source: '§4.2', confirmed: true },
      { text: 'API tokens without scopes do not work for git.', source: '§4.2', confirmed: true },
    ],
  },
  probes: [
    {
      purpose: 'host',
      method: 'GET',
      url: '{apiBase}/user',
      expect: { type: 'status', statuses: [401] },
      source: '§4.2 (the identity endpoint, called without a token)',
      confirmed: false,
      note: 'The spec names this endpoint for token checks only; its answer without a token is not in the spec. The host is fixed, so this only shows the network path (proxy, CA bundle) works.',
    },
  ],
  tokenCheck: {
    oauth: { method: 'GET', url: '{apiBase}/user', auth: 'bearer', reads: 'the user (username)', source: '§4.1', confirmed: true },
    pat: {
      method: 'GET',
      url: '{apiBase}/user',
      auth: 'basic-email',
      reads: 'the user (username)',
      source: '§4.2',
      confirmed: true,
      note: 'Basic authentication with the Atlassian account email and the token; expiry cannot be read (§4.2, not found).',
    },
  },
  policyHints: [],
  docs: [
    { title: 'OAuth 2.0 for Bitbucket Cloud', url: 'https://developer.atlassian.com/cloud/bitbucket/oauth-2/', source: '§4.1' },
    { title: 'Using API tokens', url: 'https://support.atlassian.com/bitbucket-cloud/docs/using-api-tokens/', source: '§4.2' },
  ],
};

export const bitbucketDc: CatalogueEntry = {
  kind: 'bitbucket-dc',
  displayName: 'Bitbucket Data Center',
  covers: 'Bitbucket Data Center and Server, self-hosted',
  host: {
    default: null,
    changeable: true,
    path: 'relative-root',
    http: { allowed: true, warning: plainHttpWarning },
    example: 'https://bitbucket.example.com',
    api: { defaultHost: null, otherHost: '{baseUrl}/rest/api/1.0' },
    source: '§4.3, §4.4',
    confirmed: true,
    note: 'A path after the host is kept as Bitbucket’s context path (Paddock’s choice, as the context-URL parser does); the spec writes endpoints as https://{host}/….',
  },
  units: null,
  oauth: {
    supported: true,
    registration: {
      name: 'incoming application link',
      where: 'Bitbucket administration → Application links: an incoming link, one per instance',
      url: null,
      source: '§4.3',
      confirmed: true,
      note: 'OAuth 2.0 provider from Bitbucket Data Center 7.21 / 8.x.',
    },
    authorize: { method: 'GET', url: '{baseUrl}/rest/oauth2/latest/authorize', source: '§4.3', confirmed: true },
    token: { method: 'POST', url: '{baseUrl}/rest/oauth2/latest/token', source: '§4.3', confirmed: true },
    callbacks: [
      {
        kind: 'loopback',
        loopback: { host: 'localhost', port: 'fixed' },
        secret: 'required',
        source: 'GCM DataCenterConstants.cs (not in SCM-PROTOCOLS.md)',
        confirmed: false,
        note: 'GCM registers http://localhost:34106/ with a client id and secret; the redirect rules of incoming links are not in the spec.',
      },
      {
        kind: 'runner-https',
        loopback: null,
        secret: 'required',
        source: 'decisions',
        confirmed: false,
        note: 'The redirect rules of incoming links are not in the spec.',
      },
      {
        kind: 'custom-scheme',
        loopback: null,
        secret: 'required',
        source: 'decisions',
        confirmed: false,
        note: 'The redirect rules of incoming links are not in the spec.',
      },
    ],
    pkce: { support: 'supported', source: '§4.3', confirmed: true, note: 'The link offers “Authorization code with PKCE”.' },
    scopesSetAt: 'request',
    scopes: [
      { scope: 'REPO_WRITE', reason: 'Push to repositories.', source: '§4.3', confirmed: true },
      { scope: 'REPO_READ', reason: 'Clone repositories.', source: '§4.3', confirmed: true },
      { scope: 'PUBLIC_REPOS', reason: 'Clone public repositories.', source: '§4.3', confirmed: true },
    ],
    setup: [
      {
        text: 'Bitbucket enforces HTTPS on the production base URL for OAuth.',
        source: '§4.3',
        confirmed: true,
      },
      {
        text: 'Enter the client secret the link shows: Paddock sends it along with PKCE.',
        source: '§4.3',
        confirmed: false,
        note: 'The spec lists the PKCE flow but not whether the token endpoint then accepts no secret.',
      },
    ],
  },
  pat: {
    name: 'HTTP access token',
    page: {
      url: '{baseUrl}/plugins/servlet/access-tokens/manage',
      needs: 'host',
      source: '§4.3',
      confirmed: false,
      note: 'The spec lists /plugins/servlet/access-tokens/manage (older), …/add, and …/users/{username}/manage (newer); which one a given version serves is not confirmed.',
    },
    prefill: null,
    scopes: [
      {
        scope: 'Repository write',
        reason: 'Clone and push (repository write includes read).',
        source: '§4.3',
        confirmed: true,
      },
    ],
    git: {
      username: 'the user’s Bitbucket user name',
      source: '§4.3',
      confirmed: true,
      note: 'Used in place of the password; learned from the X-AUSERNAME header.',
    },
    notes: [
      {
        text: 'Expiry is optional unless the administrator requires one, and cannot be changed after creation.',
        source: '§4.3',
        confirmed: true,
      },
    ],
  },
  probes: [
    {
      purpose: 'host',
      method: 'GET',
      url: '{apiBase}/application-properties',
      expect: { type: 'json', fields: ['version', 'displayName'] },
      source: '§4.3',
      confirmed: false,
      note: 'The spec names this endpoint for learning the user with a token; that it answers without one, and its fields, come from third-party clients.',
    },
  ],
  tokenCheck: {
    oauth: {
      method: 'GET',
      url: '{apiBase}/application-properties',
      auth: 'bearer',
      reads: 'the X-AUSERNAME header: the user',
      source: '§4.3',
      confirmed: true,
    },
    pat: {
      method: 'GET',
      url: '{apiBase}/application-properties',
      auth: 'bearer',
      reads: 'the X-AUSERNAME header: the user',
      source: '§4.3',
      confirmed: true,
    },
  },
  policyHints: [],
  docs: [
    {
      title: 'Managing HTTP access tokens',
      url: 'https://confluence.atlassian.com/display/BITBUCKETSERVER093/Managing+HTTP+access+tokens',
      source: '§4.3',
    },
  ],
};
