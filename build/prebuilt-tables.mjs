// Builds the kernel's static tables (type table, traceable functions, kallsyms) once at
// build time from their TypeScript sources and hands them to the bundle as JSON, so that
// start-up does not parse the kernel's C declarations (see workloads/btf/prebuilt.ts).
import { build } from 'esbuild';

/** The JSON snapshot of the tables, computed by bundling and running workloads/btf/snapshot.ts. */
export async function tablesSnapshotJson() {
  const r = await build({
    entryPoints: ['workloads/btf/snapshot.ts'],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'warning',
  });
  const code = r.outputFiles[0].text;
  const mod = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  return mod.tablesSnapshotJson();
}

/** The esbuild plugin that fills in workloads/btf/prebuilt-data.ts with the snapshot. */
export function prebuiltTablesPlugin(json) {
  return {
    name: 'prebuilt-tables',
    setup(b) {
      b.onLoad({ filter: /[\\/]workloads[\\/]btf[\\/]prebuilt-data\.ts$/ }, () => ({
        contents: `export const PREBUILT_JSON = ${JSON.stringify(json)};\n`,
        loader: 'js',
      }));
    },
  };
}
