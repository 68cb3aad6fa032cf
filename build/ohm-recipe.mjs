// Turns a .ohm grammar file into a JavaScript module exporting its precompiled Ohm
// recipe, so that loading the grammar at run time takes milliseconds instead of the
// hundreds it takes to build it from source. Both esbuild (build.mjs) and vitest
// (vitest.config.ts) load .ohm files through this. The bundle also leaves out Ohm's own
// grammar, which only compiling grammar source needs.
import { readFileSync } from 'node:fs';
import * as ohm from 'ohm-js';

export function ohmRecipeModule(path) {
  const recipe = withoutSource(JSON.parse(ohm.grammar(readFileSync(path, 'utf8')).toRecipe()));
  return `export default ${JSON.stringify(JSON.stringify(recipe))};\n`;
}

/**
 * The recipe without the grammar's source text and the source intervals of its rules and
 * expressions: Ohm only shows them when tracing a match or reporting a broken grammar
 * (checked here, when the grammar is built from source), and attaching them is a good
 * part of loading the recipe.
 */
function withoutSource(x) {
  if (Array.isArray(x)) return x.map(withoutSource);
  if (x === null || typeof x !== 'object') return x;
  const out = {};
  for (const [k, v] of Object.entries(x)) if (k !== 'source' && k !== 'sourceInterval') out[k] = withoutSource(v);
  return out;
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
