// `bpfvm verify FILE [--type TYPE] [--prog NAME] [--mem HEX] [-v]`: runs the verifier on
// a program and prints its kernel-style log; exits 0 when the program is accepted, 1 when
// it is rejected. TYPE is kprobe (default: r1 is a struct pt_regs *), kretprobe, uprobe,
// perf_event, tracepoint:CATEGORY:NAME (for the formats built into the verifier), or raw
// (r1 = input memory of --mem's length, or raw:SIZE; the default for .data files).
// Maps named in assembler text are 8-byte key, 8-byte value hash maps, as `bpfvm run`
// makes them. -v prints the register state after every instruction (log level 2).
import { MapType, type MapSpec } from '../../maps/types';
import type { CtxLayout, ProgType } from '../../program';
import { PERF_EVENT_DATA, PT_REGS } from '../../ctx/layouts';
import { TEST_TRACEPOINTS } from '../../verifier/tracepoints';
import { verify } from '../../verifier/index';
import { parseArgs, CliError, type Command } from '../command';
import { parseHexBytes, readProgramFile } from '../input';

function programType(label: string, inputSize: number): { type: ProgType; ctx: CtxLayout } {
  if (label === 'kprobe' || label === 'kretprobe' || label === 'uprobe') return { type: 'kprobe', ctx: PT_REGS };
  if (label === 'perf_event') return { type: 'perf_event', ctx: PERF_EVENT_DATA };
  const raw = /^raw(?::(\d+))?$/.exec(label);
  if (raw) {
    const size = raw[1] !== undefined ? Number(raw[1]) : inputSize;
    return { type: 'raw', ctx: { name: 'input', size, fields: [] } };
  }
  if (label.startsWith('tracepoint:')) {
    const name = label.slice('tracepoint:'.length);
    const ctx = TEST_TRACEPOINTS[name];
    if (!ctx) throw new CliError(`no built-in format for tracepoint '${name}' (known: ${Object.keys(TEST_TRACEPOINTS).join(', ')})`);
    return { type: 'tracepoint', ctx };
  }
  throw new CliError(`unknown program type '${label}' (kprobe, kretprobe, uprobe, tracepoint:CATEGORY:NAME, perf_event, raw[:SIZE])`);
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check a program with the verifier and print its log',
  usage: 'verify FILE [--type kprobe|kretprobe|uprobe|tracepoint:CAT:NAME|perf_event|raw[:SIZE]] [--prog NAME] [--mem HEX] [-v]',
  run(args, io) {
    const { positional, options } = parseArgs(args, ['--type', '--prog', '--mem'], ['-v', '--verbose']);
    if (positional.length !== 1) throw new CliError('verify takes one FILE');
    const prog = readProgramFile(positional[0], io.readFile);
    const input = options.has('--mem') ? parseHexBytes(options.get('--mem')!) : (prog.mem ?? new Uint8Array(0));
    const label = options.get('--type') ?? (prog.kind === 'data' || options.has('--mem') ? 'raw' : 'kprobe');
    const { type, ctx } = programType(label, input.length);
    let insns = prog.insns;
    const wanted = options.get('--prog');
    if (wanted !== undefined) {
      const found = prog.programs?.find((p) => p.name === wanted);
      if (!found) throw new CliError(`no program '${wanted}' in ${positional[0]}${prog.programs ? ` (it has ${prog.programs.map((p) => p.name).join(', ')})` : ''}`);
      insns = found.insns;
    }
    const maps: MapSpec[] = prog.mapSpecs ?? prog.maps.map((name) => ({ name, type: MapType.HASH, keySize: 8, valueSize: 8, maxEntries: 1024 }));
    const verbose = options.has('-v') || options.has('--verbose');
    const r = verify({ name: wanted ?? positional[0], type, insns, maps, ctx }, { logLevel: verbose ? 2 : 1 });
    if (r.ok) {
      io.out(verbose ? r.log : `${r.log.trimEnd().split('\n').pop()}\n`);
      return 0;
    }
    io.out(r.log);
    io.err(`bpfvm: ${positional[0]}: rejected at insn ${r.error?.insn}: ${r.error?.message}\n`);
    return 1;
  },
};
