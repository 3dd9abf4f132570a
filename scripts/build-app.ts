// Builds the Electron app's bundles exactly as `electron-forge start/package`
// would (same Forge Vite plugin configs): .vite/build/main.cjs,
// .vite/build/preload.cjs and .vite/renderer/main_window/. Needs no Electron
// binary; used by the test suite and by the electron-builder step.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { VitePlugin } from '@electron-forge/plugin-vite';
import { build, type InlineConfig } from 'vite';
import forgeConfig from '../forge.config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const plugin = forgeConfig.plugins?.find((p): p is VitePlugin => p instanceof VitePlugin);
if (!plugin) throw new Error('forge.config.ts has no Vite plugin.');

// The plugin's config generator is not in its package exports; load it by path.
const generatorUrl = pathToFileURL(path.join(root, 'node_modules/@electron-forge/plugin-vite/dist/ViteConfig.js')).href;
const { default: ViteConfigGenerator } = (await import(generatorUrl)) as {
  default: new (config: unknown, projectDir: string, isProd: boolean) => {
    getBuildConfigs(): Promise<InlineConfig[]>;
    getRendererConfig(): Promise<InlineConfig[]>;
  };
};

const generator = new ViteConfigGenerator(plugin.config, root, true);
// Renderer first: main's build defines MAIN_WINDOW_VITE_NAME from the renderer list.
// Warnings that mean the bundle would break at run time fail the build.
const fatalWarnings = new Set(['EMPTY_IMPORT_META', 'UNRESOLVED_IMPORT', 'MISSING_EXPORT']);
const problems: string[] = [];
for (const config of [...(await generator.getRendererConfig()), ...(await generator.getBuildConfigs())]) {
  await build({
    ...config,
    configFile: false,
    logLevel: 'warn',
    build: {
      ...config.build,
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
  console.error(`The app bundles would break at run time:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log('Built .vite/build/main.cjs, .vite/build/preload.cjs and .vite/renderer/main_window/.');
