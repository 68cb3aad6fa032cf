// Vitest configuration: tests live under test/, mirroring the source folders.
// Grammar files (.ohm) are imported as precompiled Ohm recipes, as esbuild does for the bundle.
import { defineConfig } from 'vitest/config';
// @ts-expect-error: a plain JavaScript build helper without type declarations
import { ohmRecipeModule } from './build/ohm-recipe.mjs';

export default defineConfig({
  plugins: [
    {
      name: 'ohm-recipe',
      load(id) {
        if (id.endsWith('.ohm')) return ohmRecipeModule(id);
        return null;
      },
    },
  ],
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/bench/**', 'node_modules/**'],
    // One fixed fast-check seed for every property (BPFSIM_FC_SEED overrides it).
    setupFiles: ['test/setup/fast-check.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
