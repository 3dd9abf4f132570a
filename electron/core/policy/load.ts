import path from 'node:path';
import {
  jsonPath,
  localRunnerRef,
  parsePolicyProvider,
  policyNetworkSchema,
  policyRunnerSchema,
  policyVersion,
  type PolicyIssue,
  type PolicyNetwork,
  type PolicyProvider,
  type PolicyRunner,
  type PolicyRunnerContext,
} from '../../common/policy';

// The admin policy file (PRODUCT S7, docs/policy.md): where it lives per OS,
// and reading it into the runners and providers that apply and the problems
// to show. Pure except for the injected readFile, so every rule is unit-tested.

/** The environment variable that points the app at another policy file; development builds only. */
export const policyFileOverrideVariable = 'PADDOCK_POLICY_FILE';

/** Larger files are refused whole: a policy is a few kilobytes. */
export const maxPolicyBytes = 1024 * 1024;

export interface PolicyProblem {
  /** Where in the file, as a JSON path (providers[2].oauth.clientId); "" for the file as a whole. */
  readonly path: string;
  /** A sentence an admin can act on; never a value from the file that could be a secret. */
  readonly message: string;
}

export interface LoadedPolicy {
  /** The file that was (or would have been) read. */
  readonly path: string;
  /** False when there is no policy file: no policy, not an error. */
  readonly found: boolean;
  /** Valid remote runner entries, in file order. */
  readonly runners: readonly PolicyRunner[];
  /** Valid provider entries whose runner is "local" or one of `runners`, in file order. */
  readonly providers: readonly PolicyProvider[];
  /** CA bundle and proxy for the local runner's requests to providers; null when the policy sets none (or they are invalid). */
  readonly network: PolicyNetwork | null;
  readonly problems: readonly PolicyProblem[];
}

export interface PolicyPathOptions {
  /** process.platform */
  readonly platform: string;
  /** process.env; only PADDOCK_POLICY_FILE is read, and only in development builds. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True only in development builds and tests; the packaged app passes false. */
  readonly isDevelopmentBuild: boolean;
  /**
   * Windows: the ProgramData folder, if the caller read it from the registry
   * (HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList, value
   * ProgramData). Defaults to C:\ProgramData. The %ProgramData% environment
   * variable is not used: any user can set it for their own processes.
   */
  readonly programData?: string;
}

export interface LoadPolicyOptions extends PolicyPathOptions {
  /** Reads the file as UTF-8 text; throws an error with code ENOENT (or ENOTDIR) when it does not exist. */
  readonly readFile: (file: string) => Promise<string> | string;
}

/** The machine-wide policy file for this OS, or the development override. */
export function policyFilePath(options: PolicyPathOptions): string {
  const override = options.env[policyFileOverrideVariable];
  if (options.isDevelopmentBuild && override !== undefined && override.trim() !== '') return override;
  switch (options.platform) {
    case 'win32':
      return path.win32.join(options.programData ?? 'C:\\ProgramData', 'Paddock', 'policy.json');
    case 'darwin':
      return '/Library/Application Support/Paddock/policy.json';
    default:
      return '/etc/paddock/policy.json';
  }
}

const topLevelKeys = new Set(['version', 'runners', 'providers', 'network']);

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where JSON.parse stopped, without the snippet of the file V8 puts in its message (it could hold a secret). */
function jsonErrorPlace(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return ` (line ${lineColumn[1]}, column ${lineColumn[2]})`;
  const position = /position (\d+)/.exec(message);
  if (position) return ` (at character ${position[1]})`;
  if (/end of JSON input/i.test(message)) return ' (it ends too early)';
  return '';
}

/** Every plaintext clientSecret in the file, to keep them out of problem messages whatever a message quotes. */
function plaintextSecrets(providers: unknown): string[] {
  if (!Array.isArray(providers)) return [];
  const secrets: string[] = [];
  for (const provider of providers) {
    if (isObject(provider) && isObject(provider.oauth) && typeof provider.oauth.clientSecret === 'string' && provider.oauth.clientSecret !== '') {
      secrets.push(provider.oauth.clientSecret);
    }
  }
  return secrets;
}

/**
 * Reads the policy: a missing file is no policy; an unreadable file, invalid
 * JSON or an unknown version is one problem and nothing applies; otherwise
 * each runner and provider entry is checked on its own, and an invalid one
 * is reported (JSON path and a sentence) and skipped while the rest applies.
 */
export async function loadPolicy(options: LoadPolicyOptions): Promise<LoadedPolicy> {
  const file = policyFilePath(options);
  const none = (found: boolean, problems: PolicyProblem[] = []): LoadedPolicy => ({ path: file, found, runners: [], providers: [], network: null, problems });

  let text: string;
  try {
    text = await options.readFile(file);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return none(false);
    const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied: make it readable by every user (docs/policy.md)' : code === 'EISDIR' ? 'it is a folder' : `error ${code ?? 'unknown'}`;
    return none(true, [{ path: '', message: `The policy file ${file} cannot be read (${reason}), so no policy applies.` }]);
  }
  if (text.length > maxPolicyBytes) {
    return none(true, [{ path: '', message: `The policy file is larger than ${maxPolicyBytes / 1024} KiB, so no policy applies. A policy is a few kilobytes: check that ${file} is the right file.` }]);
  }

  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return none(true, [{ path: '', message: `The policy file is not valid JSON${jsonErrorPlace(error)}, so no policy applies. Fix it and restart Paddock.` }]);
  }
  if (!isObject(json)) {
    return none(true, [{ path: '', message: 'The policy file must hold a JSON object, { "version": 1, "runners": […], "providers": […] }, so no policy applies.' }]);
  }
  if (json.version !== policyVersion) {
    return none(true, [
      {
        path: 'version',
        message: `This Paddock reads policy version ${policyVersion}; the file ${json.version === undefined ? 'gives no "version"' : 'has another version'}, so no policy applies.`,
      },
    ]);
  }

  const secrets = plaintextSecrets(json.providers);
  const problems: PolicyProblem[] = [];
  const report = (where: readonly (string | number)[], message: string) => {
    const safe = secrets.reduce((text, secret) => text.split(secret).join('[redacted]'), message);
    problems.push({ path: jsonPath(where), message: safe });
  };
  const reportIssues = (prefix: readonly (string | number)[], issues: readonly PolicyIssue[], what: string) => {
    for (const issue of issues) report([...prefix, ...issue.path], `${issue.message} This ${what} is ignored.`);
  };

  for (const key of Object.keys(json)) {
    if (!topLevelKeys.has(key)) report([key], 'This Paddock does not know this key; it is ignored. The file holds only "version", "runners", "providers" and "network".');
  }
  const list = (key: 'runners' | 'providers'): unknown[] => {
    const value = json[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      report([key], `"${key}" must be a list ([…]); none of its entries apply.`);
      return [];
    }
    return value;
  };

  // Runners.
  const runners: PolicyRunner[] = [];
  const runnersById = new Map<string, PolicyRunner>();
  const invalidRunnerIds = new Set<string>();
  list('runners').forEach((raw, index) => {
    const where = ['runners', index] as const;
    const parsed = policyRunnerSchema.safeParse(raw);
    if (!parsed.success) {
      if (isObject(raw) && typeof raw.id === 'string') invalidRunnerIds.add(raw.id.trim());
      reportIssues(
        where,
        parsed.error.issues.map((issue) => ({ path: issue.path.filter((key) => typeof key !== 'symbol'), message: issue.message })),
        'runner entry',
      );
      return;
    }
    const runner = parsed.data;
    const clash =
      runnersById.has(runner.id)
        ? { field: 'id', text: `Another runner entry already has the id ${runner.id}` }
        : runners.some((other) => other.runnerUid === runner.runnerUid)
          ? { field: 'runnerUid', text: 'Another runner entry is already this runner (same runnerUid)' }
          : runners.some((other) => other.url === runner.url)
            ? { field: 'url', text: `Another runner entry already has the URL ${runner.url}` }
            : null;
    if (clash) {
      invalidRunnerIds.add(runner.id);
      report([...where, clash.field], `${clash.text}; this runner entry is ignored.`);
      return;
    }
    runners.push(runner);
    runnersById.set(runner.id, runner);
  });

  // Providers.
  const providers: PolicyProvider[] = [];
  const hostsByRunner = new Map<string, Map<string, number>>();
  list('providers').forEach((raw, index) => {
    const where = ['providers', index] as const;
    if (!isObject(raw)) {
      report(where, 'A provider entry must be an object, { "runner": …, "kind": …, "host": …, … }; it is ignored.');
      return;
    }
    const runnerRef = typeof raw.runner === 'string' ? raw.runner.trim() : null;
    let context: PolicyRunnerContext;
    if (runnerRef === null || runnerRef === '') {
      report([...where, 'runner'], 'Name the runner: "local" for the workstation’s own runner, or the id of a runner in runners. This provider entry is ignored.');
      return;
    } else if (runnerRef === localRunnerRef) {
      context = { kind: 'local' };
    } else {
      const runner = runnersById.get(runnerRef);
      if (!runner) {
        report(
          [...where, 'runner'],
          invalidRunnerIds.has(runnerRef)
            ? `The runner ${runnerRef} is ignored because its entry has problems (see runners); so is this provider entry. Fix the runner entry.`
            : `No runner has the id ${runnerRef}: use "local" or the id of a runner in runners. This provider entry is ignored.`,
        );
        return;
      }
      context = { kind: 'remote', url: runner.url };
    }

    const parsed = parsePolicyProvider(raw, context);
    if (!parsed.ok) {
      reportIssues(where, parsed.issues, 'provider entry');
      return;
    }
    const provider = parsed.provider;
    const hosts = hostsByRunner.get(provider.runner) ?? new Map<string, number>();
    hostsByRunner.set(provider.runner, hosts);
    const first = hosts.get(provider.host);
    if (first !== undefined) {
      report(
        [...where, 'host'],
        `providers[${first}] already gives ${provider.host} on the runner ${provider.runner}; a runner has one entry per host. This provider entry is ignored.`,
      );
      return;
    }
    hosts.set(provider.host, index);
    providers.push(provider);
  });

  let network: PolicyNetwork | null = null;
  if (json.network !== undefined) {
    const parsed = policyNetworkSchema.safeParse(json.network);
    if (parsed.success) network = parsed.data;
    else for (const issue of parsed.error.issues) report(['network', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], `${issue.message} The network settings are ignored.`);
  }

  return { path: file, found: true, runners, providers, network, problems };
}
