// printf: the format check's errors (bpftrace 0.26 texts from format_string.cpp
// FormatString::check) and the formatting of each conversion with C++-stream semantics.
// Tables of cases; values the literal-only case files cannot express are built here.
import { describe, expect, it } from 'vitest';
import { checkFormat, type FormatArgType } from '../../../runtime/output/printf/check';
import { formatPrintf } from '../../../runtime/output/printf/apply';
import { parseFormat } from '../../../runtime/output/printf/format-string';
import { formatGfpFlags } from '../../../runtime/output/printf/gfp-flags';
import {
  bool,
  buffer,
  int,
  ksym,
  none,
  pointer,
  record,
  str,
  symbolic,
  tuple,
  uint,
  type Primitive,
} from '../../../runtime/output/value';

const T = {
  int64: { kind: 'integer', name: 'int64' },
  uint8: { kind: 'integer', name: 'uint8' },
  bool: { kind: 'boolean', name: 'bool' },
  ptr: { kind: 'pointer', name: 'struct task_struct *' },
  str: { kind: 'other', name: 'string' },
  buf: { kind: 'buffer', name: 'buffer' },
  tuple: { kind: 'other', name: '(int64,string)' },
  ksym: { kind: 'other', name: 'ksym_t' },
  none: { kind: 'none', name: 'none' },
  void: { kind: 'void', name: 'void' },
} satisfies Record<string, FormatArgType>;

describe('checkFormat', () => {
  const cases: [string, FormatArgType[], string[]][] = [
    ['hello\n', [], []],
    ['%d %s\n', [T.int64, T.str], []],
    ['%d', [], ['not enough arguments for format string (0 supplied, 1 expected)']],
    ['%d %d', [T.int64], ['not enough arguments for format string (1 supplied, 2 expected)']],
    ['x', [T.int64], ['too many arguments for format string (1 supplied, 0 expected)']],
    ['%%d', [T.int64], ['too many arguments for format string (1 supplied, 0 expected)']],
    ['100%', [], []],
    ['%y', [T.int64], ['too many arguments for format string (1 supplied, 0 expected)']],
    ['%d', [T.str], ["unsupported format specifier for type 'string': d"]],
    ['%x', [T.tuple], ["unsupported format specifier for type '(int64,string)': x"]],
    ['%u %i %o %X %c %p', [T.int64, T.bool, T.ptr, T.uint8, T.int64, T.ptr], []],
    ['%s %s %s %s', [T.int64, T.tuple, T.buf, T.ksym], []],
    ['%r', [T.buf], []],
    ['%rx %rh', [T.buf, T.buf], []],
    ['%r', [T.str], ["unsupported format specifier for type 'string': r"]],
    ['%rh', [T.int64], ["unsupported format specifier for type 'int64': rh"]],
    ['%gr', [T.int64], []],
    ['%gr', [T.str], ["unsupported format specifier for type 'string': gr"]],
    ['%f', [T.int64], ['unsupported format specifier: f']],
    ['%e', [T.int64], ['unsupported format specifier: e']],
    ['%g', [T.int64], ['unsupported format specifier: g']],
    ['%n', [T.int64], ['unsupported format specifier: n']],
    ['%d', [T.none], ['unable to print none type for specifier: d']],
    ['%s', [T.void], ['unable to print none type for specifier: s']],
    ['%-08.3lld %+ #x', [T.int64, T.int64], []],
  ];
  it.each(cases)('%j with %j', (fmt, args, errors) => {
    expect(checkFormat(fmt, args)).toEqual(errors);
  });
});

describe('parseFormat', () => {
  it('splits fragments around specs and folds %% into text', () => {
    const p = parseFormat('a%%b%5dc%-s%');
    expect(p.fragments).toEqual(['a%b', 'c', '%']);
    expect(p.specs.map((s) => s.text)).toEqual(['%5d', '%-s']);
    expect(p.specs[0].width).toBe(5);
    expect(p.specs[1].leftAlign).toBe(true);
  });

  it('reads flags, width, precision and length modifiers', () => {
    const [s] = parseFormat('%-+ #012.7llx').specs;
    expect(s).toMatchObject({
      leftAlign: true,
      showSign: true,
      spacePrefix: true,
      alternateForm: true,
      leadZeros: true,
      width: 12,
      precision: 7,
      lengthModifier: 'll',
      specifier: 'x',
    });
  });

  it('takes * as no width and consumes no argument for it', () => {
    const p = parseFormat('%*d|%.*s');
    expect(p.specs.map((s) => [s.width, s.precision])).toEqual([
      [0, -1],
      [0, -1],
    ]);
  });

  it('reads %gr before %g and %rx/%rh before %r', () => {
    expect(parseFormat('%gr %g %rx %rh %r').specs.map((s) => s.specifier)).toEqual(['gr', 'g', 'rx', 'rh', 'r']);
  });
});

describe('formatPrintf', () => {
  const cases: [string, Primitive[], string][] = [
    // integers and their casts
    ['%d', [int(42)], '42'],
    ['%d', [int(5000000000)], '705032704'],
    ['%ld|%lld|%jd|%zd|%td', [int(5000000000), int(-1), int(7), int(-3), int(-9)], '5000000000|-1|7|-3|-9'],
    ['%hd|%hhd', [int(70000), int(300)], '4464|44'],
    ['%hhd', [int(200)], '-56'],
    ['%u|%lu|%hu|%hhu', [int(-1), int(-1), int(-1), int(-1)], '4294967295|18446744073709551615|65535|255'],
    ['%x|%X|%lx|%o', [int(255), int(255), int(-1), int(8)], 'ff|FF|ffffffffffffffff|10'],
    ['%d|%d', [uint(255, 1), int(-1, 1)], '255|-1'],
    ['%u', [int(-2, 4)], '4294967294'],
    ['%d|%d', [bool(true), bool(false)], '1|0'],
    ['%i', [int(-42)], '-42'],
    // flags
    ['[%5d][%-5d][%05d]', [int(42), int(42), int(42)], '[   42][42   ][00042]'],
    ['[%05d][%-05d]', [int(-5), int(7)], '[000-5][70000]'],
    ['[%+d][%+d][%+u]', [int(5), int(-5), int(5)], '[+5][-5][5]'],
    ['[%#x][%#X][%#o][%#x][%#o]', [int(255), int(255), int(8), int(0), int(0)], '[0xff][0XFF][010][0][0]'],
    ['[%#08x]', [int(255)], '[00000xff]'],
    ['[%.3d][%8.3d]', [int(42), int(42)], '[42][      42]'],
    // characters and pointers
    ['[%c%c][%3c][%-3c]', [int(104), int(105), int(65), int(66)], '[hi][  A][B  ]'],
    ['[%c]', [int(321)], '[A]'],
    ['[%p][%p][%18p]', [pointer(0), pointer(0xffff888000001000n), int(4096)], '[0][0xffff888000001000][            0x1000]'],
    // strings and anything under %s
    ['[%s][%10s][%-10s]', [str('abc'), str('abc'), str('abc')], '[abc][       abc][abc       ]'],
    ['[%.2s]', [str('abcdef')], '[abcdef]'],
    ['[%05s]', [str('ab')], '[000ab]'],
    ['%s|%s|%s', [int(-5), bool(true), none], '-5|true|null'],
    ['%s', [tuple(int(1), str('a'), tuple(int(2), int(3)))], '(1, a, (2, 3))'],
    ['[%6s]', [tuple(int(1), int(2))], '[     (1, 2)]'],
    ['%s', [record([['pid', int(1)], ['comm', str('bash')]])], '{ .pid = 1, .comm = bash }'],
    ['%s', [ksym(0xffffffff81000000n, 'do_sys_open')], 'do_sys_open'],
    ['%s', [ksym(0xffffffff81000010n)], '0xffffffff81000010'],
    // enums are symbolic: their name under %s, their number under %d
    ['%d %s %x', [symbolic('TWO', 2), symbolic('TWO', 2), symbolic('X', 255)], '2 TWO ff'],
    // buffers
    ['%r', [buffer([0x41, 0x00, 0x7e, 0x7f, 0xff])], 'A\\x00~\\x7f\\xff'],
    ['%rx', [buffer([0x41, 0x0a])], '\\x41\\x0a'],
    ['%rh', [buffer([0x41, 0x0a, 0xfe])], '41 0a fe'],
    ['%s', [buffer([0x68, 0x69, 0x01])], 'hi\\x01'],
    ['[%8r]', [buffer([0x41, 0x42])], '[      AB]'],
    ['%r', [str('not a buffer')], 'not a buffer'],
    // GFP flags
    ['%gr', [uint(0x1400c0)], 'GFP_KERNEL'],
    // literal text and percent
    ['100%% of %s', [str('it')], '100% of it'],
    ['tail %', [], 'tail %'],
    // a value that cannot be converted is shown in place of the spec
    ['[%d]', [str('abc')], '[!{invalid integer conversion: abc}]'],
    ['[%x]', [tuple(int(1))], '[!{invalid integer conversion: (1)}]'],
  ];
  it.each(cases.map(([fmt, args, out]) => [`${JSON.stringify(fmt)} -> ${JSON.stringify(out)}`, fmt, args, out] as const))(
    '%s',
    (_, fmt, args, out) => {
      expect(formatPrintf(fmt, args)).toBe(out);
    },
  );

  it('formats floating-point conversions the way a C++ stream does', () => {
    expect(formatPrintf('%f|%.2f|%e|%.3e|%g|%.2g', [int(5), int(5), int(1500), int(1500), int(1234567), int(1234)])).toBe(
      '5|5.00|1500|1.500e+03|1.23457e+06|1.2e+03',
    );
  });
});

describe('formatGfpFlags', () => {
  const cases: [bigint, string][] = [
    [0n, '0'],
    // bpftrace's own flag values (GFP_KERNEL = 0x1400c0), not a particular kernel's.
    [0x1400c0n, 'GFP_KERNEL'],
    [0x1400c0n | 0x100n, 'GFP_KERNEL|__GFP_ZERO'],
    [0xcc0n, '__GFP_IO|__GFP_FS|__GFP_NORETRY|__GFP_MEMALLOC'],
    [0x400000n | 0x1n, 'GFP_DMA|__GFP_SKIP_KASAN'],
    [0x20n | 0x10000n | 0x100000n, 'GFP_ATOMIC'],
    [0x1000000n, '0x1000000'],
    [0x100000n | 0x4000000n, 'GFP_NOWAIT|0x4000000'],
  ];
  it.each(cases.map(([flags, text]) => [`0x${flags.toString(16)}`, flags, text] as const))('%s', (_, flags, text) => {
    expect(formatGfpFlags(flags)).toBe(text);
  });
});
