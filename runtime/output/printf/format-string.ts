// Parsing of printf-style format strings into literal fragments and conversion specs,
// with bpftrace's grammar: flags in the fixed order `-`, `+`, space, `#`, `0`; a width
// and precision (numbers or `*`, which consume no argument); length modifiers
// [hlLjzt]*; a conversion, including bpftrace's `r`, `rx`, `rh` (buffers) and `gr` (GFP
// flags). `%%` is a literal percent; anything that does not match stays literal text.
// Checking against argument types is in check.ts, formatting in apply.ts.

export interface FormatSpec {
  leftAlign: boolean;
  showSign: boolean;
  spacePrefix: boolean;
  alternateForm: boolean;
  leadZeros: boolean;
  /** 0 when absent (or `*`). */
  width: number;
  /** -1 when absent (or `*`). */
  precision: number;
  lengthModifier: string;
  /** `d`, `x`, `s`, `r`, `rx`, `rh`, `gr`, ... */
  specifier: string;
  /** The spec as written, e.g. `%-10s`. */
  text: string;
}

export interface ParsedFormat {
  /** The format as given. */
  format: string;
  /** `fragments.length === specs.length + 1`: literal text around the specs. */
  fragments: string[];
  specs: FormatSpec[];
}

// `gr` comes first so that `%gr` is not read as `%g` followed by `r`.
const SPEC_RE = /%(-?)(\+?)( ?)(#?)(0?)(\*|\d+)?(?:\.(\*|\d+))?([hlLjzt]*)(gr|[diouxXeEfFgGaAcspn%]|rh|rx|r)/g;

export function parseFormat(format: string): ParsedFormat {
  const fragments: string[] = [];
  const specs: FormatSpec[] = [];
  let last = 0;
  let fragment = '';
  for (const m of format.matchAll(SPEC_RE)) {
    const at = m.index ?? 0;
    fragment += format.slice(last, at);
    last = at + m[0].length;
    const specifier = m[9];
    if (specifier === '%') {
      fragment += '%';
      continue;
    }
    fragments.push(fragment);
    fragment = '';
    specs.push({
      leftAlign: m[1] !== '',
      showSign: m[2] !== '',
      spacePrefix: m[3] !== '',
      alternateForm: m[4] !== '',
      leadZeros: m[5] !== '',
      width: m[6] !== undefined && m[6] !== '*' ? Number(m[6]) : 0,
      precision: m[7] !== undefined && m[7] !== '*' ? Number(m[7]) : -1,
      lengthModifier: m[8],
      specifier,
      text: m[0],
    });
  }
  fragments.push(fragment + format.slice(last));
  return { format, fragments, specs };
}
