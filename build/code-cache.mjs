// Makes the V8 code caches bin/bpfsim compiles dist/bpfsim.cjs and dist/engine.cjs with:
// the launcher runs a BEGIN-only program (the path every run starts with: the command
// line, the compiler, the verifier, the JIT, the machine's boot) and writes the cache of
// the code each bundle compiled at exit. A cache is only valid for the Node version (V8)
// that made it; another one refuses it and the launcher compiles from source. A training
// run that fails leaves no cache (a warning, not a failed build): the launcher works
// without one.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

export function writeCodeCache(dir = 'dist') {
  const files = ['bpfsim', 'engine'].map((n) => `${dir}/${n}.cache`);
  for (const f of files) rmSync(f, { force: true });
  const r = spawnSync(process.execPath, ['bin/bpfsim', '-q', '-e', 'BEGIN { printf("%s %d\\n", comm, pid); exit(); }'], {
    env: { ...process.env, BPFSIM_CODE_CACHE_OUT: dir },
    encoding: 'utf8',
  });
  if (r.status === 0 && files.every((f) => existsSync(f))) return true;
  for (const f of files) rmSync(f, { force: true });
  process.stderr.write(`build: warning: no code cache, the training run failed (exit ${r.status}): ${String(r.stderr).trim().split('\n').pop()}\n`);
  return false;
}
