// Bundles the two command-line entry points with esbuild so that the launchers in bin/
// start in a fraction of the time a TypeScript loader needs.
// - bpfsim: two CommonJS files, the command line (dist/bpfsim.cjs) and the engine it loads
//   for a program, a listing or the REPL (dist/engine.cjs), that bin/bpfsim compiles with
//   V8 code caches made here (dist/*.cache, see build/code-cache.mjs), so a run neither
//   parses the bundles nor compiles the functions start-up runs. The REPL (Ink and React,
//   whose layout engine needs an ES module) is a separate ES module, dist/repl.mjs,
//   imported only for an interactive terminal.
// - bpfvm: an ES module bundle with its chunks.
// The kernel's static tables are computed here once and carried as JSON
// (build/prebuilt-tables.mjs); the grammar is a precompiled Ohm recipe, and Ohm's own
// grammar stays out (build/ohm-recipe.mjs). `node build.mjs --bench` also bundles the
// benchmark harness into dist/bench/.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { writeCodeCache } from './build/code-cache.mjs';
import { ohmRecipePlugin, ohmWithoutMetaGrammarPlugin } from './build/ohm-recipe.mjs';
import { prebuiltTablesPlugin, tablesSnapshotJson } from './build/prebuilt-tables.mjs';

const plugins = [ohmRecipePlugin, ohmWithoutMetaGrammarPlugin, prebuiltTablesPlugin(await tablesSnapshotJson())];

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

/**
 * The modules the command line imports on demand that pull in the compiler and the
 * machine, by the specifier it imports them with. They make up a second CommonJS bundle,
 * dist/engine.cjs (with its own code cache), that the launcher loads on first use, so
 * `--version`, `--help` and bad options do not read or compile it.
 */
const ENGINE_PARTS = {
  './cli/session-runner': 'sessionRunner',
  './repl/session-backend': 'sessionBackend',
  './info': 'info',
  '../../runtime/listing': 'listing',
};
const ENGINE_ENTRY = {
  contents: [
    "export * as sessionRunner from './ui/cli/session-runner';",
    "export * as sessionBackend from './ui/repl/session-backend';",
    "export * as info from './ui/cli/info';",
    "export * as listing from './runtime/listing';",
  ].join('\n'),
  resolveDir: '.',
  sourcefile: 'engine-entry.ts',
  loader: 'ts',
};

/** In the command line's bundle, each engine part is the engine bundle's export of that name. */
const engineOutside = {
  name: 'engine-outside',
  setup(b) {
    b.onResolve({ filter: /./ }, (args) => {
      const part = ENGINE_PARTS[args.path];
      return part && args.kind === 'dynamic-import' ? { path: part, namespace: 'engine-part' } : undefined;
    });
    b.onLoad({ filter: /./, namespace: 'engine-part' }, (args) => ({ contents: `module.exports = __bpfsimLoad('engine').${args.path};\n`, loader: 'js' }));
  },
};

/** The launcher reads the CommonJS bundles as Latin-1 (the fastest decoding): they must be ASCII. */
const asciiOnly = {
  name: 'ascii-only',
  setup(b) {
    b.onEnd((r) => {
      for (const f of r.outputFiles ?? []) if (f.contents.some((c) => c > 0x7f)) throw new Error(`${f.path} is not ASCII`);
    });
  },
};

// Chunk names carry content hashes: build into an empty folder so stale chunks do not pile
// up, and put it in place of dist/ at the end, so the launchers never see half a build.
const NEXT = '.dist-next'; // beside dist/, so the source maps' relative paths hold
rmSync(NEXT, { recursive: true, force: true });
await build({ ...esm, entryPoints: { bpfvm: 'vm/cli/main.ts', repl: 'ui/repl/start.tsx' }, outdir: NEXT });
const cjs = { ...common, format: 'cjs', minifyWhitespace: true, minifySyntax: true, write: false };
const cjsBuilds = await Promise.all([
  build({ ...cjs, plugins: [...plugins, replOutside, engineOutside, asciiOnly], entryPoints: ['ui/main.ts'], outfile: `${NEXT}/bpfsim.cjs` }),
  build({ ...cjs, plugins: [...plugins, asciiOnly], stdin: ENGINE_ENTRY, outfile: `${NEXT}/engine.cjs` }),
]);
for (const r of cjsBuilds) for (const f of r.outputFiles) writeFileSync(f.path, f.contents);
rmSync('dist', { recursive: true, force: true });
renameSync(NEXT, 'dist');
// The launcher runs without its caches until they are written (each file appears whole).
writeCodeCache();

if (process.argv.includes('--bench')) {
  await build({ ...esm, entryPoints: { bench: 'test/bench/run.ts' }, outdir: 'dist/bench', packages: 'external' });
}
