// Bundles the two command-line entry points with esbuild so that the launchers in bin/
// start in a fraction of the time a TypeScript loader needs.
// - bpfsim: one CommonJS file (dist/bpfsim.cjs) that bin/bpfsim compiles with a V8 code
//   cache made here (dist/bpfsim.cache, see build/code-cache.mjs), so a run neither parses
//   the bundle nor compiles the functions start-up runs. The REPL (Ink and React, whose
//   layout engine needs an ES module) is a separate ES module, dist/repl.mjs, imported
//   only for an interactive terminal.
// - bpfvm: an ES module bundle with its chunks.
// The kernel's static tables are computed here once and carried as JSON
// (build/prebuilt-tables.mjs). `node build.mjs --bench` also bundles the benchmark
// harness into dist/bench/.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { writeCodeCache } from './build/code-cache.mjs';
import { ohmRecipePlugin } from './build/ohm-recipe.mjs';
import { prebuiltTablesPlugin, tablesSnapshotJson } from './build/prebuilt-tables.mjs';

const plugins = [ohmRecipePlugin, prebuiltTablesPlugin(await tablesSnapshotJson())];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  plugins,
  logLevel: 'warning',
  // Ink imports React DevTools only when DEV=true; it is not a dependency, so it stays out.
  external: ['react-devtools-core'],
};

const esm = {
  ...common,
  splitting: true,
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  sourcemap: 'linked',
  // Some CommonJS dependencies of Ink call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __bpfsimCreateRequire } from 'node:module'; const require = __bpfsimCreateRequire(import.meta.url);" },
};

/** In the CommonJS bundle, the REPL's module is the separate ES module bundle dist/repl.mjs. */
const replOutside = {
  name: 'repl-outside',
  setup(b) {
    b.onResolve({ filter: /^\.\/repl\/start$/ }, (args) => (/[\\/]ui[\\/]main\.ts$/.test(args.importer) ? { path: './repl.mjs', external: true } : undefined));
  },
};

// Chunk names carry content hashes: start from an empty folder so stale chunks do not pile up.
rmSync('dist', { recursive: true, force: true });
await build({ ...esm, entryPoints: { bpfvm: 'vm/cli/main.ts', repl: 'ui/repl/start.tsx' }, outdir: 'dist' });
await build({ ...common, plugins: [...plugins, replOutside], format: 'cjs', minifyWhitespace: true, minifySyntax: true, entryPoints: { bpfsim: 'ui/main.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' } });
writeCodeCache();

if (process.argv.includes('--bench')) {
  await build({ ...esm, entryPoints: { bench: 'test/bench/run.ts' }, outdir: 'dist/bench', packages: 'external' });
}
