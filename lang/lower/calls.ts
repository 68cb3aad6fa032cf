// Function calls: which file lowers each bpftrace function, split by what the call gives
// (a scalar in a register, a value in memory, or nothing: a statement). Small
// functions are lowered here (bswap, kptr/uptr, reg, ksym, strerror, kaddr, pton,
// ntop, macaddr, usym, strftime, cgroup_path, getopt, override, signal, pid/tid/nsecs
// with an argument, ppid/pcomm through curtask).
import type * as A from '../ast';
import { type Ty, tySize } from '../types';
import { ptRegsOffset, type PtRegsField } from '../../vm/ctx/layouts';
import { insn } from '../../vm/isa/insn';
import { Alu, Class, Src } from '../../vm/isa/opcodes';
import { R0, R1, R2, R3, R4, R6 } from './builder';
import { builtinMem, builtinScalar, stackValue } from './builtins';
import { assertEvent, clearZeroEvent, debugfCall, exitEvent, formatEvent, joinEvent, printEvent, timeEvent } from './events';
import { constValue, scalar } from './exprs';
import { probeReadHelper } from './fields';
import { type Gen, LowerError, type Place, at } from './gen';
import { AF_INET, AF_INET6, INET, SYSCALL_NAMES, TIMESTAMP, USYM, isScalarTy } from './layout';
import { mapDelete, mapHasKey, mapLen } from './maps';
import { literalBytes, mem } from './memory';
import { bufCall, memcmpCall, strCall, strcontainsCall, strlenCall, strncmpCall, strstrCall } from './strings';

const tyOf = (e: A.Expr): Ty => e.ty ?? { k: 'none' };

const SIGNALS: Readonly<Record<string, number>> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12,
  SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGSTKFLT: 16, SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23,
  SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPWR: 30, SIGSYS: 31,
};

/** Functions the simulated machine cannot back honestly, with the reason the error gives. */
export const UNSUPPORTED_REASONS: Readonly<Record<string, string>> = {
  socket_cookie: 'bpf_get_socket_cookie takes a BTF socket pointer, which only fentry/fexit probes give, and bpfsim does not simulate them',
  skboutput: 'bpf_skb_output needs fentry/fexit probes, which bpfsim does not simulate',
  percpu_kaddr: 'the simulated kernel has no per-CPU variables for bpf_per_cpu_ptr to find',
  unwatch: 'watchpoint probes are not simulated, so there is no watchpoint to remove',
  path: 'bpf_d_path needs fentry/fexit probes, which bpfsim does not simulate',
  tseries: 'bpfsim has no time-series map to bucket its values by time window',
};

const UNSUPPORTED = new Set(['socket_cookie', 'skboutput', 'percpu_kaddr', 'unwatch', 'path']);

/** The error for a function bpfsim does not support: its name and why. */
export function unsupportedError(name: string, what: string, span: A.Span): LowerError {
  const why = UNSUPPORTED_REASONS[name];
  return new LowerError(`${what} is not supported by bpfsim${why ? `: ${why}` : ''}`, span);
}

/** BTF ids of the task kfuncs on the machine (vm/helpers/kfuncs.ts). */
const KFUNC = { taskFromPid: 1001, taskRelease: 1002 } as const;

/**
 * comm(pid), as bpftrace 0.26's stdlib has it: the task from bpf_task_from_pid, its comm
 * read, the reference released; "[Unknown]" when no task has that pid.
 */
function commOfPid(g: Gen, e: A.Call, p: Place): Place {
  const size = tySize(tyOf(e));
  g.writeBytes(p, literalBytes('[Unknown]', size));
  const pid = scalar(g, e.args[0]);
  g.b.mov(R1, pid);
  g.free(pid);
  g.b.callKfunc(KFUNC.taskFromPid);
  const none = g.b.label('notask');
  g.b.jmpImm('JEQ', R0, 0, none);
  const task = g.reg();
  g.b.mov(task, R0);
  g.addr(p, R1);
  g.b.movImm(R2, Math.min(size, 16));
  g.b.mov(R3, task);
  g.b.alu('ADD', R3, g.s.fieldOffset('task_struct', 'comm'));
  g.b.call(113);
  g.b.mov(R1, task);
  g.free(task);
  g.b.callKfunc(KFUNC.taskRelease);
  g.b.bind(none);
  return p;
}

function unsupported(e: A.Call): never {
  throw unsupportedError(e.name, `${e.name}()`, e.span);
}

/** A call used as a statement (its value, if any, is dropped). */
export function callStmt(g: Gen, e: A.Call): void {
  switch (e.name) {
    case 'printf':
    case 'errorf':
    case 'warnf':
    case 'system':
    case 'cat':
      return formatEvent(g, e);
    case 'print':
      return printEvent(g, e);
    case 'clear':
    case 'zero':
      return clearZeroEvent(g, e);
    case 'exit':
      return exitEvent(g, e);
    case 'time':
      return timeEvent(g, e);
    case 'join':
      return joinEvent(g, e);
    case 'assert':
      return assertEvent(g, e);
    case 'debugf':
      return debugfCall(g, e);
    case 'fail':
    case 'static_assert':
      return;
    default:
      break;
  }
  const t = tyOf(e);
  if (t.k === 'void' || t.k === 'none' || isScalarTy(t)) {
    const r = callScalar(g, e);
    g.free(r);
    return;
  }
  const m = g.mark();
  callMem(g, e, () => g.temp(tySize(t)));
  g.release(m);
}

export function callScalar(g: Gen, e: A.Call): number {
  if (UNSUPPORTED.has(e.name)) unsupported(e);
  const c = (v: bigint): number => {
    const r = g.reg();
    g.b.movConst(r, v);
    return r;
  };
  switch (e.name) {
    case 'delete':
      return mapDelete(g, e);
    case 'has_key':
      return mapHasKey(g, e);
    case 'len': {
      const a = e.args[0];
      if (a.kind === 'map' && !a.key) return mapLen(g, e);
      return stackLen(g, e);
    }
    case 'strncmp':
      return strncmpCall(g, e);
    case 'strcontains':
      return strcontainsCall(g, e);
    case 'strstr':
      return strstrCall(g, e);
    case 'strlen':
      return strlenCall(g, e);
    case 'memcmp':
      return memcmpCall(g, e);
    case 'bswap': {
      const r = scalar(g, e.args[0]);
      const t = tyOf(e);
      const bits = t.k === 'int' ? t.bits : 64;
      if (bits === 8) return r;
      g.b.emit(insn(Class.ALU64 | Alu.END | Src.K, r, 0, 0, bits));
      return r;
    }
    case 'kptr':
    case 'uptr':
      return scalar(g, e.args[0]);
    case 'reg': {
      const name = e.args[0]?.kind === 'str' ? e.args[0].value : '';
      const r = g.reg();
      g.b.load('DW', r, R6, ptRegsOffset(name as PtRegsField));
      return r;
    }
    case 'ksym':
    case 'strerror':
      return scalar(g, e.args[0]);
    case 'kaddr': {
      const name = e.args[0]?.kind === 'str' ? e.args[0].value : '';
      const v = g.s.options.kernelSymbol?.(name);
      if (v === undefined) throw new LowerError(`Failed to resolve kernel symbol: ${name}`, e.span);
      return c(v);
    }
    case 'uaddr': {
      const name = e.args[0]?.kind === 'str' ? e.args[0].value : '';
      const v = g.site.binary ? g.s.options.userSymbol?.(g.site.binary, name) : undefined;
      if (v === undefined) throw new LowerError(`Could not resolve symbol: ${g.site.binary ?? ''}:${name}`, e.span);
      return c(v);
    }
    case 'cgroupid': {
      const path = e.args[0]?.kind === 'str' ? e.args[0].value : '';
      const v = g.s.options.cgroupId?.(path);
      if (v === undefined) throw new LowerError(`Failed to get cgroup id for path: ${path}`, e.span);
      return c(v);
    }
    case 'getopt':
      return getoptScalar(g, e);
    case 'nsecs': {
      const mode = e.args[0]?.kind === 'ident' ? e.args[0].name : 'boot';
      g.b.call(mode === 'monotonic' ? 5 : 125);
      const r = g.reg();
      g.b.mov(r, R0);
      return r;
    }
    case 'pid':
    case 'tid':
      return builtinScalar(g, { kind: 'builtin', name: e.name, span: e.span, ty: e.ty });
    case 'ppid': {
      // curtask->real_parent->tgid
      const task = e.args[0] ? scalar(g, e.args[0]) : curtask(g);
      const parent = g.s.fieldOffset('task_struct', 'real_parent');
      const tgid = g.s.fieldOffset('task_struct', 'tgid');
      readKernel(g, task, parent, 8);
      readKernel(g, task, tgid, 4);
      return task;
    }
    case 'override': {
      const r = scalar(g, e.args[0]);
      g.b.mov(R2, r);
      g.free(r);
      g.b.mov(R1, R6);
      g.b.call(58);
      return zeroReg(g);
    }
    case 'signal':
    case 'signal_thread': {
      const a = e.args[0];
      if (a.kind === 'str') g.b.movImm(R1, SIGNALS[a.value] ?? 0);
      else {
        const r = scalar(g, a);
        g.b.mov(R1, r);
        g.free(r);
      }
      g.b.call(109);
      return zeroReg(g);
    }
    case 'count':
    case 'sum':
    case 'min':
    case 'max':
    case 'avg':
    case 'stats':
    case 'hist':
    case 'lhist':
    case 'tseries':
      throw new LowerError(`${e.name}() must be assigned directly to a map`, e.span);
    default: {
      const t = tyOf(e);
      if (t.k === 'void' || t.k === 'none') {
        callStmt(g, e);
        return zeroReg(g);
      }
      throw new LowerError(`${e.name}() has no integer value here`, e.span);
    }
  }
}

function zeroReg(g: Gen): number {
  const r = g.reg();
  g.b.movImm(r, 0);
  return r;
}

function curtask(g: Gen): number {
  g.b.call(35);
  const r = g.reg();
  g.b.mov(r, R0);
  return r;
}

/** `reg = *(size *)(reg + off)` in kernel memory, through probe_read_kernel. */
function readKernel(g: Gen, reg: number, off: number, size: 1 | 2 | 4 | 8): void {
  const slot = g.slot();
  g.storeImm(slot, 0, 8);
  g.addr(slot, R1);
  g.b.movImm(R2, size);
  g.b.mov(R3, reg);
  if (off) g.b.alu('ADD', R3, off);
  g.b.call(113);
  g.loadReg(reg, slot, size);
}

function stackLen(g: Gen, e: A.Call): number {
  // len(kstack): the frames get_stack copies, counted from the bytes it wrote.
  const t = tyOf(e.args[0]);
  if (t.k !== 'stack') throw new LowerError('len() expects a map or a stack', e.span);
  const m = g.mark();
  const buf = g.scratch(t.limit * 8);
  g.b.mov(R1, R6);
  g.addr(buf, R2);
  g.b.movImm(R3, t.limit * 8);
  g.b.movImm(R4, t.kernel ? 0 : 256);
  g.b.call(67);
  g.release(m);
  const r = g.reg();
  g.b.mov(r, R0);
  const ok = g.b.label('stk');
  g.b.jmpImm('JSGE', r, 0, ok);
  g.b.movImm(r, 0);
  g.b.bind(ok);
  g.b.alu('RSH', r, 3);
  return r;
}

function getoptValue(g: Gen, e: A.Call): string | undefined {
  const name = e.args[0]?.kind === 'str' ? e.args[0].value : '';
  return g.s.options.namedParams?.[name];
}

function getoptScalar(g: Gen, e: A.Call): number {
  const given = getoptValue(g, e);
  const t = tyOf(e);
  const r = g.reg();
  if (t.k === 'bool') {
    const def = e.args[1]?.kind === 'bool' ? e.args[1].value : false;
    const v = given === undefined ? def : given === '' || given === 'true' || given === '1';
    g.b.movImm(r, v ? 1 : 0);
    return r;
  }
  const def = e.args[1] ? (constValue(e.args[1]) ?? 0n) : 0n;
  let v = def;
  if (given !== undefined) {
    if (!/^-?(0x[0-9a-f]+|\d+)$/i.test(given.trim())) throw new LowerError(`getopt(): '${given}' is not an integer`, e.span);
    const neg = given.trim().startsWith('-');
    v = BigInt(given.trim().replace(/^-/, ''));
    if (neg) v = -v;
  }
  g.b.movConst(r, v);
  return r;
}

export function callMem(g: Gen, e: A.Call, out: () => Place): Place {
  if (UNSUPPORTED.has(e.name)) unsupported(e);
  const t = tyOf(e);
  switch (e.name) {
    case 'str':
      return strCall(g, e, out());
    case 'buf':
      return bufCall(g, e, out());
    case 'comm':
      if (e.args.length) return commOfPid(g, e, out());
      return builtinMem(g, { kind: 'builtin', name: 'comm', span: e.span, ty: t }, out);
    case 'pcomm': {
      // curtask->group_leader->comm
      const p = out();
      const task = e.args[0] ? scalar(g, e.args[0]) : curtask(g);
      readKernel(g, task, g.s.fieldOffset('task_struct', 'group_leader'), 8);
      g.addr(p, R1);
      g.b.movImm(R2, 16);
      g.b.mov(R3, task);
      g.b.alu('ADD', R3, g.s.fieldOffset('task_struct', 'comm'));
      g.free(task);
      g.b.call(113);
      return p;
    }
    case 'kstack':
    case 'ustack': {
      if (t.k !== 'stack') throw new LowerError('stack call without a stack type', e.span);
      const p = out();
      stackValue(g, p, t.kernel, t.mode, t.limit);
      return p;
    }
    case 'usym': {
      const p = out();
      const r = scalar(g, e.args[0]);
      g.storeReg(at(p, USYM.addr), r, 8);
      g.free(r);
      g.b.call(14);
      g.b.alu('RSH', R0, 32);
      g.storeReg(at(p, USYM.pid), R0, 8);
      return p;
    }
    case 'strftime': {
      const p = out();
      const r = scalar(g, e.args[1]);
      g.storeReg(at(p, TIMESTAMP.ns), r, 8);
      g.free(r);
      g.storeImm(at(p, 8), e.formatId ?? 0, 8);
      return p;
    }
    case 'cgroup_path': {
      const p = out();
      g.zero(p, tySize(t));
      const r = scalar(g, e.args[0]);
      g.storeReg(p, r, 8);
      g.free(r);
      return p;
    }
    case 'ntop':
      return ntop(g, e, out());
    case 'macaddr': {
      const p = out();
      const a = e.args[0];
      const at0 = tyOf(a);
      g.zero(p, 6);
      if (at0.k === 'pointer' || at0.k === 'int') {
        const r = scalar(g, a);
        g.addr(p, R1);
        g.b.movImm(R2, 6);
        g.b.mov(R3, r);
        g.free(r);
        g.b.call(probeReadHelper(at0.k === 'pointer' ? at0.as : 'kernel', false));
      } else {
        const m = g.mark();
        const src = mem(g, a);
        g.copy(p, src, 6);
        g.release(m);
      }
      return p;
    }
    case 'syscall_name': {
      // The name from the session's table: entry nr of SYSCALL_NAMES, or empty past it.
      const p = out();
      g.zero(p, tySize(t));
      const r = scalar(g, e.args[0]);
      const skip = g.b.label('nosys');
      g.b.jmpImm('JGE', r, SYSCALL_NAMES.count, skip);
      g.b.alu('MUL', r, SYSCALL_NAMES.size);
      g.b.ldMapValue(R3, g.s.syscallNamesIndex(), 0);
      g.b.aluR('ADD', R3, r);
      g.addr(p, R1);
      g.b.movImm(R2, Math.min(SYSCALL_NAMES.size, tySize(t)));
      g.b.call(113);
      g.b.bind(skip);
      g.free(r);
      return p;
    }
    case 'pton': {
      const p = out();
      const text = e.args[0]?.kind === 'str' ? e.args[0].value : '';
      g.writeBytes(p, ptonBytes(text));
      return p;
    }
    case 'getopt': {
      const p = out();
      const given = getoptValue(g, e);
      const def = e.args[1]?.kind === 'str' ? e.args[1].value : '';
      g.writeBytes(p, literalBytes(given ?? def, tySize(t)));
      return p;
    }
    default:
      throw new LowerError(`${e.name}() does not give a ${t.k} value`, e.span);
  }
}

/** ntop([af, ]addr): the family and the address bytes (an integer's bytes as stored, or an array's). */
function ntop(g: Gen, e: A.Call, p: Place): Place {
  const addrArg = e.args.length === 2 ? e.args[1] : e.args[0];
  const at0 = tyOf(addrArg);
  g.zero(p, INET.size);
  const len = at0.k === 'int' ? 4 : tySize(at0);
  if (e.args.length === 2) {
    const r = scalar(g, e.args[0]);
    g.storeReg(at(p, INET.af), r, 8);
    g.free(r);
  } else g.storeImm(at(p, INET.af), len === 16 ? AF_INET6 : AF_INET, 8);
  if (at0.k === 'int') {
    const r = scalar(g, addrArg);
    g.storeReg(at(p, INET.addr), r, 4);
    g.free(r);
    return p;
  }
  const m = g.mark();
  const src = mem(g, addrArg);
  g.copy(at(p, INET.addr), src, Math.min(16, len));
  g.release(m);
  return p;
}

function ptonBytes(text: string): Uint8Array {
  if (text.includes(':')) {
    const out = new Uint8Array(16);
    const [head, tail] = text.split('::');
    const words = (s: string | undefined): number[] => (s ? s.split(':').map((w) => Number.parseInt(w, 16)) : []);
    const h = words(head);
    const t = tail === undefined ? [] : words(tail);
    const all = [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
    all.forEach((w, i) => {
      out[i * 2] = (w >> 8) & 0xff;
      out[i * 2 + 1] = w & 0xff;
    });
    return out;
  }
  return Uint8Array.from(text.split('.').map(Number));
}
