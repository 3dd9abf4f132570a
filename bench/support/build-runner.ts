// Builds the runner bundle (runner.cjs) into the directory given as the only
// argument, with the configuration `npm run build:app` uses for the app's
// .vite/build/runner.cjs (the Forge Vite plugin's, production mode), so a
// benchmark measures what ships, from the current sources, without touching
// the shared .vite/ folder. Run with tsx: `tsx bench/support/build-runner.ts DIR`.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { VitePlugin } from '@electron-forge/plugin-vite';
import { build, type InlineConfig } from 'vite';
import forgeConfig from '../../forge.config';

const outDir = process.argv[2];
if (!outDir) throw new Error('usage: tsx bench/support/build-runner.ts OUT_DIR');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const plugin = forgeConfig.plugins?.find((p): p is VitePlugin => p instanceof VitePlugin);
if (!plugin) throw new Error('forge.config.ts has no Vite plugin.');
// As in scripts/build-app.ts: the plugin's config generator is not in its package exports.
const generatorUrl = pathToFileURL(path.join(root, 'node_modules/@electron-forge/plugin-vite/dist/ViteConfig.js')).href;
const { default: ViteConfigGenerator } = (await import(generatorUrl)) as {
  default: new (config: unknown, projectDir: string, isProd: boolean) => { getBuildConfigs(): Promise<InlineConfig[]> };
};
const configs = await new ViteConfigGenerator(plugin.config, root, true).getBuildConfigs();
const runner = configs.find((config) => {
  const lib = config.build?.lib;
  return lib && typeof lib === 'object' && lib.entry === 'electron/runner/runner.ts';
});
if (!runner) throw new Error('forge.config.ts builds no electron/runner/runner.ts.');
await build({ ...runner, configFile: false, logLevel: 'warn', build: { ...runner.build, outDir: path.resolve(outDir), emptyOutDir: false } });
