// A growable byte buffer with the encodings of the WebAssembly binary format (unsigned
// and signed LEB128, names, vectors), and the instruction writer that function bodies
// are emitted through. Module layout (sections, types, imports) is in module.ts.
import { BLOCK_VOID, OP, alignOf, type OpName, type ValTypeCode } from './opcodes';

const utf8 = new TextEncoder();

export class ByteWriter {
  private buf: Uint8Array<ArrayBuffer> = new Uint8Array(256);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): this {
    this.room(1);
    this.buf[this.length++] = b & 0xff;
    return this;
  }

  bytes(bs: Uint8Array): this {
    this.room(bs.length);
    this.buf.set(bs, this.length);
    this.length += bs.length;
    return this;
  }

  /** Unsigned LEB128 of a non-negative integer below 2^32. */
  u32(n: number): this {
    n >>>= 0;
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n !== 0) b |= 0x80;
      this.byte(b);
    } while (n !== 0);
    return this;
  }

  /** Signed LEB128 of a 32-bit integer. */
  s32(n: number): this {
    n |= 0;
    for (;;) {
      const b = n & 0x7f;
      n >>= 7;
      if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return this.byte(b);
      this.byte(b | 0x80);
    }
  }

  /** Signed LEB128 of a 64-bit integer (any bigint, taken modulo 2^64). */
  s64(v: bigint): this {
    let n = BigInt.asIntN(64, v);
    if (n >= -0x80000000n && n <= 0x7fffffffn) return this.s32(Number(n));
    for (;;) {
      const b = Number(n & 0x7fn);
      n >>= 7n;
      if ((n === 0n && (b & 0x40) === 0) || (n === -1n && (b & 0x40) !== 0)) return this.byte(b);
      this.byte(b | 0x80);
    }
  }

  name(s: string): this {
    if (/^[\x00-\x7f]*$/.test(s)) {
      this.u32(s.length);
      this.room(s.length);
      for (let i = 0; i < s.length; i++) this.buf[this.length++] = s.charCodeAt(i);
      return this;
    }
    const bs = utf8.encode(s);
    return this.u32(bs.length).bytes(bs);
  }

  /** A length-prefixed copy of another writer's bytes. */
  sized(w: ByteWriter): this {
    return this.u32(w.length).bytes(w.finish());
  }

  finish(): Uint8Array<ArrayBuffer> {
    return this.buf.subarray(0, this.length);
  }
}

/** Writes one function body's instructions; block nesting is tracked so that branch depths can be checked. */
export class CodeWriter extends ByteWriter {
  /** Open blocks, loops and ifs. */
  depth = 0;
  /** Source positions: [byte offset in the body, eBPF slot] pairs, for the text printer. */
  readonly marks: number[] = [];

  /** Notes that the code from here on implements the eBPF instruction at `slot` (until the next mark). */
  mark(slot: number): this {
    const n = this.marks.length;
    if (n && this.marks[n - 1] === slot) return this;
    if (n && this.marks[n - 2] === this.length) this.marks[n - 1] = slot;
    else this.marks.push(this.length, slot);
    return this;
  }

  op(name: OpName): this {
    return this.byte(OP[name]);
  }

  i32(v: number): this {
    return this.op('i32.const').s32(v);
  }

  i64(v: bigint | number): this {
    return this.op('i64.const').s64(BigInt(v));
  }

  get(local: number): this {
    return this.op('local.get').u32(local);
  }

  set(local: number): this {
    return this.op('local.set').u32(local);
  }

  tee(local: number): this {
    return this.op('local.tee').u32(local);
  }

  gget(global: number): this {
    return this.op('global.get').u32(global);
  }

  gset(global: number): this {
    return this.op('global.set').u32(global);
  }

  call(fn: number): this {
    return this.op('call').u32(fn);
  }

  /** A load or store with its natural alignment and a constant offset (u32). */
  mem(name: OpName, bytes: number, offset = 0): this {
    return this.op(name).u32(alignOf(bytes)).u32(offset);
  }

  block(type: ValTypeCode | typeof BLOCK_VOID = BLOCK_VOID): this {
    this.depth++;
    return this.op('block').byte(type);
  }

  loop(): this {
    this.depth++;
    return this.op('loop').byte(BLOCK_VOID);
  }

  if_(type: ValTypeCode | typeof BLOCK_VOID = BLOCK_VOID): this {
    this.depth++;
    return this.op('if').byte(type);
  }

  else_(): this {
    return this.op('else');
  }

  end(): this {
    this.depth--;
    return this.op('end');
  }

  br(label: number): this {
    if (label < 0 || label >= this.depth) throw new RangeError(`branch to label ${label} with ${this.depth} open blocks`);
    return this.op('br').u32(label);
  }

  brIf(label: number): this {
    if (label < 0 || label >= this.depth) throw new RangeError(`branch to label ${label} with ${this.depth} open blocks`);
    return this.op('br_if').u32(label);
  }

  brTable(labels: readonly number[], dflt: number): this {
    this.op('br_table').u32(labels.length);
    for (const l of labels) this.u32(l);
    return this.u32(dflt);
  }
}
