// The kernel's tracepoints with their record formats, as /sys/kernel/tracing/events
// describes them: an 8-byte common header (common_type, common_flags,
// common_preempt_count, common_pid), then the fields. Syscall tracepoints are derived from
// the syscall table (`int __syscall_nr` at 8, one 8-byte unsigned slot per argument from
// 16; `long ret` at 16 on exit); the others are laid out from tracepoint-table.ts with
// natural alignment. Each tracepoint gets an event id (the record's common_type).
import type { CType, Tracepoint, TracepointField } from '../../lang/catalogue';
import { kernelTypes } from '../btf/table';
import { SYSCALL_TABLE } from './syscall-table';
import { TRACEPOINT_TABLE } from './tracepoint-table';

export interface TracepointInfo extends Tracepoint {
  /** The event id, written as common_type. */
  id: number;
  /** For syscall tracepoints, the syscall number. */
  syscallNr?: number;
}

export const COMMON_FIELDS: readonly TracepointField[] = [
  { name: 'common_type', decl: 'unsigned short common_type', type: { kind: 'int', size: 2, signed: false, name: 'unsigned short' }, offset: 0, size: 2, signed: false },
  { name: 'common_flags', decl: 'unsigned char common_flags', type: { kind: 'int', size: 1, signed: false, name: 'unsigned char' }, offset: 2, size: 1, signed: false },
  { name: 'common_preempt_count', decl: 'unsigned char common_preempt_count', type: { kind: 'int', size: 1, signed: false, name: 'unsigned char' }, offset: 3, size: 1, signed: false },
  { name: 'common_pid', decl: 'int common_pid', type: { kind: 'int', size: 4, signed: true, name: 'int' }, offset: 4, size: 4, signed: true },
];

const U32: CType = { kind: 'int', size: 4, signed: false, name: 'unsigned int' };

function isSigned(t: CType): boolean {
  const r = kernelTypes().resolve(t);
  return r.kind === 'int' && r.signed;
}

/** Lays out `decl; decl; ...` after the common header with natural alignment. */
function layoutFields(decls: readonly string[]): { fields: TracepointField[]; size: number } {
  const t = kernelTypes();
  const fields: TracepointField[] = [...COMMON_FIELDS];
  let at = 8;
  let align = 8;
  for (const raw of decls) {
    const decl = raw.trim();
    if (decl.startsWith('__data_loc ')) {
      const name = decl.slice(decl.lastIndexOf(' ') + 1);
      at = Math.ceil(at / 4) * 4;
      fields.push({ name, decl, type: U32, offset: at, size: 4, signed: false, dataLoc: true });
      at += 4;
      continue;
    }
    const d = t.decl(decl);
    const size = t.sizeOf(d.type);
    const a = t.alignOf(d.type);
    align = Math.max(align, a);
    at = Math.ceil(at / a) * a;
    const r = t.resolve(d.type);
    fields.push({ name: d.name, decl, type: d.type, offset: at, size, signed: r.kind === 'int' && r.signed && true });
    at += size;
  }
  return { fields, size: Math.ceil(at / align) * align };
}

/** A syscall argument slot: 8 bytes, unsigned; ints narrower than 8 are widened as bpftrace does. */
function syscallArg(decl: string, offset: number): TracepointField {
  const t = kernelTypes();
  const d = t.decl(decl);
  let type = d.type;
  const r = t.resolve(type);
  if (r.kind === 'int' && r.size === 4) type = { kind: 'int', size: 8, signed: r.signed, name: r.signed ? 'long' : 'unsigned long' };
  return { name: d.name, decl, type, offset, size: 8, signed: false };
}

let all: TracepointInfo[] | undefined;

const SYSCALL_NR: TracepointField = { name: '__syscall_nr', decl: 'int __syscall_nr', type: { kind: 'int', size: 4, signed: true, name: 'int' }, offset: 8, size: 4, signed: true };
const SYSCALL_RET: TracepointField = { name: 'ret', decl: 'long ret', type: { kind: 'int', size: 8, signed: true, name: 'long' }, offset: 16, size: 8, signed: true };

type Layout = { fields: TracepointField[]; size: number };

/**
 * A tracepoint whose record (`fields`, `size`) is laid out the first time either is read:
 * matching probes against the list reads only names.
 */
function lazyTracepoint(category: string, name: string, id: number, syscallNr: number | undefined, layout: () => Layout): TracepointInfo {
  let laid: Layout | undefined;
  const tp = { category, name, id } as TracepointInfo;
  if (syscallNr !== undefined) tp.syscallNr = syscallNr;
  Object.defineProperty(tp, 'fields', { enumerable: true, get: () => (laid ??= layout()).fields });
  Object.defineProperty(tp, 'size', { enumerable: true, get: () => (laid ??= layout()).size });
  return tp;
}

/** A tracepoint's place in the table: its id and how to make it. */
type Row = { id: number; make: (id: number) => TracepointInfo };

let rows: Map<string, Row> | undefined;
const made = new Map<string, TracepointInfo>();

/** Every tracepoint's key (`category:name`) in table order with its id; nothing is laid out. */
function table(): Map<string, Row> {
  if (rows) return rows;
  rows = new Map();
  let id = 100;
  const add = (category: string, name: string, make: (id: number) => TracepointInfo): void => {
    rows!.set(`${category}:${name}`, { id: id++, make });
  };
  for (const [num, , tp, args] of SYSCALL_TABLE) {
    add('syscalls', `sys_enter_${tp}`, (tid) =>
      lazyTracepoint('syscalls', `sys_enter_${tp}`, tid, num, () => {
        const decls = args ? args.split(', ') : [];
        return { fields: [...COMMON_FIELDS, SYSCALL_NR, ...decls.map((d, i) => syscallArg(d, 16 + 8 * i))], size: 16 + 8 * decls.length };
      }),
    );
    add('syscalls', `sys_exit_${tp}`, (tid) => lazyTracepoint('syscalls', `sys_exit_${tp}`, tid, num, () => ({ fields: [...COMMON_FIELDS, SYSCALL_NR, SYSCALL_RET], size: 24 })));
  }
  const raw: [string, string, string][] = [
    ['raw_syscalls', 'sys_enter', 'long id; unsigned long args[6]'],
    ['raw_syscalls', 'sys_exit', 'long id; long ret'],
  ];
  for (const [category, name, f] of [...raw, ...TRACEPOINT_TABLE]) add(category, name, (tid) => lazyTracepoint(category, name, tid, undefined, () => layoutFields(f.split(';'))));
  return rows;
}

function info(key: string, row: Row): TracepointInfo {
  let t = made.get(key);
  if (!t) made.set(key, (t = row.make(row.id)));
  return t;
}

/** Every tracepoint of the kernel (records laid out when first read). */
export function tracepoints(): readonly TracepointInfo[] {
  all ??= [...table()].map(([key, row]) => info(key, row));
  return all;
}

/** One tracepoint, or undefined. */
export function tracepoint(category: string, name: string): TracepointInfo | undefined {
  const key = `${category}:${name}`;
  const row = table().get(key);
  return row && info(key, row);
}

/** Whether a tracepoint exists (without making it). */
export function hasTracepoint(category: string, name: string): boolean {
  return table().has(`${category}:${name}`);
}

/** The signedness rule of format files, exposed for tests. */
export const fieldIsSigned = isSigned;
