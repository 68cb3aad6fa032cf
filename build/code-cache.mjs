// Makes the V8 code cache bin/bpfsim compiles dist/bpfsim.cjs with: the launcher runs a
// BEGIN-only program (the path every run starts with: the command line, the compiler,
// the verifier, the JIT, the machine's boot) and writes the cache of the code it compiled
// at exit. The cache is only valid for the Node version (V8) that made it; another one
// refuses it and the launcher compiles from source.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

export function writeCodeCache(out = 'dist/bpfsim.cache') {
  rmSync(out, { force: true });
  const r = spawnSync(process.execPath, ['bin/bpfsim', '-q', '-e', 'BEGIN { printf("%s %d\\n", comm, pid); exit(); }'], {
    env: { ...process.env, BPFSIM_CODE_CACHE_OUT: out },
    encoding: 'utf8',
  });
  if (r.status !== 0 || !existsSync(out)) throw new Error(`making the code cache failed (exit ${r.status}): ${r.stderr}`);
}
