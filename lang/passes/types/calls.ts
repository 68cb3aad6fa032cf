// Typing of function calls: argument counts and literal requirements from the function
// table (functions.ts), --unsafe and probe-type restrictions, and each function's own
// rules and return type (str, buf, printf formats, print of maps or values, delete and
// has_key keys, stacks with mode and limit, ntop/pton, signal numbers, getopt, ...).
import type * as A from '../../ast';
import { constInt } from '../../consteval';
import { checkFormat } from '../../format';
import { functionSig } from '../../functions';
import { type Ty, BOOL, I64, NONE, U32, U64, VOID, int, isCastableAgg, isInt, isIntLike, kindName, ptr, str, tySize, tyToString } from '../../types';
import type { Checker } from './checker';
import { bareMap, intArg, intOrPtr, literalKind, stringish, want, wantLiteral } from './call-args';
import { bufCall, formatLiterals, getopt, ntop, pton, stackCall, strCall, uaddr } from './call-values';
import { typeExpr } from './exprs';

const TS_MODES = ['boot', 'monotonic', 'tai', 'sw_tai'] as const;

/** x86-64 pt_regs names reg() accepts. */
const REGISTERS = new Set(['r15', 'r14', 'r13', 'r12', 'bp', 'bx', 'r11', 'r10', 'r9', 'r8', 'ax', 'cx', 'dx', 'si', 'di', 'orig_ax', 'ip', 'cs', 'flags', 'sp', 'ss']);

const SIGNALS: Readonly<Record<string, number>> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12,
  SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGSTKFLT: 16, SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23,
  SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPWR: 30, SIGSYS: 31,
};

export function typeCall(c: Checker, e: A.Call): Ty {
  const sig = functionSig(e.name);
  if (!sig) {
    e.args.forEach((a) => typeExpr(c, a));
    c.error(`Unknown function: '${e.name}'`, e.span);
    return NONE;
  }
  if (sig.unsafe && !c.ctx.options.unsafe) c.error(`${e.name}() is an unsafe function being used in safe mode`, e.span);
  if (sig.providers) {
    for (const cp of c.probeCtx.concretes) {
      if (!sig.providers.includes(cp.provider)) c.error(`${e.name} can not be used with "${cp.kind}" probes`, e.span);
    }
  }
  const n = e.args.length;
  if (n < sig.min || n > sig.max) {
    e.args.forEach((a) => typeExpr(c, a));
    c.error(countMessage(e.name, n, sig.min, sig.max), e.span);
    return NONE;
  }
  if (c.final && e.discarded && sig.discardWarn) c.warn(`Return value discarded for ${e.name}. It should be used.`, e.span);
  return typeKnown(c, e);
}

function countMessage(name: string, n: number, min: number, max: number): string {
  if (min === max) {
    if (min === 0) return `${name}() requires no arguments (${n} provided)`;
    if (min === 1) return `${name}() requires one argument (${n} provided)`;
    return `${name}() requires ${min} arguments (${n} provided)`;
  }
  if (n < min) return min === 1 ? `${name}() requires at least one argument (${n} provided)` : `${name}() requires at least ${min} arguments (${n} provided)`;
  if (max === 0) return `${name}() requires no arguments (${n} provided)`;
  return max === 1 ? `${name}() takes up to one argument (${n} provided)` : `${name}() takes up to ${max} arguments (${n} provided)`;
}

function typeKnown(c: Checker, e: A.Call): Ty {
  const args = e.args;
  const name = e.name;
  // Arguments that are map objects or modes are typed by the cases below.
  const typeArgs = (from = 0): Ty[] => args.slice(from).map((a) => typeExpr(c, a));
  switch (name) {
    case 'printf':
    case 'errorf':
    case 'warnf':
    case 'debugf':
    case 'system':
    case 'cat': {
      c.inFormat = true;
      typeExpr(c, args[0]);
      c.inFormat = false;
      const ts = typeArgs(1);
      if (!wantLiteral(c, e, 0, 'string')) return VOID;
      if (name === 'debugf') {
        c.warn('The debugf() builtin is not recommended for production use. For more information see bpf_trace_printk in bpf-helpers(7).', e.span);
        if (ts.length > 3) c.error('debugf() can only take up to 3 arguments after the format string', e.span);
      }
      for (let i = 0; i < ts.length; i++) {
        if (ts[i].k === 'agg' && !isCastableAgg(ts[i])) c.error(`${tyToString(ts[i])} cannot be used as an argument to ${name}()`, args[i + 1].span);
      }
      const msg = checkFormat(name, (args[0] as A.StrLit).value, ts);
      if (msg) c.error(msg, e.span);
      return VOID;
    }
    case 'print':
      return print(c, e);
    case 'clear':
    case 'zero': {
      const m = bareMap(args[0]);
      if (!m) {
        typeExpr(c, args[0]);
        c.error(`${name}() expects a map argument`, args[0].span);
        return VOID;
      }
      c.maps.object(m);
      return VOID;
    }
    case 'delete':
      return deleteCall(c, e);
    case 'has_key': {
      const m = bareMap(args[0]);
      if (!m) {
        typeArgs();
        c.error('has_key() expects a map argument', args[0].span);
        return BOOL;
      }
      c.maps.object(m);
      if (c.maps.isScalar(m.name)) c.error('has_key() expects a map with explicit keys (non-scalar map)', e.span);
      else c.maps.keyUse(m, args[1]);
      return BOOL;
    }
    case 'find': {
      const m = bareMap(args[0]);
      if (!m) {
        typeArgs();
        c.error('find() expects a map argument', args[0].span);
        return BOOL;
      }
      c.maps.object(m);
      if (c.maps.isScalar(m.name)) c.error('find() expects a map with explicit keys (non-scalar map)', e.span);
      else c.maps.keyUse(m, args[1]);
      const v = args[2];
      if (v.kind !== 'var') {
        typeExpr(c, v);
        c.error('find() expects a scratch variable as its third argument', v.span);
        return BOOL;
      }
      const value = c.maps.value(m.name);
      c.storeFound(v, value && isCastableAgg(value) ? I64 : (value ?? NONE), e.span);
      return BOOL;
    }
    case 'len': {
      const m = bareMap(args[0]);
      if (m && c.maps.exists(m.name)) {
        c.maps.object(m);
        if (c.maps.isScalar(m.name)) c.error('len() expects a map with explicit keys (non-scalar map)', e.span);
        return I64;
      }
      const t = typeExpr(c, args[0]);
      if (t.k !== 'stack' && t.k !== 'none') c.error('len() expects a map or stack to be provided', e.span);
      return I64;
    }
    case 'exit':
      typeArgs();
      if (args.length) want(c, e, 0, intArg, 'int');
      return VOID;
    case 'time':
      typeArgs();
      if (args.length) wantLiteral(c, e, 0, 'string');
      return VOID;
    case 'join':
      typeArgs();
      want(c, e, 0, intOrPtr, 'int or pointer');
      if (args.length > 1) wantLiteral(c, e, 1, 'string');
      return VOID;
    case 'str':
      return strCall(c, e);
    case 'buf':
      return bufCall(c, e);
    case 'ksym':
    case 'usym':
      typeArgs();
      if (!intOrPtr(args[0].ty ?? NONE) && args[0].ty?.k !== 'none') c.error(`${name}() expects an integer or pointer argument`, e.span);
      return name === 'ksym' ? { k: 'ksym' } : { k: 'usym' };
    case 'ntop':
      return ntop(c, e);
    case 'pton':
      return pton(c, e);
    case 'macaddr': {
      const [t] = typeArgs();
      if (args[0].kind === 'str') c.error('macaddr() does not support literal string arguments', e.span);
      else if (!(isIntLike(t) || t.k === 'array' || t.k === 'pointer' || t.k === 'string' || t.k === 'none')) c.error(`macaddr() only supports array or pointer arguments (${kindName(t)} provided)`, e.span);
      else if ((t.k === 'array' || t.k === 'string') && tySize(t) !== 6) c.error('macaddr() argument must be 6 bytes in size', e.span);
      return { k: 'macaddr' };
    }
    case 'bswap': {
      const [t] = typeArgs();
      if (!want(c, e, 0, isInt, 'integer')) return NONE;
      return int((t as Extract<Ty, { k: 'int' }>).bits, false);
    }
    case 'kptr':
    case 'uptr': {
      const [t] = typeArgs();
      if (!want(c, e, 0, intOrPtr, 'integer or pointer')) return NONE;
      return t.k === 'pointer' ? { ...t, as: name === 'kptr' ? 'kernel' : 'user' } : t;
    }
    case 'reg': {
      typeArgs();
      if (wantLiteral(c, e, 0, 'string')) {
        const r = (args[0] as A.StrLit).value;
        if (!REGISTERS.has(r)) c.error(`'${r}' is not a valid register on this architecture (x86_64)`, e.span);
      }
      return U64;
    }
    case 'kstack':
    case 'ustack':
      return stackCall(c, e, name === 'kstack');
    case 'strftime': {
      typeArgs();
      wantLiteral(c, e, 0, 'string');
      want(c, e, 1, intArg, 'int');
      const ts = args[1];
      if (ts.kind === 'call' && ts.name === 'nsecs' && ts.args[0]?.kind === 'ident' && ts.args[0].name === 'monotonic') c.error('strftime() can not take a monotonic timestamp', e.span);
      return { k: 'timestamp', mode: 'boot' };
    }
    case 'strerror':
      typeArgs();
      want(c, e, 0, intArg, 'int');
      return { k: 'strerror' };
    case 'cgroup_path':
      typeArgs();
      want(c, e, 0, intArg, 'int');
      if (args.length > 1) want(c, e, 1, (t) => t.k === 'string', 'string');
      return { k: 'cgroupPath' };
    case 'strncmp': {
      typeArgs();
      want(c, e, 0, stringish, 'string');
      want(c, e, 1, stringish, 'string');
      if (constInt(args[2]) === undefined || constInt(args[2])! < 0n) c.error('Builtin strncmp requires a non-negative literal', e.span);
      return I64;
    }
    case 'strcontains': {
      const [a, b] = typeArgs();
      want(c, e, 0, stringish, 'string');
      want(c, e, 1, stringish, 'string');
      if (a.k === 'string' && b.k === 'string' && a.size * b.size > 2000) {
        c.warn(
          'strcontains() is known to have verifier complexity issues when the product of both string sizes is larger than ~2000 bytes. If you are seeing errors, try clamping the string sizes, e.g. `str($ptr, 16)`.',
          e.span,
        );
      }
      return BOOL;
    }
    case 'strstr':
      typeArgs();
      want(c, e, 0, stringish, 'string');
      want(c, e, 1, stringish, 'string');
      return I64;
    case 'strlen':
      typeArgs();
      want(c, e, 0, stringish, 'string');
      return U64;
    case 'memcmp':
      typeArgs();
      want(c, e, 2, intArg, 'int');
      return I64;
    case 'path': {
      const [t] = typeArgs();
      if (t.k !== 'pointer' && t.k !== 'struct' && t.k !== 'none') c.error(`path() only supports pointer or record argument (${kindName(t)} provided)`, e.span);
      let size = c.ctx.config.maxStrlen;
      if (args.length > 1) {
        const v = constInt(args[1]);
        if (v === undefined || v < 0n) c.error('path: invalid size value, need non-negative literal', e.span);
        else size = Number(v);
      }
      return str(size);
    }
    case 'override':
      typeArgs();
      want(c, e, 0, intArg, 'int');
      return VOID;
    case 'signal':
    case 'signal_thread': {
      typeArgs();
      const a = args[0];
      if (a.kind === 'str') {
        if (!(a.value in SIGNALS)) c.error(`${a.value} is not a valid signal`, e.span);
      } else {
        const v = constInt(a);
        if (v !== undefined && a.kind !== 'unop') {
          if (v < 1n || v > 64n) c.error(`${v} is not a valid signal, allowed range: [1,64]`, e.span);
        } else if (a.kind === 'unop' || !isIntLike(a.ty ?? NONE)) c.error('signal only accepts literal strings and positive integers', e.span);
      }
      return VOID;
    }
    case 'socket_cookie': {
      const [t] = typeArgs();
      if (t.k === 'none') return U64;
      if (t.k !== 'pointer' || t.to.k !== 'struct') {
        c.error(`socket_cookie() only supports 'struct sock *' as the argument (${kindName(t)} provided)`, e.span);
      } else if (t.to.name !== 'struct sock') c.error(`socket_cookie() only supports 'struct sock *' as the argument ('${t.to.name} *' provided)`, e.span);
      return U64;
    }
    case 'skboutput':
      typeArgs();
      wantLiteral(c, e, 0, 'string');
      want(c, e, 1, (t) => t.k === 'pointer', 'pointer');
      want(c, e, 2, intArg, 'int');
      want(c, e, 3, intArg, 'int');
      return U32;
    case 'nsecs': {
      if (args.length) {
        const a = args[0];
        if (a.kind !== 'ident' || !(TS_MODES as readonly string[]).includes(a.name)) {
          if (a.kind === 'ident') c.error(`Invalid timestamp mode: ${a.name}`, a.span);
          else {
            typeExpr(c, a);
            c.error(`nsecs() expects a timestamp mode as argument (${kindName(a.ty ?? NONE)} provided)`, e.span);
          }
        } else a.ty = { k: 'tsMode', mode: a.name as (typeof TS_MODES)[number] };
      }
      return U64;
    }
    case 'pid':
    case 'tid': {
      if (args.length) {
        const a = args[0];
        if (a.kind !== 'ident') {
          typeExpr(c, a);
          c.error(`${name}() only supports curr_ns and init as the argument (${kindName(a.ty ?? NONE)} provided)`, e.span);
        } else {
          if (a.name !== 'curr_ns' && a.name !== 'init') c.error(`Invalid PID namespace mode: ${a.name} (expects: curr_ns or init)`, a.span);
          // A namespace mode names no value: the call's type carries the result.
          a.ty = NONE;
        }
      }
      return U32;
    }
    case 'comm':
    case 'pcomm':
    case 'ppid': {
      typeArgs();
      if (args.length) {
        if (name === 'comm') want(c, e, 0, intArg, 'int');
        else want(c, e, 0, (t) => t.k === 'pointer' && t.to.k === 'struct' && t.to.name === 'struct task_struct', "'struct task_struct *'");
      }
      return name === 'ppid' ? U32 : str(16);
    }
    case 'getopt':
      return getopt(c, e);
    case 'kaddr':
    case 'cgroupid':
      typeArgs();
      wantLiteral(c, e, 0, 'string');
      return U64;
    case 'uaddr':
      return uaddr(c, e);
    case 'percpu_kaddr':
      typeArgs();
      wantLiteral(c, e, 0, 'string');
      if (args.length > 1) want(c, e, 1, intArg, 'int');
      return ptr(U64, 'kernel');
    case 'syscall_name':
      typeArgs();
      want(c, e, 0, intArg, 'int');
      return str(32);
    case 'fail': {
      const ts = typeArgs();
      if (!wantLiteral(c, e, 0, 'string')) return VOID;
      if (!c.deadCode) {
        const fmt = (args[0] as A.StrLit).value;
        const lits = args.slice(1).map((a) => (a.kind === 'str' ? a.value : constInt(a)?.toString()));
        if (lits.some((x) => x === undefined)) c.error('fail() arguments must be literals', e.span);
        else c.error(formatLiterals(fmt, lits as string[]), e.span);
      }
      void ts;
      return VOID;
    }
    case 'static_assert': {
      typeArgs();
      const v = constInt(args[0]);
      if (v === undefined) c.error('static_assert() expects a constant condition', e.span);
      else if (v === 0n && !c.deadCode) c.error(args[1]?.kind === 'str' ? args[1].value : 'static_assert failed', e.span);
      return VOID;
    }
    case 'assert':
      typeArgs();
      want(c, e, 0, (t) => intArg(t) || t.k === 'pointer', 'bool');
      wantLiteral(c, e, 1, 'string');
      return VOID;
    case 'unwatch':
      typeArgs();
      want(c, e, 0, intOrPtr, 'int');
      return VOID;
    case 'count':
    case 'sum':
    case 'min':
    case 'max':
    case 'avg':
    case 'stats':
    case 'hist':
    case 'lhist':
    case 'tseries':
      // Only reachable for stray calls, which map-sugar reported.
      typeArgs();
      return NONE;
    default:
      typeArgs();
      return NONE;
  }
}

function print(c: Checker, e: A.Call): Ty {
  const args = e.args;
  const m = bareMap(args[0]);
  if (m && (c.maps.exists(m.name) || !c.probeIsFirstIteration())) {
    c.maps.object(m);
    args.slice(1).forEach((a) => typeExpr(c, a));
    for (let i = 1; i < args.length; i++) {
      if (literalKind(args[i]) !== 'int') c.error(`print() expects a int literal (${kindName(args[i].ty ?? NONE)} provided)`, e.span);
    }
    const v = c.maps.value(m.name);
    if (c.loopDepth > 0) {
      c.warn(
        "Due to it's asynchronous nature using 'print()' in a loop can lead to unexpected behavior. The map will likely be updated before the runtime can 'print' it.",
        e.span,
      );
    }
    if (v?.k === 'agg' && v.fn === 'stats' && args.length > 1) c.warn("print()'s top and div arguments are ignored when used on stats() maps.", e.span);
    return VOID;
  }
  const t = typeExpr(c, args[0]);
  args.slice(1).forEach((a) => typeExpr(c, a));
  if (t.k === 'agg') {
    c.error(`Map type ${tyToString(t)} cannot print the value of individual keys. You must print the whole map.`, e.span);
    return VOID;
  }
  if (t.k === 'none') return VOID;
  if (t.k === 'void' || t.k === 'stackMode' || t.k === 'tsMode' || (t.k === 'pointer' && t.ctx)) {
    c.error(`${tyToString(t)} type passed to print() is not printable`, e.span);
    return VOID;
  }
  if (args.length !== 1) c.error(`Non-map print() only takes 1 argument, ${args.length} found`, e.span);
  return VOID;
}

function deleteCall(c: Checker, e: A.Call): Ty {
  const args = e.args;
  const m = bareMap(args[0]);
  if (!m) {
    args.forEach((a) => typeExpr(c, a));
    c.error('delete() expects a map argument', args[0].span);
    return BOOL;
  }
  c.maps.object(m);
  if (args.length === 2) {
    if (c.maps.isScalar(m.name)) {
      typeExpr(c, args[1]);
      c.error('call to delete() with two arguments expects a map with explicit keys (non-scalar map)', e.span);
    } else c.maps.keyUse(m, args[1]);
  } else if (c.maps.isKeyed(m.name)) {
    c.error('call to delete() with one argument expects a map without explicit keys (scalar map)', e.span);
  }
  return BOOL;
}

