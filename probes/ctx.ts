// Builds the ctx record a program receives in r1, in the CTX region of simulated memory:
// struct pt_regs for kprobes and uprobes (arguments in di, si, dx, cx, r8, r9; the return
// value in ax), struct bpf_perf_event_data for samples, and tracepoint records laid out
// by their format (common_* header, fixed fields, then __data_loc strings).
import { Region, type Memory } from '../vm/memory/memory';
import { ARG_REGS, PERF_EVENT_DATA, PT_REGS, ptRegsOffset } from '../vm/ctx/layouts';
import type { Firing, TpValue } from '../workloads/kernel/firing';
import type { TracepointInfo } from '../workloads/kernel/tracepoints';
import { kernelTypes } from '../workloads/btf/table';

/** Bytes reserved for one ctx record (fixed part plus __data_loc strings). */
export const CTX_BYTES = 4096;

const OFF = {
  ax: ptRegsOffset('ax'),
  ip: ptRegsOffset('ip'),
  sp: ptRegsOffset('sp'),
  cs: ptRegsOffset('cs'),
  ss: ptRegsOffset('ss'),
  flags: ptRegsOffset('flags'),
  origAx: ptRegsOffset('orig_ax'),
  bp: ptRegsOffset('bp'),
};
const ARG_OFF = ARG_REGS.map(ptRegsOffset);

type FieldWriter = { offset: number; size: number; kind: 'int' | 'ptr' | 'str' | 'bytes' | 'dataloc' | 'u64s' };

/** Per tracepoint: how each field (after the common header) is written. */
function writersOf(tp: TracepointInfo): FieldWriter[] {
  const types = kernelTypes();
  const out: FieldWriter[] = [];
  for (const f of tp.fields) {
    if (f.name.startsWith('common_')) continue;
    if (f.dataLoc) {
      out.push({ offset: f.offset, size: 4, kind: 'dataloc' });
      continue;
    }
    if (tp.category === 'syscalls') {
      out.push({ offset: f.offset, size: f.size, kind: 'int' });
      continue;
    }
    const r = types.resolve(f.type);
    if (r.kind === 'array') {
      const el = types.resolve(r.of);
      const isChar = el.kind === 'int' && el.size === 1 && (el.name === 'char' || el.name === 'signed char') && !f.decl.startsWith('__u8') && !f.decl.startsWith('u8');
      if (isChar) out.push({ offset: f.offset, size: f.size, kind: 'str' });
      else if (el.kind === 'int' && el.size === 8) out.push({ offset: f.offset, size: f.size, kind: 'u64s' });
      else out.push({ offset: f.offset, size: f.size, kind: 'bytes' });
    } else if (r.kind === 'ptr') out.push({ offset: f.offset, size: 8, kind: 'ptr' });
    else out.push({ offset: f.offset, size: f.size, kind: 'int' });
  }
  return out;
}

export class CtxBuilder {
  /** Linear offset and kernel-visible address of the ctx area. */
  readonly lin: number;
  readonly addr: bigint;
  private readonly writers = new Map<TracepointInfo, FieldWriter[]>();
  private readonly enc = new TextEncoder();

  constructor(private readonly mem: Memory) {
    this.lin = mem.allocPages(1, Region.CTX);
    this.addr = mem.addr(this.lin);
  }

  /** struct pt_regs from a kprobe/kretprobe/uprobe/uretprobe firing. */
  ptRegs(f: Firing): bigint {
    const mem = this.mem;
    const l = this.lin;
    mem.u8.fill(0, l, l + PT_REGS.size);
    for (let i = 0; i < 6; i++) {
      mem.writeU32(l + ARG_OFF[i], f.lo[i]);
      mem.writeU32(l + ARG_OFF[i] + 4, f.hi[i]);
    }
    mem.writeU32(l + OFF.ax, f.lo[6]);
    mem.writeU32(l + OFF.ax + 4, f.hi[6]);
    mem.writeU64(l + OFF.ip, f.ip);
    mem.writeU64(l + OFF.sp, f.sp);
    mem.writeU64(l + OFF.origAx, f.task.sysNr >= 0 ? BigInt(f.task.sysNr) : 0xffffffffffffffffn);
    mem.writeU64(l + OFF.cs, f.userMode ? 0x33n : 0x10n);
    mem.writeU64(l + OFF.ss, f.userMode ? 0x2bn : 0x18n);
    mem.writeU64(l + OFF.flags, 0x246n);
    return this.addr;
  }

  /** struct bpf_perf_event_data of a sample taken at `ip` (user or kernel mode). */
  perf(ip: bigint, sp: bigint, userMode: boolean, period: number): bigint {
    const mem = this.mem;
    const l = this.lin;
    mem.u8.fill(0, l, l + PERF_EVENT_DATA.size);
    mem.writeU64(l + OFF.ip, ip);
    mem.writeU64(l + OFF.sp, sp);
    mem.writeU64(l + OFF.cs, userMode ? 0x33n : 0x10n);
    mem.writeU64(l + OFF.ss, userMode ? 0x2bn : 0x18n);
    mem.writeU64(l + OFF.flags, 0x246n);
    mem.writeNum64(l + PT_REGS.size, period);
    return this.addr;
  }

  /** A tracepoint record: the common header, then every field from the firing's values. */
  tracepoint(f: Firing, tp: TracepointInfo): bigint {
    const mem = this.mem;
    const l = this.lin;
    let w = this.writers.get(tp);
    if (!w) this.writers.set(tp, (w = writersOf(tp)));
    mem.u8.fill(0, l, l + tp.size + 8);
    mem.writeU16(l, tp.id);
    mem.writeU8(l + 2, 0);
    mem.writeU8(l + 3, 0);
    mem.writeU32(l + 4, f.task.pid);
    let tail = Math.ceil(tp.size / 4) * 4;
    const vals = f.tp;
    for (let i = 0; i < w.length; i++) {
      const fw = w[i];
      const v: TpValue | undefined = vals[i];
      const at = l + fw.offset;
      switch (fw.kind) {
        case 'int':
          writeInt(mem, at, fw.size, v);
          break;
        case 'ptr':
          if (typeof v === 'number') mem.writePtr(at, v);
          else if (typeof v === 'bigint') mem.writeU64(at, v);
          break;
        case 'str':
          mem.writeCString(at, typeof v === 'string' ? v : '', fw.size);
          break;
        case 'bytes':
          if (v instanceof Uint8Array) mem.u8.set(v.subarray(0, fw.size), at);
          break;
        case 'u64s':
          if (Array.isArray(v)) v.forEach((x: number, j: number) => j * 8 < fw.size && mem.writeNum64(at + j * 8, x));
          break;
        case 'dataloc': {
          const s = this.enc.encode(typeof v === 'string' ? v : '');
          const len = Math.min(s.length, CTX_BYTES - tail - 1);
          mem.u8.set(s.subarray(0, len), l + tail);
          mem.u8[l + tail + len] = 0;
          mem.writeU32(at, ((len + 1) << 16) | tail);
          tail += Math.ceil((len + 1) / 4) * 4;
          break;
        }
      }
    }
    return this.addr;
  }
}

function writeInt(mem: Memory, at: number, size: number, v: TpValue | undefined): void {
  if (typeof v === 'bigint') {
    const u = BigInt.asUintN(64, v);
    if (size === 8) mem.writeU64(at, u);
    else writeInt(mem, at, size, Number(u & 0xffffffffn));
    return;
  }
  const n = typeof v === 'number' ? v : 0;
  switch (size) {
    case 1:
      mem.writeU8(at, n & 0xff);
      break;
    case 2:
      mem.writeU16(at, n & 0xffff);
      break;
    case 4:
      mem.writeU32(at, n);
      break;
    default:
      mem.writeNum64(at, n);
  }
}
