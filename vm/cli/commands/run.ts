// `bpfvm run FILE [--mem HEX] [--no-jit] [--dump-jit] [--budget N] [--no-verify]`: runs a program as the
// conformance suite does (r1 = the input memory, r2 = its length) with a fixed helper
// environment, and prints r0 in hex. Maps named in assembler text are created as 8-byte
// key, 8-byte value hash maps of 1024 entries; an ELF object brings its own maps, and
// --prog picks one of its programs (the first by default). --dump-jit first prints what the engine
// made of the program (for engines that compile). A fault prints its slot and reason and
// exits 1. The verifier checks the program first (as a 'raw' program); --no-verify skips
// it and runs on the interpreter only.
import { Region } from '../../memory/memory';
import { Machine } from '../../machine';
import { loadPrograms } from '../../loader';
import { FixedEnv } from '../../helpers/fixed-env';
import { MapType, type MapSpec } from '../../maps/types';
import { DEFAULT_BUDGET } from '../../engine';
import { parseArgs, CliError, type Command } from '../command';
import { parseHexBytes, readProgramFile } from '../input';
import { ENGINES } from '../../engines';
import { verifierCheck } from '../../verifier/load-check';

export const runCommand: Command = {
  name: 'run',
  summary: 'run a program and print r0',
  usage: 'run FILE [--mem HEX] [--prog NAME] [--no-jit] [--dump-jit] [--budget N] [--no-verify]',
  run(args, io) {
    const { positional, options } = parseArgs(args, ['--mem', '--budget', '--prog'], ['--no-jit', '--dump-jit', '--no-verify']);
    if (positional.length !== 1) throw new CliError('run takes one FILE');
    const prog = readProgramFile(positional[0], io.readFile);
    const input = options.has('--mem') ? parseHexBytes(options.get('--mem')!) : (prog.mem ?? new Uint8Array(0));
    const budget = options.has('--budget') ? Number(options.get('--budget')) : DEFAULT_BUDGET;
    if (!Number.isInteger(budget) || budget <= 0) throw new CliError(`--budget needs a positive integer, got '${options.get('--budget')}'`);
    const verified = !options.has('--no-verify');
    const engine = options.has('--no-jit') || !verified ? ENGINES.find((e) => e.name === 'interpreter')! : ENGINES[0];
    if (options.has('--dump-jit') && !engine.dump) throw new CliError(`--dump-jit: the ${engine.name} engine does not compile programs`);
    const machine = new Machine();
    const maps: MapSpec[] = prog.mapSpecs ?? prog.maps.map((name) => ({ name, type: MapType.HASH, keySize: 8, valueSize: 8, maxEntries: 1024 }));
    let insns = prog.insns;
    const wanted = options.get('--prog');
    if (wanted !== undefined) {
      const found = prog.programs?.find((p) => p.name === wanted);
      if (!found) throw new CliError(`no program '${wanted}' in ${positional[0]}${prog.programs ? ` (it has ${prog.programs.map((p) => p.name).join(', ')})` : ''}`);
      insns = found.insns;
    }
    const loaded = loadPrograms(machine, [{ name: positional[0], type: 'raw', insns, maps, ctx: { name: 'input', size: input.length, fields: [] } }], { engine, check: verified ? verifierCheck() : undefined });
    if (!loaded.ok) throw new CliError(loaded.errors.join('\n'));
    if (options.has('--dump-jit')) io.out(loaded.programs[0].dump() ?? '');
    const lin = input.length ? machine.mem.allocBytes(input, Region.CTX) : 0;
    const r = loaded.programs[0].run(lin ? machine.mem.addr(lin) : 0n, new FixedEnv({ nrCpus: machine.nrCpus }), { r2: BigInt(input.length), budget });
    if (!r.ok) {
      io.err(`bpfvm: fault at slot ${r.fault.pc} (${r.fault.kind}): ${r.fault.message}\n`);
      return 1;
    }
    io.out(`0x${r.r0.toString(16)}\n`);
    return 0;
  },
};
