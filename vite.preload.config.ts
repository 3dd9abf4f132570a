import { defineConfig } from 'vite';

// One bundled, sandboxed preload; Forge's Vite plugin supplies the rest.
export default defineConfig({});
