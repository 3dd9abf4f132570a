import type { ProviderKind } from '../provider-kind';
import { azureDevOps, azureDevOpsServer } from './entries/azure-devops';
import { bitbucketCloud, bitbucketDc } from './entries/bitbucket';
import { github } from './entries/github';
import { gitlab } from './entries/gitlab';
import type { CatalogueEntry } from './schema';

// The provider catalogue: one entry per kind (entries/), every fact from
// spec/SCM-PROTOCOLS.md (section in `source`). A few facts come from vendor
// documents the spec does not quote; their `source` names the document and
// docs/providers.md lists them. Unconfirmed facts are `confirmed: false`
// with a note. The unit tests validate every entry against its schema.

/** The catalogue, keyed by kind; the "Provider" choice lists it in providerKinds' order. */
export const providerCatalogue: Readonly<Record<ProviderKind, CatalogueEntry>> = {
  github,
  gitlab,
  'bitbucket-cloud': bitbucketCloud,
  'bitbucket-dc': bitbucketDc,
  'azure-devops': azureDevOps,
  'azure-devops-server': azureDevOpsServer,
};

export function catalogueEntry(kind: ProviderKind): CatalogueEntry {
  return providerCatalogue[kind];
}
