// `bpfvm verify` and the verification `bpfvm run` does first, through runCli with
// in-memory files: verdicts, exit statuses, log levels, program types, bad input.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../vm/cli/cli';
import type { CliIo } from '../../../vm/cli/command';

function cli(argv: string[], files: Record<string, string> = {}): { status: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    readFile: (p) => {
      const f = files[p];
      if (f === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return new TextEncoder().encode(f);
    },
    writeFile: () => undefined,
  };
  return { status: runCli(argv, io), out, err };
}

const GOOD = 'r0 = *(u64 *)(r1 + 112)\nexit\n';
const NULL_DEREF = '*(u64 *)(r10 - 8) = 0\nr1 = map[m] ll\nr2 = r10\nr2 += -8\ncall 1\nr0 = *(u64 *)(r0 + 0)\nexit\n';
const SUMMARY = /^processed \d+ insns \(limit 1000000\) max_states_per_insn \d+ total_states \d+ peak_states \d+ mark_read \d+$/m;

describe('bpfvm verify', () => {
  it('accepts a kprobe reading pt_regs and prints the summary', () => {
    const r = cli(['verify', 'p.s'], { 'p.s': GOOD });
    expect(r.status).toBe(0);
    expect(r.out).toMatch(SUMMARY);
    expect(r.err).toBe('');
  });
  it('rejects with the log and the failing instruction', () => {
    const r = cli(['verify', 'n.s'], { 'n.s': NULL_DEREF });
    expect(r.status).toBe(1);
    expect(r.out).toContain("6: (79) r0 = *(u64 *)(r0 +0)\nR0 invalid mem access 'map_value_or_null'\n");
    expect(r.out).toMatch(SUMMARY);
    expect(r.err).toBe("bpfvm: n.s: rejected at insn 6: R0 invalid mem access 'map_value_or_null'\n");
  });
  it('-v prints the register state after each instruction', () => {
    const r = cli(['verify', 'p.s', '-v'], { 'p.s': GOOD });
    expect(r.out).toContain('0: R1=ctx() R10=fp0');
    expect(r.out).toMatch(/0: \(79\) r0 = \*\(u64 \*\)\(r1 \+112\) +; R0=scalar\(\) R1=ctx\(\)/);
  });
  it.each([
    ['kprobe', 'r0 = *(u64 *)(r1 + 160)\nexit', 0],
    ['kretprobe', 'r0 = *(u64 *)(r1 + 80)\nexit', 0],
    ['perf_event', 'r0 = *(u64 *)(r1 + 168)\nexit', 0],
    ['kprobe', 'r0 = *(u64 *)(r1 + 168)\nexit', 1],
    ['tracepoint:sched:sched_switch', 'r0 = *(u32 *)(r1 + 56)\nexit', 0],
    ['tracepoint:sched:sched_switch', 'r0 = *(u32 *)(r1 + 64)\nexit', 1],
    ['raw:16', 'r0 = *(u64 *)(r1 + 8)\nexit', 0],
    ['raw:8', 'r0 = *(u64 *)(r1 + 8)\nexit', 1],
  ])('--type %s', (type, text, status) => {
    expect(cli(['verify', 'p.s', '--type', type], { 'p.s': text }).status).toBe(status);
  });
  it('a .data file verifies as a raw program over its input', () => {
    expect(cli(['verify', 'd.data'], { 'd.data': '-- asm\nldxw %r0, [%r1+4]\nexit\n-- mem\n00 00 00 00 2a 00 00 00\n-- result\n0x2a\n' }).status).toBe(0);
    expect(cli(['verify', 'd.data'], { 'd.data': '-- asm\nldxw %r0, [%r1+8]\nexit\n-- mem\n00 00 00 00 2a 00 00 00\n-- result\n0x2a\n' }).status).toBe(1);
  });
  it.each([
    [['verify', 'p.s', '--type', 'xdp'], /^bpfvm: unknown program type 'xdp'/],
    [['verify', 'p.s', '--type', 'tracepoint:no:such'], /^bpfvm: no built-in format for tracepoint 'no:such' \(known: /],
    [['verify'], /^bpfvm: verify takes one FILE/],
    [['verify', 'missing.s'], /^bpfvm: cannot read missing.s/],
  ])('bad input %j', (argv, msg) => {
    const r = cli(argv, { 'p.s': GOOD });
    expect(r.status).not.toBe(0);
    expect(r.err).toMatch(msg);
  });
});

describe('bpfvm run verifies first', () => {
  it('refuses a program the verifier rejects, with the log', () => {
    const r = cli(['run', 'f.s'], { 'f.s': 'r1 = 0\nr0 = *(u64 *)(r1 + 0)\nexit' });
    expect(r.status).not.toBe(0);
    expect(r.err).toMatch(/the verifier rejected the program \(insn 1: R1 invalid mem access 'scalar'\)/);
  });
  it('runs it anyway with --no-verify (and faults)', () => {
    const r = cli(['run', 'f.s', '--no-verify'], { 'f.s': 'r1 = 0\nr0 = *(u64 *)(r1 + 0)\nexit' });
    expect(r.err).toMatch(/^bpfvm: fault at slot 1 \(memory\)/);
  });
  it('runs a verified program over its input', () => {
    expect(cli(['run', 'p.s', '--mem', '01 02 03 04'], { 'p.s': 'r0 = *(u16 *)(r1 + 2)\nexit' }).out).toBe('0x403\n');
  });
});
