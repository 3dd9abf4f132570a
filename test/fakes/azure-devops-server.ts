import { connectionDataAnswer } from './azure-devops';
import { prefixSegments, segmentsOf, startSimulator, startsWith } from './simulator';
import type { SimulatedAccount, Simulator } from './simulator';

// Azure DevOps Server simulator: a server with an optional virtual directory
// (/tfs) and collections under it (SCM-PROTOCOLS §1.4, §1.6).
//
// The only endpoint is `{virtual dir}/{collection}/_apis/connectionData`,
// which §1.4 marks [GUESS] for the server. What the real server answers
// without a token is not in the spec; this simulator answers 401 (no body
// claims, no authentication scheme offered), which is all host validation
// may rely on: the server answers HTTP over TLS. Unknown collections get 404.
// With the account's personal access token (`Authorization: Basic
// base64(":" + PAT)`, §1.4) it answers the authenticatedUser, as Azure
// DevOps Services does (azure-devops.ts); another token gets 401 as well.

export interface AzureDevOpsServerSimulatorOptions {
  /** The virtual directory: "/tfs" (TFS 2018 and earlier) or "" (the default since 2019). */
  readonly virtualDirectory: string;
  readonly collections: readonly string[];
  /** The account whose personal access token is accepted, in every collection; without one, every token is refused. */
  readonly account?: SimulatedAccount;
}

export async function startAzureDevOpsServerSimulator(options: AzureDevOpsServerSimulatorOptions): Promise<Simulator> {
  const root = prefixSegments(options.virtualDirectory);
  const collections = new Set(options.collections.map((collection) => collection.toLowerCase()));

  return startSimulator([
    ({ method, url, headers }) => {
      const segments = segmentsOf(url);
      if (method !== 'GET' || !segments || !startsWith(segments, root, true)) return null;
      const rest = segments.slice(root.length);
      if (rest.length !== 3 || rest[1] !== '_apis' || rest[2] !== 'connectionData') return null;
      if (!collections.has(rest[0]!.toLowerCase())) return { status: 404, text: 'Not Found' };
      return connectionDataAnswer(options.account, headers);
    },
  ]);
}
