// The text form of one primitive value, exactly as bpftrace's text output prints it
// (tuples `(1, a)`, records `{ .a = 1 }`, arrays `[1,2]`, buffers with `\x` escapes,
// pointers `0x...`, stacks as indented frame lines, `ntop` addresses, ...). Map layout,
// histogram rows and JSON live elsewhere (text-output.ts, json-output.ts).
import type { Primitive, StackFrame, StackMode } from './value';
import { formatTimestamp, UTC, type TimeZone } from './strftime';

/** What formatting needs beyond the value itself: the simulated machine's time zone. */
export interface FormatContext {
  zone: TimeZone;
}

export const DEFAULT_CONTEXT: FormatContext = { zone: UTC };

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/**
 * bpftrace's hex_format_buffer: printable ASCII (32..126) kept when `keepAscii`, other
 * bytes as `\xNN` when `escapeHex`, else every byte as `NN` separated by spaces.
 */
export function hexFormatBuffer(bytes: Uint8Array, keepAscii = true, escapeHex = true): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (keepAscii && b >= 32 && b <= 126) out += String.fromCharCode(b);
    else if (escapeHex) out += '\\x' + hex2(b);
    else out += hex2(b) + (i === bytes.length - 1 ? '' : ' ');
  }
  return out;
}

/** inet_ntop(AF_INET6) as glibc prints it: longest zero run compressed, embedded IPv4. */
function ntop6(b: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((b[i] << 8) | b[i + 1]);
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
      break;
    }
    out += words[i].toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}

/** `ntop()` text: dotted quad for 4 bytes, RFC 5952-style for 16. */
export function inetText(bytes: Uint8Array): string {
  return bytes.length === 4 ? `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}` : ntop6(bytes);
}

/**
 * `macaddr()` text. bpftrace formats each byte as a (signed) `char` with `%02X` into an
 * 18-byte buffer, so a byte >= 0x80 prints as FFFFFFxx and the text is cut at 17 chars.
 */
export function macText(bytes: Uint8Array): string {
  const parts = Array.from(bytes, (b) => (b >= 0x80 ? (0xffffff00 | b) >>> 0 : b).toString(16).toUpperCase().padStart(2, '0'));
  return parts.join(':').slice(0, 17);
}

function symbolText(frame: StackFrame, withOffset: boolean): string | undefined {
  if (frame.symbol === undefined) return undefined;
  return withOffset ? `${frame.symbol}+${frame.offset ?? 0n}` : frame.symbol;
}

/**
 * A stack as bpftrace prints it: a leading newline, then one line per frame; `bpftrace`
 * mode indents `sym+off` by 8 spaces, `perf` mode prints a tab, the address in hex and
 * the symbol (user frames with their module), `raw` mode only the hex address.
 */
export function stackText(which: 'kstack' | 'ustack', mode: StackMode, frames: readonly StackFrame[], indent = 8): string {
  let out = '\n';
  const pad = ' '.repeat(indent);
  for (const f of frames) {
    switch (mode) {
      case 'raw':
        out += f.addr.toString(16) + '\n';
        break;
      case 'bpftrace':
        out += pad + (symbolText(f, true) ?? '0x' + f.addr.toString(16)) + '\n';
        break;
      case 'perf': {
        let sym = symbolText(f, true) ?? '[unknown]';
        if (which === 'ustack') sym += ` (${f.module ?? '[unknown]'})`;
        out += '\t' + f.addr.toString(16) + ' ' + sym + '\n';
        break;
      }
      default: {
        const never: never = mode;
        throw new Error(`unknown stack mode ${String(never)}`);
      }
    }
  }
  return out;
}

/** The text of one primitive (bpftrace's TextEmitter<Primitive>). */
export function primitiveText(p: Primitive, ctx: FormatContext = DEFAULT_CONTEXT): string {
  return primitiveChunks(p, ctx).join('');
}

/**
 * The same text split where bpftrace's stream output makes separate writes: a printf
 * width applies only to the first write (`%10s` of a tuple pads just the `(`).
 */
export function primitiveChunks(p: Primitive, ctx: FormatContext = DEFAULT_CONTEXT): string[] {
  switch (p.kind) {
    case 'none':
      return ['null'];
    case 'bool':
      return [p.value ? 'true' : 'false'];
    case 'int':
      return [p.value.toString()];
    case 'string':
      return [p.value];
    case 'buffer':
      return [hexFormatBuffer(p.bytes)];
    case 'tuple': {
      const out = ['('];
      p.elems.forEach((e, i) => {
        if (i > 0) out.push(', ');
        if (p.names) out.push(p.names[i], ' = ');
        out.push(primitiveText(e, ctx));
      });
      out.push(')');
      return out;
    }
    case 'record': {
      if (p.fields.length === 0) return ['{}'];
      const out = ['{ '];
      p.fields.forEach(([name, v], i) => {
        if (i > 0) out.push(', ');
        out.push('.', name, ' = ', primitiveText(v, ctx));
      });
      out.push(' }');
      return out;
    }
    case 'array': {
      const out = ['['];
      p.elems.forEach((e, i) => {
        if (i > 0) out.push(',');
        out.push(primitiveText(e, ctx));
      });
      out.push(']');
      return out;
    }
    case 'symbolic':
      return [p.symbol];
    case 'pointer':
      return ['0x' + p.addr.toString(16)];
    case 'ksym':
    case 'usym':
      return [p.symbol ?? '0x' + p.addr.toString(16)];
    case 'inet':
      return [inetText(p.bytes)];
    case 'mac':
      return [macText(p.bytes)];
    case 'timestamp':
      return [formatTimestamp(p.format, p.epochNs, ctx.zone)];
    case 'stack':
      return [stackText(p.which, p.mode, p.frames)];
    default: {
      const never: never = p;
      throw new Error(`unknown primitive ${JSON.stringify(never)}`);
    }
  }
}
