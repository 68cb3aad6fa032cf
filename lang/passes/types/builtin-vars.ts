// Types of the builtin variables (`pid`, `comm`, `args`, `arg0`, `retval`, `ctx`, `func`,
// `kstack`, ...) in the current probe, with the probe-type rules bpftrace applies (retval
// only in return probes, args from tracepoint formats or function prototypes, no context
// access inside loop callbacks, ...).
import type * as A from '../../ast';
import type { Provider } from '../../probes';
import { type Ty, BOOL, NONE, U32, U64, U8, ptr, str } from '../../types';
import type { Checker } from './checker';
import { tracepointValueSize } from '../../catalogue';

function single(c: Checker): Provider | undefined {
  const ps = c.probeCtx.providers;
  return ps.size === 1 ? [...ps][0] : undefined;
}





function notInLoopCallback(c: Checker, b: A.Builtin): void {
  if (c.callbackDepth > 0) c.error(`'${b.name}' builtin is not allowed in a for-loop`, b.span);
}

/** The type of a builtin variable in the current probe. */
export function builtinType(c: Checker, b: A.Builtin): Ty {
  const name = b.name;
  const providers = [...c.probeCtx.providers];
  const kindNames = c.probeCtx.concretes.map((cp) => cp.kind);
  switch (name) {
    case 'pid':
    case 'tid':
    case 'cpu':
    case 'numaid':
    case 'rand':
      return U32;
    case 'uid':
    case 'gid':
    case 'nsecs':
    case 'elapsed':
    case 'ncpus':
    case 'cgroup':
    case 'jiffies':
      return U64;
    case 'usermode':
      return U8;
    case 'has_cpid':
      return BOOL;
    case 'cpid':
      if (!c.ctx.options.hasChild) c.error('cpid cannot be used without child command', b.span);
      return U32;
    case 'comm':
      return str(16);
    case 'username':
      return { k: 'username' };
    case 'curtask': {
      const def = c.ctx.env.findRecord('struct task_struct');
      return ptr(def ? c.ctx.env.recordTy(def, 'kernel') : { k: 'struct', name: 'struct task_struct', size: 0 }, 'kernel');
    }
    case 'probe':
      return str(Math.max(...c.probeCtx.concretes.map((cp) => cp.name.length)) + 1);
    case 'probetype':
      return str(Math.max(...c.probeCtx.concretes.map((cp) => (cp.progType === 'special' ? 'special' : cp.provider).length)) + 1);
    case 'kstack':
    case 'ustack':
      return { k: 'stack', kernel: name === 'kstack', mode: c.ctx.config.stackMode, limit: 127 };
    case 'func': {
      notInLoopCallback(c, b);
      const bad = providers.filter((p) => !['kprobe', 'kretprobe', 'uprobe', 'uretprobe', 'fentry', 'fexit'].includes(p));
      if (bad.length) {
        c.error(`The func builtin can not be used with '${kindNames[providers.indexOf(bad[0])] ?? bad[0]}' probes`, b.span);
        return NONE;
      }
      return providers.every((p) => p === 'uprobe' || p === 'uretprobe') ? { k: 'usym' } : { k: 'ksym' };
    }
    case 'retval': {
      notInLoopCallback(c, b);
      const p = single(c);
      if (p === 'kretprobe' || p === 'uretprobe') return U64;
      if (p === 'fexit') {
        const f = c.probeCtx.concretes[0].kernelFunc;
        return f ? c.ctx.env.fromC(f.ret, 'kernel') : U64;
      }
      c.error(
        `The retval builtin can only be used with 'kretprobe' and 'uretprobe' and 'fentry' probes${p === 'tracepoint' ? ' (try to use args.ret instead)' : ''}`,
        b.span,
      );
      return NONE;
    }
    case 'ctx': {
      notInLoopCallback(c, b);
      const progTypes = new Set(c.probeCtx.concretes.map((cp) => cp.progType));
      if (progTypes.size > 1) {
        const [first, second] = [...progTypes];
        c.error(`ctx cannot be used in different BPF program types: ${first} and ${second}`, b.span);
        return NONE;
      }
      const pt = [...progTypes][0];
      if (pt === 'tracepoint') {
        c.error('Use args instead of ctx in tracepoint', b.span);
        return NONE;
      }
      const recName = pt === 'perf_event' ? 'struct bpf_perf_event_data' : 'struct pt_regs';
      if (pt === 'special') {
        c.error('invalid program type', b.span);
        return NONE;
      }
      const def = c.ctx.env.findRecord(recName);
      const t: Ty = def ? c.ctx.env.recordTy(def, 'kernel') : { k: 'struct', name: recName, size: 0, as: 'kernel' };
      return { k: 'pointer', to: t, as: 'kernel', ctx: true };
    }
    case 'args':
      notInLoopCallback(c, b);
      return argsType(c, b);
    default:
      break;
  }
  const m = /^arg(\d+)$/.exec(name);
  if (m) {
    notInLoopCallback(c, b);
    for (const cp of c.probeCtx.concretes) {
      if (cp.provider !== 'kprobe' && cp.provider !== 'uprobe' && cp.provider !== 'rawtracepoint') {
        c.error(`The ${name} builtin can only be used with 'kprobes', 'uprobes' and 'usdt' probes`, b.span);
        return NONE;
      }
    }
    if (Number(m[1]) >= 6) {
      c.error(`x86_64 doesn't support ${name}`, b.span);
      return NONE;
    }
    return U64;
  }
  c.error(`Unknown builtin variable: '${name}'`, b.span);
  return NONE;
}

function argsType(c: Checker, b: A.Builtin): Ty {
  const p = single(c);
  if (!p) {
    c.error('The args builtin can only be used within the context of a single probe type, e.g. "probe1 {args}" is valid while "probe1,probe2 {args}" is not.', b.span);
    return NONE;
  }
  const first = c.probeCtx.concretes[0];
  if (p === 'tracepoint' && first.tracepoint) {
    const name = c.tracepointRecordName(first.tracepoint);
    for (const cp of c.probeCtx.concretes) if (cp.tracepoint) c.registerTracepoint(cp.tracepoint);
    return { k: 'struct', name, size: tracepointValueSize(first.tracepoint), as: first.tracepoint.category === 'syscalls' ? 'user' : 'kernel', ctx: true };
  }
  if (p === 'fentry' || p === 'fexit' || p === 'uprobe') {
    const fields = p === 'uprobe' ? first.symbol?.args : first.kernelFunc?.args;
    if (!fields || fields.length === 0) {
      c.error('Cannot read function parameters', b.span);
      return NONE;
    }
    const tag = p === 'uprobe' ? `_uprobe_args_${first.func}` : `_fentry_args_${first.func}`;
    if (!c.ctx.env.findRecord(`struct ${tag}`)) {
      c.ctx.env.addRecord({ kind: 'struct', name: tag, size: fields.length * 8, fields: fields.map((f, i) => ({ name: f.name, type: f.type, offset: i * 8 })) });
    }
    return { k: 'struct', name: `struct ${tag}`, size: fields.length * 8, as: p === 'uprobe' ? 'user' : 'kernel', ctx: true };
  }
  c.error(`The args builtin can only be used with tracepoint/fentry/uprobe probes (${first.kind} used here)`, b.span);
  return NONE;
}
