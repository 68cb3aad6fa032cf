// Which program a binary runs: a table from executable paths to main functions. A
// resolved program runs the dynamic loader, enters main (uprobes on __libc_start_main and
// main), runs the main function and exits with its status through exit_group. Binaries
// without a registered main run a generic one (read the files named on the command line,
// write a little output).
import type { Program, Task } from '../kernel/task';
import { binaryOrGeneric } from '../user/binaries';
import { U, type Gen } from '../user/libc';
import { enterMain, exeStack, loader } from './startup';
import * as E from '../errno';

export type Main = (u: U, argv: readonly string[]) => Gen<number>;

const MAINS = new Map<string, Main>();

export function register(paths: readonly string[], main: Main): void {
  for (const p of paths) MAINS.set(p, main);
}

function mainFor(path: string): Main {
  return MAINS.get(path) ?? MAINS.get(path.replace(/^\/usr(?=\/(s?bin)\/)/, '')) ?? MAINS.get(`/usr${path}`) ?? genericMain;
}

/** The whole life of a process image: loader, main, exit. */
export function resolveProgram(path: string, argv: readonly string[]): Program {
  const main = mainFor(path);
  return (t: Task) => run(t, path, argv, main);
}

function* run(t: Task, path: string, argv: readonly string[], main: Main): Gen<number> {
  const exe = binaryOrGeneric(path);
  const u = new U(t, exeStack(exe.path, 'main'));
  yield* loader(u, exe);
  enterMain(u, exe, argv.length);
  const code = yield* main(u, argv);
  yield u.exit(code);
  return code;
}

/** Runs `main` in the current process image (used by programs that are really the same binary). */
export function* runMain(u: U, path: string, argv: readonly string[]): Gen<number> {
  return yield* mainFor(path)(u, argv);
}

export function hasMain(path: string): boolean {
  return MAINS.has(path);
}

/** What an unknown command does: read the files it names, print a line, exit. */
export function* genericMain(u: U, argv: readonly string[]): Gen<number> {
  yield u.cpu(200_000 + u.rng.int(800_000));
  let status = 0;
  for (const a of argv.slice(1)) {
    if (a.startsWith('-') || !a.includes('/')) continue;
    const n = yield* u.slurp(a, 65536);
    if (n === -E.ENOENT || n === -E.EACCES) status = 1;
  }
  yield u.print(1, `${argv[0]}: done\n`);
  return status;
}
