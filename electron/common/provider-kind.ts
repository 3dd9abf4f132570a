import { z } from 'zod';

/**
 * The source-control providers Paddock knows. Cloud and self-hosted products
 * that differ in URLs or authentication are separate kinds.
 */
export const providerKinds = [
  'github',
  'gitlab',
  'bitbucket-cloud',
  'bitbucket-dc',
  'azure-devops',
  'azure-devops-server',
] as const;
export type ProviderKind = (typeof providerKinds)[number];

export const providerKindSchema = z.enum(providerKinds);
