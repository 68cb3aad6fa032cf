// Text and JSON forms of single values: every primitive kind, as bpftrace's
// TextEmitter / JsonEmitter print them. IPv6 expectations come from glibc's inet_ntop.
import { describe, expect, it } from 'vitest';
import { jsonInteger, jsonKey, jsonString, primitiveJson } from '../../../runtime/output/json-output';
import { inetText, macText, primitiveText, stackText } from '../../../runtime/output/text-primitive';
import { decodeInt, decodeString } from '../../../runtime/output/decode';
import {
  array,
  bool,
  buffer,
  inet,
  int,
  ksym,
  mac,
  namedTuple,
  none,
  pointer,
  record,
  stack,
  str,
  symbolic,
  timestamp,
  tuple,
  uint,
  usym,
  type Primitive,
  type StackFrame,
} from '../../../runtime/output/value';

const FRAMES: StackFrame[] = [
  { addr: 0xffffffff81234567n, symbol: 'do_sys_openat2', offset: 123n },
  { addr: 0xffffffff81000010n, symbol: 'entry_SYSCALL_64', offset: 0n },
  { addr: 0xffffffffa0001234n },
];
const UFRAMES: StackFrame[] = [
  { addr: 0x5649feec4090n, symbol: 'readline', offset: 0n, module: '/bin/bash' },
  { addr: 0x7f0000001000n },
];

// [name, value, text, json]
const CASES: [string, Primitive, string, string][] = [
  ['none', none, 'null', 'null'],
  ['true', bool(true), 'true', 'true'],
  ['false', bool(false), 'false', 'false'],
  ['int64', int(-42), '-42', '-42'],
  ['uint64 max', uint(-1), '18446744073709551615', '"18446744073709551615"'],
  ['int8 wraps', int(200, 1), '-56', '-56'],
  ['uint32', uint(4294967295, 4), '4294967295', '4294967295'],
  ['2^53+1', int(9007199254740993n), '9007199254740993', '"9007199254740993"'],
  ['2^53', int(9007199254740992n), '9007199254740992', '9007199254740992'],
  ['string', str('a "b"\n'), 'a "b"\n', '"a \\"b\\"\\n"'],
  ['buffer', buffer([0x61, 0x00, 0xff, 0x20]), 'a\\x00\\xff ', '[97,0,-1,32]'],
  ['tuple', tuple(int(1), str('two'), tuple(int(3), int(4))), '(1, two, (3, 4))', '[1,"two",[3,4]]'],
  ['named tuple', namedTuple([['a', int(1)], ['b', str('x')]]), '(a = 1, b = x)', '{"a": 1, "b": "x"}'],
  ['record', record([['m', int(2)], ['n', record([['i', int(5)]])]]), '{ .m = 2, .n = { .i = 5 } }', '{"m": 2, "n": {"i": 5}}'],
  ['empty record', record([]), '{}', '{}'],
  ['array', array([int(1), int(2), int(3)]), '[1,2,3]', '[1,2,3]'],
  ['enum', symbolic('TCP_ESTABLISHED', 1), 'TCP_ESTABLISHED', '1'],
  ['pointer', pointer(0xffff888012345678n), '0xffff888012345678', '"18446612682375452280"'],
  ['small pointer', pointer(4096), '0x1000', '4096'],
  ['ksym', ksym(0xffffffff81234567n, 'do_sys_openat2'), 'do_sys_openat2', '"do_sys_openat2"'],
  ['unresolved ksym', ksym(0xffffffff81234567n), '0xffffffff81234567', '"0xffffffff81234567"'],
  ['usym', usym(0x401000, 'main'), 'main', '"main"'],
  ['ipv4', inet([127, 0, 0, 1]), '127.0.0.1', '"127.0.0.1"'],
  ['ipv6', inet([32, 1, 13, 184, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), '2001:db8::1', '"2001:db8::1"'],
  ['mac', mac([0x18, 0x30, 0x4d, 0x08, 0x2e, 0x0b]), '18:30:4D:08:2E:0B', '"18:30:4D:08:2E:0B"'],
  ['timestamp', timestamp('%H:%M:%S', 1_700_000_000_000_000_000n), '22:13:20', '"22:13:20"'],
  [
    'kstack',
    stack('kstack', FRAMES),
    '\n        do_sys_openat2+123\n        entry_SYSCALL_64+0\n        0xffffffffa0001234\n',
    '"\\n        do_sys_openat2+123\\n        entry_SYSCALL_64+0\\n        0xffffffffa0001234\\n"',
  ],
];

describe('primitive text and JSON', () => {
  it.each(CASES.map(([n, v, t, j]) => [n, v, t, j] as const))('%s', (_, v, text, json) => {
    expect(primitiveText(v)).toBe(text);
    expect(primitiveJson(v)).toBe(json);
  });
});

describe('stacks', () => {
  it('prints perf mode with a tab, the hex address and the symbol (user frames with their module)', () => {
    expect(stackText('kstack', 'perf', FRAMES)).toBe(
      '\n\tffffffff81234567 do_sys_openat2+123\n\tffffffff81000010 entry_SYSCALL_64+0\n\tffffffffa0001234 [unknown]\n',
    );
    expect(stackText('ustack', 'perf', UFRAMES)).toBe('\n\t5649feec4090 readline+0 (/bin/bash)\n\t7f0000001000 [unknown] ([unknown])\n');
  });

  it('prints raw mode as bare hex addresses', () => {
    expect(stackText('ustack', 'raw', UFRAMES)).toBe('\n5649feec4090\n7f0000001000\n');
  });

  it('prints an empty stack as a single newline', () => {
    expect(primitiveText(stack('kstack', []))).toBe('\n');
  });
});

describe('inet_ntop', () => {
  const cases: [number[], string][] = [
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], '::1'],
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], '::'],
    [[254, 128, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 3, 0, 4], 'fe80::1:2:3:4'],
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 192, 168, 1, 1], '::ffff:192.168.1.1'],
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 192, 168, 1, 1], '::192.168.1.1'],
    [[0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3], '1:0:0:2::3'],
    [[0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4], '1::2:0:0:3:4'],
    [[32, 1, 13, 184, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1], '2001:db8::1:0:0:1'],
    [[0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8], '1:2:3:4:5:6:7:8'],
    [[0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], '0:0:1::'],
    [[0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 0, 0, 1, 2, 3, 4], '::ffff:0:102:304'],
    [[0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], '1::'],
    [[10, 0, 0, 255], '10.0.0.255'],
  ];
  it.each(cases.map(([b, t]) => [t, b] as const))('%s', (text, bytes) => {
    expect(inetText(Uint8Array.from(bytes))).toBe(text);
  });
});

describe('macaddr', () => {
  it('prints bytes >= 0x80 as a sign-extended char and cuts the text at 17 characters', () => {
    expect(macText(Uint8Array.from([0x74, 0x83, 0xc2, 0x7f, 0x8c, 0xff]))).toBe('74:FFFFFF83:FFFFF');
  });
});

describe('JSON helpers', () => {
  it('escapes control characters and mangles UTF-8 bytes as bpftrace does', () => {
    expect(jsonString('\x07\x1f\r\t')).toBe('"\\u0007\\u001f\\r\\t"');
    expect(jsonString('é')).toBe('"\\uffffffc3\\uffffffa9"');
  });

  it('writes integers a double cannot hold as strings', () => {
    expect(jsonInteger(-(2n ** 63n))).toBe('-9223372036854775808');
    expect(jsonInteger(2n ** 63n - 1n)).toBe('"9223372036854775807"');
  });

  it('strips tuple parentheses and all spaces from map keys', () => {
    expect(jsonKey(tuple(str('a b'), int(2)))).toBe('ab,2');
    expect(jsonKey(str('(x y)'))).toBe('xy');
  });
});

describe('decoding', () => {
  it('cuts strings at the first NUL and marks strings that filled their buffer', () => {
    expect(decodeString(Uint8Array.from([0x62, 0x61, 0x73, 0x68, 0, 0x7a]))).toEqual(str('bash'));
    expect(decodeString(Uint8Array.from([0x61, 0x62, 0x63]))).toEqual(str('abc..'));
  });

  it('reads little-endian integers of each size and signedness', () => {
    const b = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x34, 0x12]);
    expect(decodeInt(b, 8, true)).toEqual(int(-1));
    expect(decodeInt(b, 4, false)).toEqual(uint(0xffffffff, 4));
    expect(decodeInt(b, 2, false, 8)).toEqual(uint(0x1234, 2));
    expect(decodeInt(b, 1, true, 8)).toEqual(int(0x34, 1));
    expect(() => decodeInt(b, 8, true, 4)).toThrow(RangeError);
  });
});
