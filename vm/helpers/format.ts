// The printk-style formatting of bpf_trace_printk: %d %i %u %x %X %p %c %s and %%, with
// optional l/ll/h/z length modifiers, a width and the '0' and '-' flags. Arguments are
// raw 64-bit register values; %s reads a NUL-terminated string through `readStr`.

export function formatPrintk(fmt: string, args: readonly bigint[], readStr: (addr: bigint) => string): string {
  let out = '';
  let argi = 0;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const m = /^%([-0]*)(\d*)(hh|h|ll|l|z)?([diuxXpcs%])/.exec(fmt.slice(i));
    if (!m) {
      out += c;
      continue;
    }
    i += m[0].length - 1;
    const [, flags, width, len, conv] = m;
    if (conv === '%') {
      out += '%';
      continue;
    }
    const raw = args[argi++] ?? 0n;
    const bits = len === 'l' || len === 'll' || len === 'z' || conv === 'p' ? 64 : len === 'h' ? 16 : len === 'hh' ? 8 : 32;
    let text: string;
    switch (conv) {
      case 'd':
      case 'i':
        text = BigInt.asIntN(bits, raw).toString();
        break;
      case 'u':
        text = BigInt.asUintN(bits, raw).toString();
        break;
      case 'x':
        text = BigInt.asUintN(bits, raw).toString(16);
        break;
      case 'X':
        text = BigInt.asUintN(bits, raw).toString(16).toUpperCase();
        break;
      case 'p':
        text = '0x' + BigInt.asUintN(64, raw).toString(16);
        break;
      case 'c':
        text = String.fromCharCode(Number(raw & 0xffn));
        break;
      default:
        text = readStr(raw);
    }
    const w = Number(width || 0);
    if (text.length < w) text = flags.includes('-') ? text.padEnd(w) : flags.includes('0') && conv !== 's' ? text.padStart(w, '0') : text.padStart(w);
    out += text;
  }
  return out;
}
