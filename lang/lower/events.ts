// Asynchronous actions, as bpftrace sends them: a record in the ring buffer starting with
// the u64 id of an entry in the script's event table, followed by the action's arguments
// laid out as layout.ts says (printf/errorf/warnf/system/cat arguments, a print()ed
// value, an exit code, join()'s strings, a failed helper's return code). The session
// decodes and performs them. exit() also ends the probe, as in bpftrace.
import type * as A from '../ast';
import { type Ty, tySize } from '../types';
import { R0, R1, R2, R3, R4 } from './builder';
import { branch, constValue, scalar } from './exprs';
import { probeReadHelper } from './fields';
import { type Gen, LowerError, type Place, at } from './gen';
import { EVENT_ID_SIZE, eventLayout } from './layout';
import { storeValue } from './memory';

const tyOf = (e: A.Expr): Ty => e.ty ?? { k: 'none' };

/** Number of strings join() reads, and the bytes kept of each. */
export const JOIN_ARGS = 16;
export const JOIN_ARG_SIZE = 256;

/** ringbuf_output(ringbuf, &buf, size, 0). */
function output(g: Gen, buf: Place, size: number): void {
  g.b.ldMap(R1, g.s.ringbufIndex());
  g.addr(buf, R2);
  g.b.movImm(R3, size);
  g.b.movImm(R4, 0);
  g.b.call(130);
}

/** A zeroed event buffer of `size` bytes with the event id written. */
function eventBuffer(g: Gen, id: number, size: number): Place {
  const buf = g.temp(size);
  g.zero(buf, size);
  g.storeImm(buf, id, 8);
  return buf;
}

/** Sends an event with no arguments. */
function simpleEvent(g: Gen, id: number): void {
  const m = g.mark();
  const buf = eventBuffer(g, id, EVENT_ID_SIZE);
  output(g, buf, EVENT_ID_SIZE);
  g.release(m);
}

/**
 * After a helper call: when helper errors are reported (-k), a negative r0 sends a
 * helperError event carrying it. r0 is left as it was.
 */
export function helperErrorCheck(g: Gen, helper: string): void {
  if (!g.s.options.helperErrors) return;
  const id = g.s.event({ kind: 'helperError', helper, size: 16, span: g.b.span ?? g.probe.span, probe: g.probeIndex });
  const ok = g.b.label('helper_ok');
  g.b.jmpImm('JSGE', R0, 0, ok);
  const m = g.mark();
  const buf = g.temp(16);
  g.storeImm(buf, id, 8);
  g.storeReg(at(buf, 8), R0, 8);
  output(g, buf, 16);
  g.release(m);
  g.b.bind(ok);
}

/** printf, errorf, warnf, system, cat: the format's arguments after the id. */
export function formatEvent(g: Gen, e: A.Call): void {
  if (e.args[0]?.kind !== 'str') throw new LowerError(`${e.name}() needs a literal format`, e.span);
  const args = e.args.slice(1);
  const tys = args.map(tyOf);
  const l = eventLayout(tys);
  const id = g.s.event({
    kind: 'format',
    fn: e.name as 'printf',
    format: e.args[0].value,
    args: tys,
    offsets: l.offsets,
    size: l.size,
    span: e.span,
    probe: g.probeIndex,
  });
  const m = g.mark();
  const buf = eventBuffer(g, id, l.size);
  args.forEach((a, i) => storeValue(g, a, at(buf, l.offsets[i]), tys[i]));
  output(g, buf, l.size);
  g.release(m);
}

/** print(value) and print(@map[, top[, div]]). */
export function printEvent(g: Gen, e: A.Call): void {
  const a = e.args[0];
  if (a?.kind === 'map' && !a.key && g.s.userMaps.has(a.name) && e.formatId === undefined) {
    const top = e.args[1] ? Number(constValue(e.args[1]) ?? 0n) : 0;
    const div = e.args[2] ? Number(constValue(e.args[2]) ?? 1n) : 1;
    simpleEvent(g, g.s.event({ kind: 'printMap', map: a.name, top, div, size: EVENT_ID_SIZE, span: e.span, probe: g.probeIndex }));
    return;
  }
  const t = tyOf(a);
  const l = eventLayout([t]);
  const id = g.s.event({ kind: 'printValue', ty: t, size: l.size, span: e.span, probe: g.probeIndex });
  const m = g.mark();
  const buf = eventBuffer(g, id, l.size);
  storeValue(g, a, at(buf, l.offsets[0]), t);
  output(g, buf, l.size);
  g.release(m);
}

export function clearZeroEvent(g: Gen, e: A.Call): void {
  const a = e.args[0];
  if (a?.kind !== 'map') throw new LowerError(`${e.name}() expects a map`, e.span);
  simpleEvent(g, g.s.event({ kind: e.name as 'clear', map: a.name, size: EVENT_ID_SIZE, span: e.span, probe: g.probeIndex }));
}

/** exit([code]): the event, then the probe returns (a loop callback stops its loop). */
export function exitEvent(g: Gen, e: A.Call): void {
  const id = g.s.event({ kind: 'exit', size: 16, span: e.span, probe: g.probeIndex });
  const m = g.mark();
  const buf = eventBuffer(g, id, 16);
  if (e.args[0]) {
    const r = scalar(g, e.args[0]);
    g.storeReg(at(buf, 8), r, 8);
    g.free(r);
  }
  output(g, buf, 16);
  g.release(m);
  leave(g);
}

/** Leaves the probe: a jump to its exit, or `return 1` from a loop callback. */
export function leave(g: Gen): void {
  if (g.inCallback) {
    g.b.movImm(R0, 1);
    g.b.exit();
  } else g.b.goto(g.exitLabel);
}

export function timeEvent(g: Gen, e: A.Call): void {
  const format = e.args[0]?.kind === 'str' ? e.args[0].value : '%H:%M:%S\n';
  simpleEvent(g, g.s.event({ kind: 'time', format, size: EVENT_ID_SIZE, span: e.span, probe: g.probeIndex }));
}

/**
 * join(array[, sep]): reads up to JOIN_ARGS string pointers from the array and each
 * string into the event; the count of strings read is at offset 8.
 */
export function joinEvent(g: Gen, e: A.Call): void {
  const sep = e.args[1]?.kind === 'str' ? e.args[1].value : ' ';
  const size = 16 + JOIN_ARGS * JOIN_ARG_SIZE;
  const id = g.s.event({ kind: 'join', sep, count: JOIN_ARGS, argSize: JOIN_ARG_SIZE, size, span: e.span, probe: g.probeIndex });
  const at0 = tyOf(e.args[0]);
  const as = at0.k === 'pointer' && at0.as !== 'none' ? at0.as : 'kernel';
  const m = g.mark();
  const buf = eventBuffer(g, id, size);
  const arr = g.slot();
  const r = scalar(g, e.args[0]);
  g.storeReg(arr, r, 8);
  g.free(r);
  const ptr = g.slot();
  const done = g.b.label('joined');
  for (let i = 0; i < JOIN_ARGS; i++) {
    // ptr = arr[i]; stop at NULL; read the string.
    g.addr(ptr, R1);
    g.b.movImm(R2, 8);
    g.loadReg(R3, arr, 8);
    if (i) g.b.alu('ADD', R3, i * 8);
    g.b.call(probeReadHelper(as, false));
    g.loadReg(R3, ptr, 8);
    g.b.jmpImm('JEQ', R3, 0, done);
    g.addr(at(buf, 16 + i * JOIN_ARG_SIZE), R1);
    g.b.movImm(R2, JOIN_ARG_SIZE);
    g.b.call(probeReadHelper(as, true));
    g.storeImm(at(buf, 8), i + 1, 8);
  }
  g.b.bind(done);
  output(g, buf, size);
  g.release(m);
}

/** assert(cond, msg): when false, the event (the session reports it and exits), then leave. */
export function assertEvent(g: Gen, e: A.Call): void {
  const message = e.args[1]?.kind === 'str' ? e.args[1].value : 'assertion failed';
  const id = g.s.event({ kind: 'assert', message, size: EVENT_ID_SIZE, span: e.span, probe: g.probeIndex });
  const ok = g.b.label('assert_ok');
  branch(g, e.args[0], ok, true);
  simpleEvent(g, id);
  leave(g);
  g.b.bind(ok);
}

/** debugf(fmt, args...): bpf_trace_printk with the format on the stack and up to three scalars. */
export function debugfCall(g: Gen, e: A.Call): void {
  if (e.args[0]?.kind !== 'str') throw new LowerError('debugf() needs a literal format', e.span);
  const fmt = new TextEncoder().encode(e.args[0].value + '\0');
  const m = g.mark();
  const slots = e.args.slice(1, 4).map((a) => {
    const s = g.slot();
    const r = scalar(g, a);
    g.storeReg(s, r, 8);
    g.free(r);
    return s;
  });
  const buf = g.temp(fmt.length);
  g.zero(buf, Math.ceil(fmt.length / 8) * 8);
  g.writeBytes(buf, fmt);
  slots.forEach((s, i) => g.loadReg(3 + i, s, 8));
  g.addr(buf, R1);
  g.b.movImm(R2, fmt.length);
  g.b.call(6);
  g.release(m);
  void tySize;
}
