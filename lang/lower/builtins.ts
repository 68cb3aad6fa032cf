// Builtin variables in bytecode: the helper each one calls (pid and tid from
// get_current_pid_tgid, uid and gid from get_current_uid_gid, nsecs from
// ktime_get_boot_ns, comm from get_current_comm, ...), registers read from the ctx record
// (arg0..arg5, retval, reg()), values from the global data map (elapsed, ncpus, cpid),
// compile-time constants (probe, probetype) and stacks through get_stackid.
import type * as A from '../ast';
import type { StackMode, Ty } from '../types';
import { ARG_REGS, type PtRegsField, RET_REG, ptRegsOffset } from '../../vm/ctx/layouts';
import { StackFlag } from '../../vm/maps/types';
import { R0, R1, R2, R3, R6 } from './builder';
import { type Gen, LowerError, type Place, at } from './gen';
import { GLOBALS, KSTACK, USTACK, USYM } from './layout';
import { literalBytes } from './memory';

const H = {
  pidTgid: 14,
  uidGid: 15,
  comm: 16,
  stackId: 27,
  task: 35,
  cpu: 8,
  prandom: 7,
  ktime: 5,
  bootNs: 125,
  cgroup: 80,
  jiffies: 118,
  funcIp: 173,
} as const;

/** The ctx is a pt_regs (kprobes, uprobes, BEGIN/END) or perf_event_data (which starts with one). */
function hasRegs(g: Gen): boolean {
  return g.site.progType !== 'tracepoint';
}

/** `reg = ctx->field` for a pt_regs register. */
export function ctxReg(g: Gen, reg: number, field: PtRegsField): void {
  if (!hasRegs(g)) throw new LowerError(`registers are not available in ${g.site.kind} probes`);
  g.b.load('DW', reg, R6, ptRegsOffset(field));
}

/** Calls a helper without arguments and moves r0 into a fresh register. */
function helperValue(g: Gen, id: number): number {
  g.b.call(id);
  const r = g.reg();
  g.b.mov(r, R0);
  return r;
}

/** `reg = globals[off]` (u64). */
export function globalValue(g: Gen, reg: number, off: number): void {
  g.b.ldMapValue(reg, g.s.globalsIndex(), off);
  g.b.load('DW', reg, reg, 0);
}

export function builtinScalar(g: Gen, e: A.Builtin): number {
  const name = e.name;
  switch (name) {
    case 'pid':
    case 'gid': {
      const r = helperValue(g, name === 'pid' ? H.pidTgid : H.uidGid);
      g.b.alu('RSH', r, 32);
      return r;
    }
    case 'tid':
    case 'uid':
    case 'username': {
      const r = helperValue(g, name === 'tid' ? H.pidTgid : H.uidGid);
      g.zeroExtend(r, 4);
      return r;
    }
    case 'nsecs':
      return helperValue(g, H.bootNs);
    case 'elapsed': {
      g.b.call(H.bootNs);
      globalValue(g, R1, GLOBALS.startNs);
      g.b.aluR('SUB', R0, R1);
      const r = g.reg();
      g.b.mov(r, R0);
      return r;
    }
    case 'cpu':
      return helperValue(g, H.cpu);
    case 'curtask':
      return helperValue(g, H.task);
    case 'rand':
      return helperValue(g, H.prandom);
    case 'cgroup':
      return helperValue(g, H.cgroup);
    case 'jiffies':
      return helperValue(g, H.jiffies);
    case 'ncpus':
    case 'cpid':
    case 'has_cpid': {
      const r = g.reg();
      globalValue(g, r, name === 'ncpus' ? GLOBALS.ncpus : GLOBALS.cpid);
      if (name === 'has_cpid') {
        const z = g.b.label('nocpid');
        g.b.jmpImm('JEQ', r, 0, z);
        g.b.movImm(r, 1);
        g.b.bind(z);
      }
      return r;
    }
    case 'numaid': {
      const r = g.reg();
      g.b.movImm(r, 0);
      return r;
    }
    case 'usermode': {
      const r = g.reg();
      if (!hasRegs(g)) {
        g.b.movImm(r, 0);
        return r;
      }
      ctxReg(g, r, 'cs');
      g.b.alu('AND', r, 3);
      const no = g.b.label('kmode');
      const end = g.b.label('umode');
      g.b.jmpImm('JNE', r, 3, no);
      g.b.movImm(r, 1);
      g.b.goto(end);
      g.b.bind(no);
      g.b.movImm(r, 0);
      g.b.bind(end);
      return r;
    }
    case 'retval': {
      const r = g.reg();
      ctxReg(g, r, RET_REG);
      return r;
    }
    case 'func': {
      // get_func_ip: the traced function's address, symbolised in user space.
      g.b.mov(R1, R6);
      return helperValue(g, H.funcIp);
    }
    case 'ctx': {
      const r = g.reg();
      g.b.mov(r, R6);
      return r;
    }
    default: {
      const m = /^arg(\d)$/.exec(name);
      if (m) {
        const r = g.reg();
        ctxReg(g, r, ARG_REGS[Number(m[1])]);
        return r;
      }
      throw new LowerError(`builtin ${name} has no value here`, e.span);
    }
  }
}

/** Memory-valued builtins: comm, probe, probetype, kstack, ustack, func in uprobes. */
export function builtinMem(g: Gen, e: A.Builtin, out: () => Place): Place {
  const t: Ty = e.ty ?? { k: 'none' };
  switch (e.name) {
    case 'comm': {
      const p = out();
      currentComm(g, p, 16);
      return p;
    }
    case 'probe':
    case 'probetype': {
      const p = out();
      const text = e.name === 'probe' ? g.site.name : g.site.progType === 'special' ? 'special' : g.site.provider;
      g.writeBytes(p, literalBytes(text, t.k === 'string' ? t.size : text.length + 1));
      return p;
    }
    case 'kstack':
    case 'ustack': {
      if (t.k !== 'stack') throw new LowerError('stack builtin without a stack type', e.span);
      const p = out();
      stackValue(g, p, t.kernel, t.mode, t.limit);
      return p;
    }
    case 'args': {
      // A tracepoint's whole record (print(args), $a = args): copied out of the ctx.
      const tp = g.site.tracepoint;
      if (g.site.progType !== 'tracepoint' || !tp || t.k !== 'struct') throw new LowerError('args can only be used as a whole value in tracepoints', e.span);
      const p = out();
      g.addr(p, R1);
      // The fixed record and, after it, room for its __data_loc strings (the type's size).
      g.b.movImm(R2, t.size || tp.size);
      g.b.mov(R3, R6);
      g.b.call(113);
      return p;
    }
    case 'func': {
      // In uprobes func is a usym: the address and the process it belongs to.
      const p = out();
      g.b.mov(R1, R6);
      g.b.call(H.funcIp);
      g.storeReg(at(p, USYM.addr), R0, 8);
      g.b.call(H.pidTgid);
      g.b.alu('RSH', R0, 32);
      g.storeReg(at(p, USYM.pid), R0, 8);
      return p;
    }
    default:
      throw new LowerError(`builtin ${e.name} cannot be used as a value here`, e.span);
  }
}

/** get_current_comm into `size` bytes at `p`. */
export function currentComm(g: Gen, p: Place, size: number): void {
  g.addr(p, R1);
  g.b.movImm(R2, size);
  g.b.call(H.comm);
}

/** A kstack/ustack value at `p`: the stack id from get_stackid (and the pid for user stacks). */
export function stackValue(g: Gen, p: Place, kernel: boolean, mode: StackMode, limit: number): void {
  const index = g.s.stackIndex(kernel, mode, limit);
  g.b.mov(R1, R6);
  g.b.ldMap(R2, index);
  g.b.movImm(R3, kernel ? 0 : StackFlag.USER_STACK);
  g.b.call(H.stackId);
  g.storeReg(at(p, KSTACK.id), R0, 8);
  if (kernel) {
    g.storeImm(at(p, 8), 0, 8);
    return;
  }
  g.b.call(H.pidTgid);
  g.b.alu('RSH', R0, 32);
  g.storeReg(at(p, USTACK.pid), R0, 8);
  g.storeImm(at(p, 16), 0, 8);
}
