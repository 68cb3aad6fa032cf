// The Linux kernel as an oracle for the verifier's verdicts: builds oracle/load.c with
// the host C compiler, loads a case's bytecode with BPF_PROG_LOAD (maps created for real)
// and returns the kernel's verdict and the last line of its log. Needs root, a C compiler
// and a kernel with BPF; `available()` says whether all are there.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '../../../vm/isa/insn';
import type { VerifierCase } from './cases';

let loader: string | null | undefined;

/** Path of the built loader, or null when it cannot be built or used here. */
export function available(): string | null {
  if (loader !== undefined) return loader;
  loader = null;
  try {
    if (process.getuid?.() !== 0) return null;
    if (!existsSync('/sys/fs/bpf') && !existsSync('/proc/sys/kernel/unprivileged_bpf_disabled')) return null;
    const dir = mkdtempSync(join(tmpdir(), 'bpf-oracle-'));
    const out = join(dir, 'load');
    execFileSync('cc', ['-O2', '-o', out, join(import.meta.dirname, 'oracle', 'load.c')], { stdio: 'ignore' });
    loader = out;
  } catch {
    loader = null;
  }
  return loader;
}

export interface KernelVerdict {
  ok: boolean;
  /** The last log line before the summary (the error), when rejected. */
  message: string;
  log: string;
}

export function kernelVerify(c: VerifierCase): KernelVerdict | null {
  const bin = available();
  if (!bin || c.linuxType === undefined) return null;
  const maps = c.spec.maps.map((m) => `${m.type}:${m.keySize}:${m.valueSize}:${m.maxEntries}`);
  const r = spawnSync(bin, [String(c.linuxType), '1', ...maps], { input: encode(c.spec.insns), encoding: 'utf8', maxBuffer: 64 << 20 });
  const out = r.stdout ?? '';
  const [first, ...rest] = out.split('\n');
  if (first.startsWith('MAPFAIL')) return { ok: false, message: first, log: out };
  const lines = rest.filter((l) => l.trim() && !/^(verification time|stack depth|processed \d+ insns|func#|Live regs|\s+\d+: |mark_precise|\(\d\) |cur state:|old state:)/.test(l));
  return { ok: first === 'ACCEPT', message: lines[lines.length - 1] ?? '', log: rest.join('\n') };
}
