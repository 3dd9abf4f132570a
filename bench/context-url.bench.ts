// parseContextUrl over a mixed corpus (every provider and form, some invalid),
// against `new URL()` on the same strings as the trivial baseline.
import { parseContextUrl, parseHostSpec } from '../electron/common/context-url';
import type { ConfiguredHost } from '../electron/common/context-url';
import type { BenchContext } from './index';

const hosts: ConfiguredHost[] = [
  'github=https://ghe.example.com',
  'gitlab=https://git.example.com/gitlab',
  'bitbucket-dc=https://bitbucket.example.com',
  'azure-devops-server=https://tfs.example.com/tfs',
].map((spec) => {
  const parsed = parseHostSpec(spec);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.host;
});

const sha = '0123456789abcdef0123456789abcdef01234567';

/** {o} and {r} are replaced by varying owner and repo names. */
const templates = [
  // Azure DevOps Services and Server
  'https://dev.azure.com/{o}/Fabrikam/_git/{r}',
  'https://{o}@dev.azure.com/{o}/Fabrikam/_git/{r}',
  'https://dev.azure.com/{o}/_git/{r}',
  'https://dev.azure.com/{o}/My%20Project/_git/My%20{r}',
  'https://{o}.visualstudio.com/DefaultCollection/Fabrikam/_git/{r}',
  'https://{o}.visualstudio.com/Fabrikam/TeamA/_git/_full/{r}',
  'https://dev.azure.com/{o}/Fabrikam/_git/{r}?path=/src/a.ts&version=GBfeature/x&_a=contents',
  `https://dev.azure.com/{o}/Fabrikam/_git/{r}?version=GC${sha}`,
  'https://dev.azure.com/{o}/Fabrikam/_git/{r}/pullrequest/12',
  `https://dev.azure.com/{o}/Fabrikam/_git/{r}/commit/${sha}?refName=refs/heads/develop`,
  'git@ssh.dev.azure.com:v3/{o}/Fabrikam/{r}',
  '{o}@vs-ssh.visualstudio.com:v3/{o}/Fabrikam/{r}',
  'ssh://{o}@vs-ssh.visualstudio.com/DefaultCollection/Fabrikam/_ssh/{r}',
  'https://tfs.example.com/tfs/DefaultCollection/{o}/_git/{r}',
  'ssh://tfs.example.com:22/tfs/DefaultCollection/{o}/_ssh/{r}',
  // GitHub
  'https://github.com/{o}/{r}',
  'git@github.com:{o}/{r}.git',
  'https://github.com/{o}/{r}/tree/feature/x/src',
  `https://github.com/{o}/{r}/commit/${sha}`,
  'https://github.com/{o}/{r}/pull/12/files',
  'https://ghe.example.com/{o}/{r}/blob/main/README.md',
  // GitLab
  'https://gitlab.com/{o}/sub/{r}',
  'git@gitlab.com:{o}/sub/{r}.git',
  'https://gitlab.com/{o}/sub/{r}/-/blob/feature/x/a.ts',
  'https://git.example.com/gitlab/{o}/{r}/-/merge_requests/5',
  // Bitbucket
  'https://bitbucket.org/{o}/{r}/src/main/README.md',
  'git@bitbucket.org:{o}/{r}.git',
  'https://bitbucket.example.com/scm/{o}/{r}.git',
  'ssh://git@bitbucket.example.com:7999/{o}/{r}.git',
  'https://bitbucket.example.com/projects/{o}/repos/{r}/browse/src?at=refs%2Fheads%2Fmain',
  // Pasted with decoration
  '  <https://github.com/{o}/{r}/>  ',
  // Errors
  'https://dev.azure.com/{o}/Fabrikam/_workitems/edit/42',
  'https://git.unknown.example/{o}/{r}',
  'file:///home/{o}/{r}',
  'javascript:alert({r})',
  'not a url {o}',
];

function corpus(): string[] {
  const inputs: string[] = [];
  for (let i = 0; i < 30; i++) {
    for (const template of templates) inputs.push(template.replaceAll('{o}', `org${i}`).replaceAll('{r}', `repo-${i}`));
  }
  return inputs;
}

function baseline(input: string): unknown {
  try {
    return new URL(input);
  } catch {
    return null;
  }
}

export function run(bench: BenchContext): void {
  const inputs = corpus();
  const contexts = inputs.filter((input) => parseContextUrl(input, hosts).ok).length;
  const urlFailures = inputs.filter((input) => baseline(input) === null).length;
  bench.report(`${inputs.length} inputs: ${contexts} give a context, ${inputs.length - contexts} an error; new URL() rejects ${urlFailures}`);

  const parser = bench.measure(inputs, (input) => parseContextUrl(input, hosts));
  const url = bench.measure(inputs, baseline);
  const format = (rate: number) => Math.round(rate).toLocaleString('en-US').padStart(12);
  bench.report(`parseContextUrl  ${format(parser.opsPerSecond)} parses/s`);
  bench.report(`new URL()        ${format(url.opsPerSecond)} parses/s  (baseline)`);
  bench.report(`ratio            ${(url.opsPerSecond / parser.opsPerSecond).toFixed(2)}× the time of new URL() per input`);
}
