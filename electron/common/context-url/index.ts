export { parseContextUrl } from './parse';
export { checkBaseUrl, configuredHostSchema, parseHostSpec } from './hosts';
export type { BaseUrlCheck, ConfiguredHost, HostSpecResult, ProviderHost } from './hosts';
export {
  contextRefSchema,
  contextUrlErrorCodeSchema,
  contextUrlErrorCodes,
  contextUrlErrorSchema,
  contextUrlResultSchema,
  contextUrlSchema,
} from './schema';
export type { ContextRef, ContextUrl, ContextUrlError, ContextUrlErrorCode, ContextUrlResult } from './schema';
