// Builds the Electron app's bundles exactly as `electron-forge start/package`
// would (same Forge Vite plugin configs): .vite/build/main.cjs,
// .vite/build/preload.cjs and .vite/renderer/main_window/. Needs no Electron
// binary; used by the test suite and by the electron-builder step.
import { buildStrict, forgeGenerator } from './forge-bundles';

const generator = await forgeGenerator();
// Renderer first: main's build defines MAIN_WINDOW_VITE_NAME from the renderer list.
await buildStrict([...(await generator.getRendererConfig()), ...(await generator.getBuildConfigs())], 'The app bundles');
console.log('Built .vite/build/main.cjs, .vite/build/preload.cjs and .vite/renderer/main_window/.');
