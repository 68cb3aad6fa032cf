// Turns a .ohm grammar file into a JavaScript module exporting its precompiled Ohm
// recipe, so that loading the grammar at run time takes milliseconds instead of the
// hundreds it takes to build it from source. Both esbuild (build.mjs) and vitest
// (vitest.config.ts) load .ohm files through this. The bundle also leaves out Ohm's own
// grammar, which only compiling grammar source needs.
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

/**
 * The esbuild plugin that leaves Ohm's own grammar (the grammar of .ohm source, which
 * ohm-js builds when it loads) out of the bundle: the bundle only loads precompiled
 * recipes and matches with simple start rule names, so it never compiles grammar source
 * or parses a parameterised rule application. Using it anyway is a clear error.
 */
export const ohmWithoutMetaGrammarPlugin = {
  name: 'ohm-without-meta-grammar',
  setup(b) {
    b.onLoad({ filter: /[\\/]ohm-js[\\/]dist[\\/]ohm-grammar\.js$/ }, () => ({
      contents: [
        "const unavailable = () => { throw new Error('ohm-js: this bundle cannot compile grammar source (bpfsim precompiles its grammar)'); };",
        'export default { match: unavailable, trace: unavailable, createSemantics: unavailable };',
      ].join('\n'),
      loader: 'js',
    }));
  },
};
