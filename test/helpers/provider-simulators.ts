import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAzureDevOpsSimulator } from '../fakes/azure-devops';
import { startAzureDevOpsServerSimulator } from '../fakes/azure-devops-server';
import { startEntraSimulator } from '../fakes/entra';
import { startGitHubSimulator } from '../fakes/github';

export const SIMULATED_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/**
 * The provider simulators a runner under test talks to instead of the real
 * services: Azure DevOps (organization "contoso" in SIMULATED_TENANT, and
 * "fabrikam"), Entra ID, a GitHub Enterprise Server at https://ghe.example.test
 * and an Azure DevOps Server at https://tfs.example.test/tfs with
 * DefaultCollection. Give the runner `runnerArgs` and `runnerEnv`.
 */
export async function startProviderSimulators() {
  const entra = await startEntraSimulator({ tenants: [SIMULATED_TENANT] });
  const ado = await startAzureDevOpsSimulator({
    authority: entra.origin,
    organizations: { contoso: { tenant: SIMULATED_TENANT }, fabrikam: { tenant: SIMULATED_TENANT } },
  });
  const ghe = await startGitHubSimulator({ layout: 'enterprise-server' });
  const tfs = await startAzureDevOpsServerSimulator({ virtualDirectory: '/tfs', collections: ['DefaultCollection'] });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-sims-'));
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, entra.ca);
  const endpoints = {
    'https://dev.azure.com': ado.origin,
    'https://login.microsoftonline.com': entra.origin,
    'https://ghe.example.test': ghe.origin,
    'https://tfs.example.test': tfs.origin,
  };
  return {
    caFile,
    endpoints,
    runnerArgs: ['--ca-file', caFile],
    runnerEnv: { PADDOCK_DEV_PROVIDER_ENDPOINTS: JSON.stringify(endpoints) },
    close: async () => {
      await Promise.all([entra, ado, ghe, tfs].map((s) => s.close()));
    },
  };
}
