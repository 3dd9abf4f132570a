export { catalogueEntry, providerCatalogue } from './catalogue';
export {
  azureDevOpsResourceId,
  callbackPath,
  customSchemeCallback,
  defaultEntraTenant,
  entraAuthority,
  fixedLoopbackPort,
  suggestedPatDays,
} from './constants';
export {
  catalogueEntrySchema,
  deadlineSchema,
  callbackKinds,
  callbackKindSchema,
  oauthRulesSchema,
  patRulesSchema,
  policyHintSchema,
  probeSchema,
  templateVariables,
} from './schema';
export type {
  CallbackKind,
  CallbackRule,
  CatalogueEntry,
  Deadline,
  DocsLink,
  Endpoint,
  HostRules,
  OAuthRules,
  PatRules,
  PolicyHint,
  Probe,
  Scope,
  SourcedNote,
  SupportedOAuthRules,
  TemplateVariable,
  TokenCheck,
  UnitRules,
} from './schema';
export { hostErrorCodes, normalizeHost } from './host';
export type { HostErrorCode, HostWarning, HostWarningCode, NormalizeHostResult } from './host';
export { callbackOptions, callbackRunnerOf, callbackUrl } from './callback';
export type { CallbackOption, CallbackResult, CallbackRunner } from './callback';
export { oauthEndpoints, oauthScopeParameter, oauthScopes } from './oauth';
export type { OAuthEndpointsResult } from './oauth';
export { patNewTokenUrl } from './pat';
export { shortTokenName, tokenNameInSentence } from './token-name';
export type { PatLink, PatLinkOptions, PatLinkResult, PatNote } from './pat';
export { apiBase, expandUrl, hostValues } from './templates';
export type { TemplateValues } from './templates';
export {
  azureDevOpsOrganizationNameSchema,
  azureDevOpsOrganizationSchema,
  azureDevOpsOrganizationsSchema,
  azureDevOpsServerCollectionSchema,
  entraEndpoints,
  entraTenantSchema,
  isGuid,
  tenantFromOrganizationHead,
  tenantOriginSchema,
} from './azure-devops';
export type {
  AzureDevOpsOrganization,
  AzureDevOpsServerCollection,
  EntraEndpoints,
  EntraTenant,
  HeaderLookup,
  TenantDiscovery,
  TenantOrigin,
} from './azure-devops';
