// Every .bt tool and one-liner of the language corpus (test/lang/corpus), and the .bt
// tools of scripts/ when that folder exists, lowers to programs the verifier accepts
// unchanged, and runs for a short while on the default workload without a fault.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { frontEnd } from '../../../lang';
import { lower } from '../../../lang/lower';
import { catalogue } from '../../../probes/catalogue';
import { runProgram } from '../../../runtime/run';
import { verify } from '../../../vm/verifier';
import { ksymByName } from '../../../workloads/kernel/kfuncs';
import { System } from '../../../workloads/system';

const root = join(__dirname, '..', '..', '..');
const corpus = join(root, 'test/lang/corpus');
const scriptsDir = join(root, 'scripts');

function programs(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const dir of [corpus, scriptsDir]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.bt')).sort()) out.push({ name: f, text: readFileSync(join(dir, f), 'utf8') });
  }
  const lines = existsSync(join(corpus, 'one-liners.txt')) ? readFileSync(join(corpus, 'one-liners.txt'), 'utf8').split('\n') : [];
  lines.filter((l) => l.trim() && !l.startsWith('#')).forEach((l, i) => out.push({ name: `one-liner ${i + 1}`, text: l }));
  return out;
}

const PROGRAMS = programs();

/** Kernel symbols as the CLI resolves them: static kallsyms, else a booted kernel's data symbols. */
let booted: System | undefined;
function kernelSymbol(name: string): bigint | undefined {
  const text = ksymByName(name)?.addr;
  if (text !== undefined) return text;
  booted ??= new System();
  return booted.kernel.ksymAddr(name) || undefined;
}

describe('corpus', () => {
  test('has programs', () => {
    expect(PROGRAMS.length).toBeGreaterThan(20);
  });

  test.each(PROGRAMS.map((p) => [p.name, p] as const))('%s lowers and verifies', (_n, p) => {
    const cat = catalogue();
    const fe = frontEnd(p.text, { catalogue: cat, file: p.name, params: ['1'] });
    expect(fe.ok, fe.rendered).toBe(true);
    const r = lower(fe, { catalogue: cat, kernelSymbol });
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
    for (const prog of r.script.programs) {
      const v = verify(prog.spec);
      expect(v.ok, `${prog.spec.name}: ${v.error?.message}`).toBe(true);
      expect(prog.spec.spans?.length).toBe(prog.spec.insns.length);
      expect(prog.spec.spans?.every((s) => s !== undefined)).toBe(true);
    }
  });

  test.each(PROGRAMS.filter((p) => p.name.endsWith('.bt')).map((p) => [p.name, p] as const))('%s runs without a fault', async (_n, p) => {
    let err = '';
    const code = await runProgram({ program: { file: p.name, text: p.text }, params: ['1'], sim: { durationNs: 50e6 } }, { out: () => undefined, err: (t) => (err += t), sleep: async () => undefined });
    expect(code, err).toBe(0);
    expect(err).not.toMatch(/program stopped|ERROR/);
  });
});
