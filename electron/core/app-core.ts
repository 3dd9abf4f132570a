import {
  APP_API_VERSION,
  type AppInfo,
  type Notice,
  type PaddockApi,
  type PreferencesPatch,
} from '../common/api';
import { discoverTenantResultSchema, saveProviderResultSchema } from '../common/api/schemas';
import { PaddockError } from '../common/errors';
import { applyPolicyResponseSchema, providerViewSchema } from '../common/provider-config';
import { localRunnerRef } from '../common/policy';
import type { ProviderKind } from '../common/provider-kind';
import { normalizeHost } from '../common/providers';
import type { LoadedPolicy } from './policy/load';
import { z } from 'zod';
import type { CredentialStore } from './credentials';
import { ApiEventHub } from './events';
import type { Logger } from './logger';
import { RunnerRegistry, type RunnerRegistryOptions } from './runners/registry';
import type { AppStore } from './store/store';

const providerListSchema = z.object({ providers: z.array(providerViewSchema) }).strict();
const providerDeleteSchema = z.object({ ok: z.literal(true), deletedTokens: z.number().int().nonnegative() }).strict();

export interface CoreOptions {
  store: AppStore;
  appInfo: Omit<AppInfo, 'apiVersion'>;
  logger: Logger;
  /** The main process's keychain entries (remote runners' credentials). */
  credentials: CredentialStore;
  /** The local runner, when this app runs one; null in unit tests of other parts. */
  localRunner: RunnerRegistryOptions['local'];
  heartbeatMs?: number;
  workstationName?: string;
  /** The admin policy, loaded at start (electron/core/policy/load.ts); none when absent. */
  policy?: LoadedPolicy;
}

/** The core: the app's management logic, and the one implementation of `PaddockApi`. */
export interface PaddockCore extends PaddockApi {
  /** Stops timers and child processes; the core is unusable afterwards. */
  dispose(): Promise<void>;
}

export function createCore({ store, appInfo, logger, credentials, localRunner, heartbeatMs, workstationName, policy }: CoreOptions): PaddockCore {
  const events = new ApiEventHub();
  let notices: Notice[] = store.recovery ? [store.recovery] : [];
  const addNotices = (added: Notice[]) => {
    const ids = new Set(added.map((n) => n.id));
    notices = [...notices.filter((n) => !ids.has(n.id)), ...added];
    events.emit('noticesChanged', notices);
  };
  // The admin policy: its problems are shown; its local-runner entries are managed (S7).
  notices.push(
    ...(policy?.problems ?? []).map(
      (problem): Notice => ({
        id: `policy:${problem.path}`,
        level: 'warning',
        message: `Admin policy (${policy!.path}), ${problem.path}: ${problem.message} This part of the policy is ignored; the rest applies.`.slice(0, 2000),
      }),
    ),
  );
  const policyProvidersFor = (ref: string) => (policy?.providers ?? []).filter((p) => p.runner === ref);
  /** Core refuses changes to managed entries too, not only the runner (S7). */
  const refuseManaged = (runnerId: string, kind: ProviderKind | null, hosts: (string | null)[]) => {
    const ref = runners.policyRef(runnerId);
    if (ref === null) return;
    const managedHosts = new Set(policyProvidersFor(ref).map((p) => p.host));
    for (const host of hosts) {
      if (host === null) continue;
      const normalized = kind ? normalizeHost(kind, host) : null;
      const key = normalized?.ok ? normalized.baseUrl : host;
      if (managedHosts.has(key)) {
        throw new PaddockError('forbidden', `${key} is managed by the admin policy (${policy?.path}); it cannot be changed or removed here.`);
      }
    }
  };
  const applyPolicy = async (runnerId: string, ref: string) => {
    try {
      const result = await runners.call(
        runnerId,
        {
          method: 'PUT',
          path: '/v1/policy',
          body: {
            providers: policyProvidersFor(ref).map((p) => ({
              kind: p.kind,
              host: p.host,
              organizations: [...p.organizations],
              collections: [...p.collections],
              oauth: p.oauth ? { clientId: p.oauth.clientId, tenant: p.oauth.tenant, clientSecret: p.oauth.clientSecret } : null,
              pat: { enabled: p.pat.enabled },
            })),
          },
        },
        applyPolicyResponseSchema,
      );
      if (result.problems.length) {
        addNotices(
          result.problems.map((problem) => ({
            id: `policy-apply:${problem.host}`,
            level: 'warning' as const,
            message: `Admin policy entry for ${problem.host} was not applied: ${problem.message}`.slice(0, 2000),
          })),
        );
      }
    } catch (error) {
      logger.warn('admin policy could not be applied to a runner', { runnerId, error: error instanceof Error ? error.message : String(error) });
    }
  };
  // Corporate network settings from the policy go to the local runner as flags (D4).
  const network = policy?.network;
  const networkArgs = [
    ...(network?.caFile ? ['--ca-file', network.caFile] : []),
    ...(network?.proxy ? ['--proxy', network.proxy] : []),
    ...(network?.proxy && network.noProxy ? ['--no-proxy', network.noProxy] : []),
  ];
  const runners = new RunnerRegistry({
    store,
    credentials,
    logger,
    local: localRunner && networkArgs.length ? { ...localRunner, args: [...(localRunner.args ?? []), ...networkArgs] } : localRunner,
    ...(heartbeatMs ? { heartbeatMs } : {}),
    ...(workstationName ? { workstationName } : {}),
    onChange: (list) => events.emit('runnersChanged', list),
    onLocalReady: () => void applyPolicy('local', localRunnerRef),
    policyRunners: policy?.runners ?? [],
  });
  runners.start();

  return {
    getAppInfo: async () => ({ ...appInfo, apiVersion: APP_API_VERSION }),

    getPreferences: async () => store.get('preferences'),

    updatePreferences: async (patch: PreferencesPatch) => {
      const preferences = { ...store.get('preferences'), ...patch };
      store.set('preferences', preferences);
      events.emit('preferencesChanged', preferences);
      return preferences;
    },

    listRunners: async () => runners.list(),
    getRunner: async ({ id }) => runners.get(id),
    probeRemoteRunner: (input) => runners.probeRemote(input),
    addRemoteRunner: (input) => runners.addRemote(input),
    renameRunner: async ({ id, name }) => runners.rename(id, name),
    registerManagedRunner: ({ id, token }) => runners.registerManaged(id, token),
    removeRunner: ({ id, force }) => runners.remove(id, force ?? false),
    restartRunner: ({ id }) => runners.restart(id),
    setUpLocalRunner: async () => runners.setUpLocal(),
    listProviders: async ({ id }) => (await runners.call(id, { method: 'GET', path: '/v1/providers' }, providerListSchema)).providers,
    saveProvider: async ({ runnerId, ...body }) => {
      refuseManaged(runnerId, body.provider.kind, [body.provider.host, body.previousHost]);
      return runners.call(runnerId, { method: 'PUT', path: '/v1/providers', body }, saveProviderResultSchema);
    },
    discoverTenant: ({ runnerId, organization }) =>
      runners.call(runnerId, { method: 'POST', path: '/v1/providers/discover-tenant', body: { organization } }, discoverTenantResultSchema),
    deleteProvider: async ({ runnerId, host }) => {
      refuseManaged(runnerId, null, [host]);
      const { deletedTokens } = await runners.call(runnerId, { method: 'DELETE', path: '/v1/providers', body: { host } }, providerDeleteSchema);
      const { providers } = await runners.call(runnerId, { method: 'GET', path: '/v1/providers' }, providerListSchema);
      return { deletedTokens, providers };
    },

    listEnvironments: async () => store.get('environments'),

    listNotices: async () => notices,

    dismissNotice: async ({ id }) => {
      if (!notices.some((notice) => notice.id === id)) {
        throw new PaddockError('not-found', 'That notice was already dismissed.');
      }
      notices = notices.filter((notice) => notice.id !== id);
      events.emit('noticesChanged', notices);
      return notices;
    },

    onPreferencesChanged: (listener) => events.on('preferencesChanged', listener),
    onRunnersChanged: (listener) => events.on('runnersChanged', listener),
    onNoticesChanged: (listener) => events.on('noticesChanged', listener),

    dispose: () => runners.dispose(),
  };
}
