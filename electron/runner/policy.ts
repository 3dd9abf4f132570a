import fs from 'node:fs';
import type { ManagedProvider } from '../common/provider-config';
import { jsonPath, managedProviderOf, parsePolicyProvider, policyFileSchema, policyRunnerSchema } from '../common/policy';

/**
 * A runner on a server takes its managed entries from its own admin: the
 * same policy file format as workstations (docs/policy.md), read at start
 * with `serve --policy FILE`. It applies the providers of the policy runner
 * whose runnerUid is this runner's id; secrets must be pre-sealed to it
 * (`paddock seal`), never plain. Workstations cannot change what is managed
 * here: PUT /v1/policy exists only on the local runner.
 */
export function managedProvidersFromPolicyFile(file: string, runnerId: string): { providers: ManagedProvider[]; problems: string[] } {
  const problems: string[] = [];
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'it is not valid JSON' : (error as Error).message;
    return { providers: [], problems: [`The policy file ${file} cannot be read (${reason}); no managed entries apply.`] };
  }
  const envelope = policyFileSchema.safeParse(json);
  if (!envelope.success) {
    return { providers: [], problems: [`The policy file ${file} is not a version 1 policy (${envelope.error.issues[0]?.message}); no managed entries apply.`] };
  }
  const self = (envelope.data.runners ?? [])
    .map((raw) => policyRunnerSchema.safeParse(raw))
    .find((parsed) => parsed.success && parsed.data.runnerUid === runnerId);
  if (!self?.success) {
    return { providers: [], problems: [`The policy file names no runner with runnerUid ${runnerId} (this runner); no managed entries apply.`] };
  }
  const runner = self.data;
  const providers: ManagedProvider[] = [];
  (envelope.data.providers ?? []).forEach((raw, index) => {
    if (typeof raw !== 'object' || raw === null || (raw as { runner?: unknown }).runner !== runner.id) return;
    const parsed = parsePolicyProvider(raw, { kind: 'remote', url: runner.url });
    if (!parsed.ok) {
      for (const issue of parsed.issues) problems.push(`${jsonPath(['providers', index, ...issue.path])}: ${issue.message} This entry is ignored.`);
      return;
    }
    const provider = parsed.provider;
    if (provider.oauth?.clientSecret.type === 'plain') {
      problems.push(`${jsonPath(['providers', index, 'oauth', 'clientSecret'])}: a runner on a server takes only sealed secrets. This entry is ignored.`);
      return;
    }
    providers.push(managedProviderOf(provider));
  });
  return { providers, problems };
}
