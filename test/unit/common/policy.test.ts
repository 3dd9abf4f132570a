import { describe, expect, it } from 'vitest';
import { base64ToBytes } from '../../../electron/common/encoding';
import {
  jsonPath,
  parsePolicyProvider,
  plainClientSecretAllowed,
  policyFileSchema,
  policyRunnerSchema,
  policySecretBinding,
  publicClientAllowed,
  type PolicyRunnerContext,
} from '../../../electron/common/policy';
import { openClientSecret } from '../../../electron/common/provider-config';
import { providerKinds } from '../../../electron/common/provider-kind';
import remoteExample from '../../../build/policy-examples/remote-runner-sealed-secret.json';

const publicKey = '+xGWqCjUD4yQtfIze4DZQAsl7dgaGIqsLvwowfXOB3U=';
/** The secret key of the example runner in build/policy-examples (an example key, used nowhere else). */
const secretKey = 'DOx5ver72WrX9Zx6BlYw+eHZ0JxdnFa6atfVkt3JleM=';
const runnerUid = 'r_78337c77-1690-4f7c-8687-a8e0a77b1c51';
const spki = 'sha256/BiOhglMXW34xZLpPDPkrTDB5JesaFxypZQQbMBZ0WIA=';
const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const sealed = 'A'.repeat(64) + 'BBBB';
const local: PolicyRunnerContext = { kind: 'local' };
const remote: PolicyRunnerContext = { kind: 'remote', url: 'https://runner.example.com:8443' };

const runner = { id: 'build-eu', name: 'Build (EU)', url: 'https://runner.example.com:8443', spki, publicKey, runnerUid };

function messages(result: ReturnType<typeof parsePolicyProvider>) {
  return result.ok ? [] : result.issues.map((issue) => `${jsonPath(issue.path)}: ${issue.message}`);
}

describe('policy file envelope', () => {
  it('reads version 1 with optional lists', () => {
    expect(policyFileSchema.safeParse({ version: 1 }).success).toBe(true);
    expect(policyFileSchema.safeParse({ version: 1, runners: [], providers: [{}] }).success).toBe(true);
  });
  it('refuses another version', () => {
    expect(policyFileSchema.safeParse({ version: 2 }).error?.issues[0]?.message).toMatch(/"version": 1/);
  });
});

describe('remote runner entries', () => {
  it('accepts a complete entry and normalises the URL to its origin', () => {
    expect(policyRunnerSchema.parse({ ...runner, url: 'https://Runner.Example.com:8443/' })).toEqual(runner);
    expect(policyRunnerSchema.parse({ ...runner, url: 'https://runner.example.com:443' }).url).toBe('https://runner.example.com');
  });

  it.each([
    ['id', 'local', /"local" names the workstation/],
    ['id', 'Build EU', /lower-case letters/],
    ['id', '-x', /lower-case letters/],
    ['name', '  ', /Give the runner a name/],
    ['url', 'http://runner.example.com', /https:\/\//],
    ['url', 'https://runner.example.com/api', /without a path/],
    ['url', 'https://user@runner.example.com', /without a path, user name/],
    ['url', 'runner.example.com', /https:\/\//],
    ['spki', 'sha256/abc=', /sha256\/ followed by the base64 of 32 bytes/],
    ['spki', 'BiOhglMXW34xZLpPDPkrTDB5JesaFxypZQQbMBZ0WIA=', /sha256\//],
    ['publicKey', 'AAAA', /X25519 key/],
    ['publicKey', 'A'.repeat(43) + '=', /X25519 key/], // 32 zero bytes: small order
    ['runnerUid', 'build-eu', /r_/],
  ])('refuses %s %j', (field, value, message) => {
    const result = policyRunnerSchema.safeParse({ ...runner, [field]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues.find((issue) => issue.path[0] === field)?.message).toMatch(message);
  });

  it('refuses missing fields and unknown keys', () => {
    const { runnerUid: _uid, ...withoutUid } = runner;
    expect(policyRunnerSchema.safeParse(withoutUid).error?.issues[0]?.path).toEqual(['runnerUid']);
    expect(policyRunnerSchema.safeParse({ ...runner, token: 'prt1_x' }).success).toBe(false);
  });
});

describe('which kinds allow a public client or a plaintext secret', () => {
  it('public client (PKCE, no secret): Entra and GitLab, with the callback each runner uses (the catalogue puts Entra’s confirmed custom scheme first)', () => {
    const allowedLocal = providerKinds.filter((kind) => publicClientAllowed(kind, local));
    const allowedRemote = providerKinds.filter((kind) => publicClientAllowed(kind, remote));
    expect(allowedLocal).toEqual(['gitlab', 'azure-devops']);
    expect(allowedRemote).toEqual(['gitlab', 'azure-devops']);
  });
  it('plaintext secret on the local runner: only where no public client is possible (RFC 8252 §8.5)', () => {
    expect(providerKinds.filter((kind) => plainClientSecretAllowed(kind))).toEqual(['github', 'bitbucket-cloud', 'bitbucket-dc']);
    for (const kind of providerKinds) expect(plainClientSecretAllowed(kind) && publicClientAllowed(kind, local)).toBe(false);
  });
});

describe('provider entries', () => {
  const azure = {
    runner: 'local',
    kind: 'azure-devops',
    host: 'dev.azure.com/',
    organizations: [{ name: 'contoso', tenant: tenant.toUpperCase() }, { name: 'fabrikam' }],
    oauth: { clientId: 'app-id', tenant, publicClient: true },
    pat: { enabled: true },
  };

  it('parses Azure DevOps with a public client on the local runner', () => {
    const result = parsePolicyProvider(azure, local);
    expect(messages(result)).toEqual([]);
    expect(result.ok && result.provider).toEqual({
      runner: 'local',
      kind: 'azure-devops',
      host: 'https://dev.azure.com',
      hostWarnings: [],
      organizations: [
        { name: 'contoso', tenant, tenantOrigin: 'entered' },
        { name: 'fabrikam', tenant: 'organizations', tenantOrigin: 'default' },
      ],
      collections: [],
      oauth: { clientId: 'app-id', tenant, clientSecret: { type: 'none' } },
      pat: { enabled: true },
    });
  });

  it('needs organizations for Azure DevOps, collections for Azure DevOps Server, and refuses them elsewhere', () => {
    expect(messages(parsePolicyProvider({ ...azure, organizations: [] }, local))).toEqual([expect.stringMatching(/^organizations: List the organizations/)]);
    expect(messages(parsePolicyProvider({ ...azure, organizations: [{ name: 'a' }, { name: 'A' }] }, local))).toEqual([
      expect.stringMatching(/^organizations\[1\]\.name: The organization A is listed twice/),
    ]);
    expect(messages(parsePolicyProvider({ runner: 'local', kind: 'azure-devops-server', host: 'https://tfs.example.com/tfs', pat: { enabled: true } }, local))).toEqual([
      expect.stringMatching(/^collections: List the collections/),
    ]);
    expect(messages(parsePolicyProvider({ runner: 'local', kind: 'github', host: 'github.com', collections: ['x'], organizations: [], pat: { enabled: true } }, local))).toEqual([
      expect.stringMatching(/^organizations: Only Azure DevOps has/),
      expect.stringMatching(/^collections: Only Azure DevOps Server has/),
    ]);
  });

  it('accepts collections as names or objects, and keeps the http warning of Azure DevOps Server', () => {
    const result = parsePolicyProvider(
      { runner: 'local', kind: 'azure-devops-server', host: 'http://tfs.example.com/tfs', collections: ['DefaultCollection', { name: 'Other' }], pat: { enabled: true } },
      local,
    );
    expect(result.ok && result.provider.collections).toEqual([{ name: 'DefaultCollection' }, { name: 'Other' }]);
    expect(result.ok && result.provider.hostWarnings).toHaveLength(1);
    expect(result.ok && result.provider.host).toBe('http://tfs.example.com/tfs');
  });

  it('runs the host through the catalogue', () => {
    expect(messages(parsePolicyProvider({ ...azure, host: 'https://github.com' }, local))).toEqual([expect.stringMatching(/^host: github.com is GitHub/)]);
    expect(messages(parsePolicyProvider({ runner: 'local', kind: 'github', host: 'http://github.com', pat: { enabled: true } }, local))).toEqual([
      expect.stringMatching(/^host: GitHub needs https/),
    ]);
  });

  it('needs at least one method', () => {
    expect(messages(parsePolicyProvider({ runner: 'local', kind: 'github', host: 'github.com' }, local))).toEqual([expect.stringMatching(/^: Enable OAuth/)]);
    expect(messages(parsePolicyProvider({ runner: 'local', kind: 'github', host: 'github.com', pat: { enabled: false } }, local))).toHaveLength(1);
  });

  it('needs exactly one way to give the client secret', () => {
    const none = { ...azure, oauth: { clientId: 'app-id' } };
    const two = { ...azure, oauth: { clientId: 'app-id', publicClient: true, clientSecret: 'x' } };
    expect(messages(parsePolicyProvider(none, local))).toEqual([expect.stringMatching(/^oauth: Give exactly one of/)]);
    expect(messages(parsePolicyProvider(two, local))).toEqual([expect.stringMatching(/^oauth: Give exactly one of/)]);
    expect(messages(parsePolicyProvider({ ...azure, oauth: { clientId: 'app-id', publicClient: false } }, local))).toEqual([
      expect.stringMatching(/^oauth\.publicClient: publicClient can only be true/),
    ]);
  });

  it('allows a public client only where the catalogue does', () => {
    const github = { runner: 'local', kind: 'github', host: 'github.com', oauth: { clientId: 'Iv1.x', publicClient: true } };
    expect(messages(parsePolicyProvider(github, local))).toEqual([expect.stringMatching(/^oauth\.publicClient: GitHub needs a client secret .* give clientSecret instead/)]);
    expect(parsePolicyProvider({ ...azure, runner: 'build-eu' }, remote).ok).toBe(true);
    expect(messages(parsePolicyProvider({ ...github, runner: 'build-eu' }, remote))).toEqual([
      expect.stringMatching(/^oauth\.publicClient: GitHub needs a client secret .*this remote runner.* give sealedClientSecret/),
    ]);
    const gitlab = { runner: 'build-eu', kind: 'gitlab', host: 'gitlab.com', oauth: { clientId: 'x', publicClient: true } };
    expect(parsePolicyProvider(gitlab, remote).ok).toBe(true);
  });

  it('takes a sealed secret only for a remote runner', () => {
    const github = { runner: 'build-eu', kind: 'github', host: 'github.example.com', oauth: { clientId: 'Iv1.x', sealedClientSecret: sealed } };
    const result = parsePolicyProvider(github, remote);
    expect(result.ok && result.provider.oauth).toEqual({ clientId: 'Iv1.x', tenant: null, clientSecret: { type: 'sealed', sealed } });
    expect(messages(parsePolicyProvider({ ...github, runner: 'local' }, local))).toEqual([
      expect.stringMatching(/^oauth\.sealedClientSecret: A sealed secret cannot be used with the local runner/),
    ]);
    expect(messages(parsePolicyProvider({ ...github, oauth: { clientId: 'x', sealedClientSecret: 'not base64!' } }, remote))[0]).toMatch(/^oauth\.sealedClientSecret: /);
    // Entra's callback for this runner is the custom scheme, where a public client must not send a secret.
    expect(messages(parsePolicyProvider({ ...azure, runner: 'build-eu', oauth: { clientId: 'x', sealedClientSecret: sealed } }, remote))).toEqual([
      expect.stringMatching(/^oauth\.sealedClientSecret: Azure DevOps takes no client secret .* publicClient: true/),
    ]);
    expect(messages(parsePolicyProvider({ ...github, oauth: { clientId: 'x', sealedClientSecret: 'A'.repeat(61) } }, remote))[0]).toMatch(/not valid base64/);
  });

  it('takes a plaintext secret only for the local runner, and only where a public client is impossible', () => {
    const canary = 'CANARY-plaintext-secret-7f3a';
    const github = { runner: 'local', kind: 'github', host: 'github.com', oauth: { clientId: 'Iv1.x', clientSecret: canary } };
    const result = parsePolicyProvider(github, local);
    expect(result.ok && result.provider.oauth?.clientSecret).toEqual({ type: 'plain', secret: canary });
    const onRemote = messages(parsePolicyProvider({ ...github, runner: 'build-eu' }, remote));
    expect(onRemote).toEqual([expect.stringMatching(/^oauth\.clientSecret: A remote runner’s client secret must not stand in plain text/)]);
    const entra = messages(parsePolicyProvider({ ...azure, oauth: { clientId: 'x', clientSecret: canary } }, local));
    expect(entra).toEqual([expect.stringMatching(/^oauth\.clientSecret: Azure DevOps accepts a public client .* publicClient: true/)]);
    for (const message of [...onRemote, ...entra]) expect(message).not.toContain(canary);
  });

  it('refuses a tenant outside Azure DevOps and OAuth for Azure DevOps Server', () => {
    const gitlab = { runner: 'local', kind: 'gitlab', host: 'gitlab.com', oauth: { clientId: 'x', tenant, publicClient: true } };
    expect(messages(parsePolicyProvider(gitlab, local))).toEqual([expect.stringMatching(/^oauth\.tenant: Only Azure DevOps/)]);
    const server = { runner: 'local', kind: 'azure-devops-server', host: 'https://tfs.example.com/tfs', collections: ['C'], oauth: { clientId: 'x', publicClient: true } };
    expect(messages(parsePolicyProvider(server, local))).toEqual([expect.stringMatching(/^oauth: Azure DevOps Server supports personal access tokens only/)]);
    expect(messages(parsePolicyProvider({ ...azure, oauth: { clientId: 'x', tenant: 'consumers', publicClient: true } }, local))).toEqual([
      expect.stringMatching(/^oauth\.tenant: Personal Microsoft accounts/),
    ]);
  });

  it('reports shape problems with their paths', () => {
    expect(messages(parsePolicyProvider({ runner: 'local', kind: 'svn', host: 'x', extra: 1 }, local)).map((m) => m.split(':')[0])).toEqual(['kind', '']);
    expect(messages(parsePolicyProvider({ ...azure, oauth: { clientId: '' , publicClient: true} }, local))).toEqual([expect.stringMatching(/^oauth\.clientId: Give the Client ID/)]);
    expect(messages(parsePolicyProvider({ ...azure, pat: { enabled: 'yes' } }, local))).toEqual([expect.stringMatching(/^pat\.enabled: /)]);
  });
});

describe('sealed secrets in the policy', () => {
  it('the example remote runner’s sealed secret opens with the runner’s key and matches the entry’s binding', () => {
    const policyRunner = policyRunnerSchema.parse(remoteExample.runners[0]);
    const result = parsePolicyProvider(remoteExample.providers[0], { kind: 'remote', url: policyRunner.url });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const binding = policySecretBinding(result.provider, policyRunner);
    expect(binding).toEqual({ runnerId: runnerUid, kind: 'github', host: 'https://github.example.com', clientId: 'Iv1.0123456789abcdef', tenant: null });
    const oauth = result.provider.oauth;
    if (oauth?.clientSecret.type !== 'sealed' || !binding) throw new Error('expected a sealed secret');
    const opened = openClientSecret(oauth.clientSecret.sealed, { publicKey: base64ToBytes(publicKey), secretKey: base64ToBytes(secretKey) }, binding);
    expect(opened.ok).toBe(true);
    expect(openClientSecret(oauth.clientSecret.sealed, { publicKey: base64ToBytes(publicKey), secretKey: base64ToBytes(secretKey) }, { ...binding, host: 'https://other.example.com' }).ok).toBe(false);
  });
});

describe('jsonPath', () => {
  it.each([
    [[], ''],
    [['providers', 2, 'oauth', 'clientId'], 'providers[2].oauth.clientId'],
    [['runners', 0], 'runners[0]'],
    [['a b'], '["a b"]'],
  ] as const)('%j → %s', (path, text) => {
    expect(jsonPath(path)).toBe(text);
  });
});
