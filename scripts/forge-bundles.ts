// The Forge Vite plugin's build configs, built with Vite's JavaScript API and
// no Electron binary: shared by `npm run build:app` (the app's bundles) and
// `npm run build:runner` (the standalone runner package), so that the runner
// in the package is bundled exactly as the app's runner.cjs.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { VitePlugin } from '@electron-forge/plugin-vite';
import { build, type InlineConfig } from 'vite';
import forgeConfig from '../forge.config';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type PluginConfig = VitePlugin['config'];
type Generator = { getBuildConfigs(): Promise<InlineConfig[]>; getRendererConfig(): Promise<InlineConfig[]> };

/** The plugin's config generator (production mode), optionally for only some of forge.config.ts's build entries. */
export async function forgeGenerator(entries?: (entry: string) => boolean): Promise<Generator> {
  const plugin = forgeConfig.plugins?.find((p): p is VitePlugin => p instanceof VitePlugin);
  if (!plugin) throw new Error('forge.config.ts has no Vite plugin.');
  // The plugin's config generator is not in its package exports; load it by path.
  const generatorUrl = pathToFileURL(path.join(root, 'node_modules/@electron-forge/plugin-vite/dist/ViteConfig.js')).href;
  const { default: ViteConfigGenerator } = (await import(generatorUrl)) as {
    default: new (config: unknown, projectDir: string, isProd: boolean) => Generator;
  };
  const config: PluginConfig = entries ? { ...plugin.config, build: plugin.config.build.filter((b) => typeof b.entry === 'string' && entries(b.entry)) } : plugin.config;
  return new ViteConfigGenerator(config, root, true);
}

/**
 * Builds each config; warnings that mean the bundle would break at run time
 * fail the build (the process exits 1 with them).
 */
export async function buildStrict(configs: InlineConfig[], what: string, outDir?: string): Promise<void> {
  const fatalWarnings = new Set(['EMPTY_IMPORT_META', 'UNRESOLVED_IMPORT', 'MISSING_EXPORT']);
  const problems: string[] = [];
  for (const config of configs) {
    await build({
      ...config,
      configFile: false,
      logLevel: 'warn',
      build: {
        ...config.build,
        ...(outDir ? { outDir, emptyOutDir: false } : {}),
        rollupOptions: {
          ...config.build?.rollupOptions,
          onLog(level, log, handler) {
            if (log.code && fatalWarnings.has(log.code)) problems.push(`${log.code}: ${log.message.split('\n')[0]}`);
            handler(level, log);
          },
        },
      },
    });
  }
  if (problems.length) {
    console.error(`${what} would break at run time:\n${problems.join('\n')}`);
    process.exit(1);
  }
}
