import { z } from 'zod';

export const themeSchema = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof themeSchema>;

export const preferencesSchema = z
  .object({
    theme: themeSchema,
  })
  .strict();
export type Preferences = z.infer<typeof preferencesSchema>;

export const preferencesPatchSchema = preferencesSchema.partial().strict();
export type PreferencesPatch = z.infer<typeof preferencesPatchSchema>;

export const appInfoSchema = z
  .object({
    name: z.string(),
    version: z.string(),
    apiVersion: z.number().int().positive(),
    /** 'electron' for the product, 'web' for the web host used in development and tests. */
    shell: z.enum(['electron', 'web']),
    platform: z.string(),
  })
  .strict();
export type AppInfo = z.infer<typeof appInfoSchema>;

const idSchema = z.string().min(1).max(200);

/** A runner as the app lists it. Runner management fills this in (issue "Runners"). */
export const runnerSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1).max(200),
    kind: z.enum(['local', 'remote']),
  })
  .strict();
export type Runner = z.infer<typeof runnerSchema>;

/** An environment as the app lists it. Environments fill this in (a later issue). */
export const environmentSchema = z
  .object({
    id: idSchema,
    runnerId: idSchema,
    contextUrl: z.string().max(4096),
    state: z.enum(['creating', 'ready', 'failed']),
  })
  .strict();
export type Environment = z.infer<typeof environmentSchema>;

export const noticeSchema = z
  .object({
    id: idSchema,
    level: z.enum(['info', 'warning', 'error']),
    message: z.string().max(2000),
  })
  .strict();
export type Notice = z.infer<typeof noticeSchema>;
