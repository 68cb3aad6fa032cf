// Turns a .ohm grammar file into a JavaScript module exporting its precompiled Ohm
// recipe, so that loading the grammar at run time takes milliseconds instead of the
// hundreds it takes to build it from source. Both esbuild (build.mjs) and vitest
// (vitest.config.ts) load .ohm files through this.
import { readFileSync } from 'node:fs';
import * as ohm from 'ohm-js';

export function ohmRecipeModule(path) {
  const recipe = ohm.grammar(readFileSync(path, 'utf8')).toRecipe();
  return `export default ${JSON.stringify(recipe)};\n`;
}

/** The esbuild plugin. */
export const ohmRecipePlugin = {
  name: 'ohm-recipe',
  setup(b) {
    b.onLoad({ filter: /\.ohm$/ }, (args) => ({ contents: ohmRecipeModule(args.path), loader: 'js' }));
  },
};
