// Bundles the two command-line entry points with esbuild so that the launchers in bin/
// start in a fraction of the time a TypeScript loader needs. Ink and React land in a
// separate chunk that is only loaded for an interactive terminal.
// `node build.mjs --bench` also bundles the benchmark harness into dist/bench/.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { ohmRecipePlugin } from './build/ohm-recipe.mjs';

const common = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  plugins: [ohmRecipePlugin],
  sourcemap: 'linked',
  logLevel: 'warning',
  // Some CommonJS dependencies of Ink call require(); give the ESM bundle one.
  // Ink imports React DevTools only when DEV=true; it is not a dependency, so it stays out.
  external: ['react-devtools-core'],
  banner: { js: "import { createRequire as __bpfsimCreateRequire } from 'node:module'; const require = __bpfsimCreateRequire(import.meta.url);" },
};

// Chunk names carry content hashes: start from an empty folder so stale chunks do not pile up.
rmSync('dist', { recursive: true, force: true });
await build({ ...common, entryPoints: { bpfsim: 'ui/main.ts', bpfvm: 'vm/cli/main.ts' }, outdir: 'dist' });

if (process.argv.includes('--bench')) {
  await build({ ...common, entryPoints: { bench: 'test/bench/run.ts' }, outdir: 'dist/bench', packages: 'external' });
}
