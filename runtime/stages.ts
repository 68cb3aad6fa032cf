// The compiler's stages as text, for `-d STAGE` and the REPL's .ast/.types/.bytecode/
// .verifier/.jit: the AST after parsing, the typed AST, each program's bytecode with the
// script lines that produced it interleaved, the verifier's log, and the WebAssembly the
// JIT makes of each program.
import { frontEnd, lineCol } from '../lang';
import { dumpProgram } from '../lang/dump';
import type { Catalogue } from '../lang/catalogue';
import type { LoweredScript } from '../lang/lower';
import { formatInsn } from '../vm/asm/disassemble';
import { isLddw } from '../vm/isa/insn';
import { dumpJit } from '../vm/jit/engine';
import { loadPrograms } from '../vm/loader';
import { Machine } from '../vm/machine';
import { verify } from '../vm/verifier';
import type { CompiledScript } from './compile';

export const STAGES = ['ast', 'types', 'bytecode', 'verifier', 'jit'] as const;
export type Stage = (typeof STAGES)[number];

function header(title: string): string {
  return `\n${title}\n${'-'.repeat(title.length)}\n`;
}

/** The AST right after parsing. */
export function astText(source: string, catalogue: Catalogue, file = 'stdin'): string {
  const fe = frontEnd(source, { catalogue, file, dumpAfter: 'parse' });
  return header('AST after: parser') + (fe.dump ?? fe.rendered);
}

/** The AST after every pass, with types. */
export function typesText(c: CompiledScript): string {
  return header('AST after: semantic analysis') + (c.fe.program ? dumpProgram(c.fe.program, { types: true }) : '');
}

/** Each program's instructions, preceded by the script line they come from whenever it changes. */
export function bytecodeText(script: LoweredScript, source: string): string {
  const lines = source.split('\n');
  const mapNames = script.maps.map((m) => m.name);
  let out = '';
  for (const p of script.programs) {
    out += header(`Program: ${p.spec.name} (${p.spec.insns.length} instructions)`);
    let last = -1;
    const insns = p.spec.insns;
    for (let n = 0; n < insns.length; n++) {
      const sp = p.spec.spans?.[n];
      if (sp) {
        const line = lineCol(source, sp.start).line;
        if (line !== last) {
          out += `; ${line}: ${(lines[line - 1] ?? '').trim()}\n`;
          last = line;
        }
      }
      const { text } = formatInsn(insns, n, { mapNames });
      out += `${String(n).padStart(5)}: ${text}\n`;
      if (isLddw(insns[n])) n++;
    }
  }
  return out;
}

/** The verifier's log of every program (level 1: each instruction it processed). */
export function verifierText(c: CompiledScript, level: 1 | 2 = 1): string {
  let out = '';
  for (const p of c.script.programs) {
    const v = verify(p.spec, { logLevel: level });
    out += header(`Verifier log: ${p.spec.name}`) + v.log;
  }
  return out;
}

/** The WebAssembly text of every program, compiled on a scratch machine. */
export function jitText(c: CompiledScript): string {
  const machine = new Machine();
  let out = '';
  const liveMaps = new Map();
  for (const p of c.script.programs) {
    const r = loadPrograms(machine, [p.spec], { liveMaps });
    out += header(`JIT: ${p.spec.name}`);
    if (!r.ok) {
      out += r.errors.join('\n') + '\n';
      continue;
    }
    try {
      out += dumpJit(r.programs[0].insns, machine);
    } catch (e) {
      out += `;; not compiled: ${e instanceof Error ? e.message : String(e)}\n`;
    }
  }
  return out;
}

/** The text of one stage. */
export function stageText(stage: Stage, c: CompiledScript, catalogue: Catalogue): string {
  switch (stage) {
    case 'ast':
      return astText(c.source, catalogue, c.file);
    case 'types':
      return typesText(c);
    case 'bytecode':
      return bytecodeText(c.script, c.source);
    case 'verifier':
      return verifierText(c);
    case 'jit':
      return jitText(c);
    default: {
      const never: never = stage;
      return String(never);
    }
  }
}
