import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contextUrlResultSchema, parseContextUrl } from '../../../../electron/common/context-url';
import type { ContextRef, ContextUrl, ContextUrlResult } from '../../../../electron/common/context-url';
import { internalFailureMessage } from '../../../../electron/common/context-url/parse';
import { hosts } from './fixtures';

// Issue 5, point 6: thousands of generated and mutated URLs. The parser never
// throws, always returns one of the two schema shapes, and the cloneUrl of
// every context parses back to the same provider, host, owner, project and repo.

const e = encodeURIComponent;

/** CONTEXT_URL_RUNS_FACTOR=50 runs a deeper search locally; the default keeps the suite within a few seconds. */
const factor = Number(process.env.CONTEXT_URL_RUNS_FACTOR ?? 1);
const runs = (count: number) => Math.round(count * factor);
const timeout = 30_000 * factor;

/** Checks the shape and, for a context, the round trip through its cloneUrl. */
function check(input: string): ContextUrlResult {
  let result: ContextUrlResult | undefined;
  expect(() => (result = parseContextUrl(input, hosts))).not.toThrow();
  if (!result) throw new Error('no result');
  const parsed = contextUrlResultSchema.safeParse(result);
  if (!parsed.success) throw new Error(`schema rejected ${JSON.stringify(result)} for ${JSON.stringify(input)}: ${parsed.error.message}`);
  if (!result.ok) {
    expect(result.error.message).not.toBe(internalFailureMessage);
    return result;
  }
  const again = parseContextUrl(result.cloneUrl, hosts);
  const fields = (value: ContextUrlResult) =>
    value.ok ? { provider: value.provider, host: value.host, owner: value.owner, project: value.project, repo: value.repo } : value;
  expect(fields(again), `round trip of ${JSON.stringify(input)} through ${result.cloneUrl}`).toEqual(fields(result));
  expect(again).toMatchObject({ cloneUrl: result.cloneUrl, ref: null, path: null, refAmbiguous: false });
  return result;
}

// ---- names ---------------------------------------------------------------

const plainName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,14}$/).filter((name) => !/\.git$/i.test(name));

/** Anything a provider might allow in a name: spaces, punctuation, accents, emoji. */
const wildName = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 10 })
  // eslint-disable-next-line no-control-regex
  .filter((name) => name !== '.' && name !== '..' && !/[/\\\u0000-\u001f\u007f]/.test(name) && !/\.git$/i.test(name));

const anyName = fc.oneof({ weight: 3, arbitrary: plainName }, { weight: 1, arbitrary: wildName });
/** Azure DevOps names cannot start with "_" (those are the site's routes). */
const adoName = anyName.filter((name) => !name.startsWith('_'));
/** Owners that are not GitHub/GitLab site routes. */
const ownerName = anyName.map((name) => `o${name}`);
const dnsLabel = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,14}$/).filter((label) => label !== 'vs-ssh' && label !== 'www');
const bitbucketKey = fc.oneof(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,9}$/), plainName.map((user) => `~${user}`));

const sha = fc.stringMatching(/^[0-9a-f]{40}$/);
const number = fc.integer({ min: 1, max: 1_000_000 });
const pathSegments = fc.array(anyName, { minLength: 0, maxLength: 3 });
const refName = fc.oneof(plainName, fc.constant('feature/x'), fc.constant('release/2.0'));

interface Form {
  url: string;
  expected: Pick<ContextUrl, 'provider' | 'host' | 'owner' | 'project' | 'repo'>;
  ref?: ContextRef | null;
}

// ---- forms of each provider ------------------------------------------------

const githubForms = fc
  .record({
    host: fc.constantFrom('github.com', 'ghe.example.com'),
    owner: ownerName,
    repo: anyName,
    suffix: fc.oneof(
      fc.constant({ text: '', ref: null }),
      fc.constant({ text: '.git', ref: null }),
      fc.record({ ref: plainName, path: pathSegments }).map(({ ref, path }) => ({
        text: `/tree/${e(ref)}${path.map((s) => `/${e(s)}`).join('')}`,
        ref: { type: 'branch', name: ref } as ContextRef,
      })),
      sha.map((value) => ({ text: `/commit/${value}`, ref: { type: 'commit', sha: value } as ContextRef })),
      number.map((value) => ({ text: `/pull/${value}/files`, ref: { type: 'pull', number: value } as ContextRef })),
    ),
    ssh: fc.boolean(),
  })
  .map(({ host, owner, repo, suffix, ssh }): Form => ({
    url: ssh ? `git@${host}:${e(owner)}/${e(repo)}.git` : `https://${host}/${e(owner)}/${e(repo)}${suffix.text}`,
    expected: { provider: 'github', host, owner, project: null, repo },
    ref: ssh ? null : suffix.ref,
  }));

const gitlabForms = fc
  .record({
    selfManaged: fc.boolean(),
    groups: fc.array(ownerName, { minLength: 1, maxLength: 3 }),
    repo: anyName.filter((name) => name !== '-'),
    suffix: fc.oneof(
      fc.constant({ text: '', ref: null }),
      fc.record({ ref: plainName, path: pathSegments }).map(({ ref, path }) => ({
        text: `/-/blob/${e(ref)}${path.map((s) => `/${e(s)}`).join('')}`,
        ref: { type: 'branch', name: ref } as ContextRef,
      })),
      number.map((value) => ({ text: `/-/merge_requests/${value}`, ref: { type: 'pull', number: value } as ContextRef })),
    ),
    ssh: fc.boolean(),
  })
  .map(({ selfManaged, groups, repo, suffix, ssh }): Form => {
    const host = selfManaged ? 'git.example.com' : 'gitlab.com';
    const path = [...groups, repo].map(e).join('/');
    return {
      url: ssh ? `git@${host}:${path}.git` : `https://${host}${selfManaged ? '/gitlab' : ''}/${path}${suffix.text}`,
      expected: { provider: 'gitlab', host, owner: groups.join('/'), project: null, repo },
      ref: ssh ? null : suffix.ref,
    };
  });

const bitbucketCloudForms = fc
  .record({ workspace: anyName, repo: anyName, form: fc.constantFrom('web', 'ssh', 'pr', 'src') })
  .map(({ workspace, repo, form }): Form => {
    const base = `${e(workspace)}/${e(repo)}`;
    const url = {
      web: `https://bitbucket.org/${base}`,
      ssh: `git@bitbucket.org:${base}.git`,
      pr: `https://bitbucket.org/${base}/pull-requests/7`,
      src: `https://bitbucket.org/${base}/src/main/README.md`,
    }[form];
    return { url, expected: { provider: 'bitbucket-cloud', host: 'bitbucket.org', owner: workspace, project: null, repo } };
  });

const bitbucketDcForms = fc
  .record({ owner: bitbucketKey, repo: anyName, form: fc.constantFrom('scm', 'ssh', 'browse', 'pr') })
  .map(({ owner, repo, form }): Form => {
    const web =
      owner.startsWith('~') ? `users/${e(owner.slice(1))}/repos/${e(repo)}` : `projects/${e(owner)}/repos/${e(repo)}`;
    const url = {
      scm: `https://bitbucket.example.com/scm/${e(owner)}/${e(repo)}.git`,
      ssh: `ssh://git@bitbucket.example.com:7999/${e(owner)}/${e(repo)}.git`,
      browse: `https://bitbucket.example.com/${web}/browse/src?at=refs%2Fheads%2Fmain`,
      pr: `https://bitbucket.example.com/${web}/pull-requests/9/overview`,
    }[form];
    return { url, expected: { provider: 'bitbucket-dc', host: 'bitbucket.example.com', owner, project: null, repo } };
  });

const legacyForms = new Set(['visualstudio', 'defaultcollection', 'vs-ssh-v3', 'vs-ssh-legacy']);

const adoForms = fc
  .record({
    org: fc.oneof(dnsLabel, adoName),
    project: fc.option(adoName, { nil: null }),
    team: fc.option(adoName, { nil: null }),
    repo: adoName,
    prefix: fc.constantFrom('', '_full/', '_optimized/'),
    form: fc.constantFrom('dev', 'userinfo', 'visualstudio', 'defaultcollection', 'ssh-v3', 'vs-ssh-v3', 'vs-ssh-legacy'),
    tail: fc.oneof(
      fc.constant({ text: '', ref: null }),
      fc.record({ branch: refName, path: pathSegments }).map(({ branch, path }) => ({
        text: `?path=${e(`/${path.join('/')}`)}&version=GB${e(branch)}&_a=contents`,
        ref: { type: 'branch', name: branch } as ContextRef,
      })),
      plainName.map((tag) => ({ text: `?version=GT${e(tag)}`, ref: { type: 'tag', name: tag } as ContextRef })),
      number.map((value) => ({ text: `/pullrequest/${value}`, ref: { type: 'pull', number: value } as ContextRef })),
      sha.map((value) => ({ text: `/commit/${value}?refName=refs/heads/main`, ref: { type: 'commit', sha: value } as ContextRef })),
    ),
  })
  // On *.visualstudio.com the organization is a host name label.
  .filter(({ org, form }) => !legacyForms.has(form) || /^[a-z0-9][a-z0-9-]*$/.test(org))
  .map(({ org, project, team, repo, prefix, form, tail }): Form => {
    // SSH v3 always names the project; the web may leave it out (project == repo), and a team needs a project.
    const needsProject = form.startsWith('ssh') || form === 'vs-ssh-v3' || form === 'vs-ssh-legacy';
    const effectiveProject = project ?? (needsProject ? repo : null);
    const projectPath = [effectiveProject, effectiveProject === null ? null : team].filter((s): s is string => s !== null).map(e);
    const before = projectPath.map((s) => `${s}/`).join('');
    const legacy = legacyForms.has(form);
    const host = legacy ? `${org}.visualstudio.com` : 'dev.azure.com';
    const web = !form.includes('ssh');
    const url = {
      dev: `https://dev.azure.com/${e(org)}/${before}_git/${prefix}${e(repo)}${tail.text}`,
      userinfo: `https://${e(org)}@dev.azure.com/${e(org)}/${before}_git/${prefix}${e(repo)}${tail.text}`,
      visualstudio: `https://${org}.visualstudio.com/${before}_git/${prefix}${e(repo)}${tail.text}`,
      defaultcollection: `https://${org}.visualstudio.com/DefaultCollection/${before}_git/${prefix}${e(repo)}${tail.text}`,
      'ssh-v3': `git@ssh.dev.azure.com:v3/${e(org)}/${before}${prefix}${e(repo)}`,
      'vs-ssh-v3': `${org}@vs-ssh.visualstudio.com:v3/${org}/${before}${prefix}${e(repo)}`,
      'vs-ssh-legacy': `ssh://${org}@vs-ssh.visualstudio.com/DefaultCollection/${before}_ssh/${prefix}${e(repo)}`,
    }[form];
    return {
      url,
      expected: { provider: 'azure-devops', host, owner: org, project: effectiveProject ?? repo, repo },
      ref: web ? tail.ref : null,
    };
  });

const adoServerForms = fc
  .record({
    base: fc.constantFrom('https://tfs.contoso.com/tfs', 'https://ado.contoso.com', 'http://tfs.local:8080/tfs'),
    collection: adoName,
    project: adoName,
    repo: adoName,
    ssh: fc.boolean(),
  })
  .map(({ base, collection, project, repo, ssh }): Form => {
    const host = base.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    const hostname = host.replace(/:\d+$/, '');
    const path = `${e(collection)}/${e(project)}`;
    return {
      url: ssh ? `ssh://${hostname}:22/${path}/_ssh/${e(repo)}` : `${base}/${path}/_git/${e(repo)}`,
      expected: { provider: 'azure-devops-server', host, owner: collection, project, repo },
    };
  });

const validForms: fc.Arbitrary<Form> = fc.oneof(githubForms, gitlabForms, bitbucketCloudForms, bitbucketDcForms, adoForms, adoForms, adoServerForms);

/** What people paste around a URL. */
const pasted = fc
  .record({ form: validForms, before: fc.constantFrom('', ' ', '\t', '<', ' <'), after: fc.constantFrom('', ' ', '\n', '/', '>', '> ') })
  .map(({ form, before, after }) => {
    const bracketed = before.includes('<') && after.includes('>');
    const slash = after === '/' && !form.url.includes('?') && !form.url.endsWith('.git');
    return { ...form, url: `${bracketed ? before : before.replace('<', '')}${form.url}${slash ? '/' : bracketed ? after : after.replace(/[/>]/g, '')}` };
  });

// ---- mutations ---------------------------------------------------------------

const tricky = fc.constantFrom('/', ':', '@', '%', '%2F', '%zz', '?', '#', '&', '=', ' ', '\t', '<', '>', '.', '..', '~', '\\', '_', '-', '_git', 'v3', 'é', '\u0000', '💥', 'GB', '//', '.git');
const mutation = fc.record({
  op: fc.constantFrom('insert', 'delete', 'replace', 'duplicate', 'truncate', 'case'),
  at: fc.nat(),
  length: fc.integer({ min: 1, max: 12 }),
  text: fc.oneof(tricky, fc.string({ maxLength: 4 })),
});

type Mutation = { op: string; at: number; length: number; text: string };

function mutate(input: string, mutations: readonly Mutation[]): string {
  let text = input;
  for (const { op, at, length, text: piece } of mutations) {
    const i = at % (text.length + 1);
    switch (op) {
      case 'insert':
        text = text.slice(0, i) + piece + text.slice(i);
        break;
      case 'delete':
        text = text.slice(0, i) + text.slice(i + length);
        break;
      case 'replace':
        text = text.slice(0, i) + piece + text.slice(i + piece.length);
        break;
      case 'duplicate':
        text = text.slice(0, i + length) + text.slice(i, i + length) + text.slice(i + length);
        break;
      case 'truncate':
        text = text.slice(0, i);
        break;
      case 'case':
        text = at % 2 ? text.toUpperCase() : text.toLowerCase();
        break;
    }
  }
  return text;
}

// ---- properties -------------------------------------------------------------

describe('parseContextUrl properties', () => {
  it('reads every generated form of every provider exactly, and round-trips its cloneUrl', () => {
    fc.assert(
      fc.property(pasted, (form) => {
        const result = check(form.url);
        if (!result.ok) throw new Error(`${form.url} → ${result.error.code}: ${result.error.message}`);
        expect({ provider: result.provider, host: result.host, owner: result.owner, project: result.project, repo: result.repo }).toEqual(form.expected);
        if (form.ref !== undefined) expect(result.ref).toEqual(form.ref);
      }),
      { numRuns: runs(4000) },
    );
  }, timeout);

  it('never throws on mutated URLs, always gives one of the two shapes, and round-trips any context', () => {
    fc.assert(
      fc.property(validForms, fc.array(mutation, { minLength: 1, maxLength: 4 }), (form, mutations) => {
        check(mutate(form.url, mutations));
      }),
      { numRuns: runs(8000) },
    );
  }, timeout);

  it('never throws on arbitrary text and web URLs', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.string({ unit: 'grapheme', maxLength: 60 }),
          fc.webUrl({ withQueryParameters: true, withFragments: true }),
          fc.webUrl().map((url) => url.replace(/^https?:\/\/[^/]+/, 'https://dev.azure.com')),
          fc.webUrl().map((url) => url.replace(/^https?:\/\/[^/]+/, 'https://github.com')),
          fc.webUrl().map((url) => url.replace(/^https?:\/\/[^/]+/, 'https://gitlab.com')),
          fc.webUrl().map((url) => url.replace(/^https?:\/\/[^/]+/, 'https://tfs.contoso.com/tfs')),
          fc.string({ maxLength: 40 }).map((path) => `git@ssh.dev.azure.com:v3/${path}`),
          fc.string({ maxLength: 40 }).map((path) => `ssh://git@bitbucket.example.com:7999/${path}`),
        ),
        (input) => {
          check(input);
        },
      ),
      { numRuns: runs(4000) },
    );
  }, timeout);
});
