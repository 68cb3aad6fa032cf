// A C build: make (reads the Makefile, stats targets and sources, runs recipes through
// /bin/sh in parallel jobs), the gcc driver (runs cc1, as, then collect2/ld), cc1 (CPU
// heavy, opening every header it includes along the include path, with ENOENT misses),
// as and ld. Fork/exec heavy, as execsnoop shows on a real build.
import * as E from '../errno';
import type { Task } from '../kernel/task';
import { NR, U, type Gen } from '../user/libc';
import { HEADERS, PROJECT_SOURCES } from '../fs/tree-data';
import { exeStack } from './startup';
import { register } from './registry';

const CC1 = '/usr/libexec/gcc/x86_64-linux-gnu/13/cc1';
const INCLUDE_PATH = ['include', '/usr/local/include', '/usr/include/x86_64-linux-gnu', '/usr/include', '/usr/lib/gcc/x86_64-linux-gnu/13/include'];
const SYS_HEADERS = Object.keys(HEADERS).filter((h) => !h.startsWith('/') && !h.includes('/'));

function sources(): string[] {
  return Object.keys(PROJECT_SOURCES).filter((p) => p.endsWith('.c'));
}

function* spawnWait(u: U, path: string, argv: string[]): Gen<number> {
  const pid = yield u.fork(function* (t: Task) {
    const c = new U(t, u.here);
    yield c.exec(path, argv);
    return yield c.exit(127);
  });
  if (pid < 0) return 1;
  const r = yield* u.wait(pid);
  return (r.status >> 8) & 0xff;
}

function* make(u: U, argv: readonly string[]): Gen<number> {
  const jobs = Number((argv.find((a) => a.startsWith('-j')) ?? '-j4').slice(2)) || 4;
  const clean = argv.includes('clean');
  u.at(exeStack('/usr/bin/make', 'update_goal_chain'));
  u.t.proc.reaps = true;
  const mk = yield u.open('Makefile');
  if (mk < 0) {
    yield u.print(2, "make: *** No targets specified and no makefile found.  Stop.\n");
    return 2;
  }
  yield u.read(mk, u.buf('mk', 8192), 8192);
  yield u.close(mk);
  const srcs = sources();
  if (clean) return yield* spawnWait(u, '/bin/sh', ['/bin/sh', '-c', `rm -f ${srcs.map((s) => s.replace(/\.c$/, '.o')).join(' ')} app`]);
  u.at(exeStack('/usr/bin/make', 'f_mtime', 'update_file', 'update_goal_chain'));
  for (const s of srcs) {
    yield u.stat(s);
    yield u.stat(s.replace(/\.c$/, '.o'));
  }
  // Run the compile recipes, `jobs` at a time.
  let running = 0;
  let status = 0;
  for (const s of srcs) {
    while (running >= jobs) {
      u.at(exeStack('/usr/bin/make', 'reap_children', 'update_goal_chain'));
      const r = yield* u.wait(-1);
      running--;
      if (r.status) status = 2;
    }
    u.at(exeStack('/usr/bin/make', 'child_execute_job', 'start_job_command', 'new_job', 'remake_file', 'update_file'));
    const o = s.replace(/\.c$/, '.o');
    yield u.print(1, `gcc -O2 -Wall -Iinclude -c -o ${o} ${s}\n`);
    yield u.fork(function* (t: Task) {
      const c = new U(t, u.here);
      yield c.exec('/bin/sh', ['/bin/sh', '-c', `gcc -O2 -Wall -Iinclude -c -o ${o} ${s}`]);
      return yield c.exit(127);
    });
    running++;
  }
  while (running > 0) {
    const r = yield* u.wait(-1);
    running--;
    if (r.pid < 0) break;
    if (r.status) status = 2;
  }
  if (status) return status;
  yield u.print(1, 'gcc -o app src/*.o -lz\n');
  return yield* spawnWait(u, '/usr/bin/gcc', ['gcc', '-o', 'app', ...srcs.map((s) => s.replace(/\.c$/, '.o')), '-lz']);
}

function* gcc(u: U, argv: readonly string[]): Gen<number> {
  u.at(exeStack('/usr/bin/gcc', 'execute', 'do_spec'));
  u.t.proc.reaps = true;
  const compile = argv.includes('-c');
  const src = argv.find((a) => a.endsWith('.c'));
  const out = argv[argv.indexOf('-o') + 1] ?? 'a.out';
  for (const d of ['/usr/lib/gcc/x86_64-linux-gnu/13/', '/usr/libexec/gcc/x86_64-linux-gnu/13/']) yield u.access(`${d}cc1`, 1);
  if (compile && src) {
    const tmp = `/tmp/cc${u.rng.u32().toString(36).slice(0, 6)}.s`;
    let st = yield* spawnWait(u, CC1, [CC1, '-quiet', '-Iinclude', src, '-O2', '-o', tmp]);
    if (st) return st;
    st = yield* spawnWait(u, '/usr/bin/as', ['as', '--64', '-o', out, tmp]);
    yield u.unlink(tmp);
    return st;
  }
  return yield* spawnWait(u, '/usr/bin/ld', ['/usr/bin/ld', '-o', out, '/usr/lib/x86_64-linux-gnu/crt1.o', ...argv.filter((a) => a.endsWith('.o')), '-lz', '-lc']);
}

function* cc1(u: U, argv: readonly string[]): Gen<number> {
  const src = argv.find((a) => a.endsWith('.c')) ?? 'src/main.c';
  const out = argv[argv.indexOf('-o') + 1];
  const at = (...f: string[]) => exeStack(CC1, ...f, 'toplev_main');
  u.at(at('cpp_read_main_file', 'compile_file'));
  const fd = yield u.open(src, E.O_RDONLY | E.O_NOCTTY);
  if (fd < 0) {
    yield u.print(2, `cc1: fatal error: ${src}: No such file or directory\n`);
    return 1;
  }
  yield u.fstat(fd);
  yield u.read(fd, u.buf('src', 32768), 32768);
  yield u.close(fd);
  // Includes: search each header along the include path (misses are ENOENT opens).
  const local = Object.keys(PROJECT_SOURCES).filter((p) => p.startsWith('include/')).map((p) => p.slice(8));
  const wanted = [...local.slice(0, 2 + u.rng.int(3)), ...SYS_HEADERS.filter(() => u.rng.chance(0.35)), 'features.h', 'stdc-predef.h', 'stddef.h'];
  u.at(at('_cpp_find_file', '_cpp_lex_token', 'c_parser_translation_unit', 'c_parse_file', 'compile_file'));
  for (const h of wanted) {
    const dirs = local.includes(h) ? ['include'] : INCLUDE_PATH.slice(1);
    for (const d of dirs) {
      const hfd = yield u.open(`${d}/${h}`, E.O_RDONLY | E.O_NOCTTY);
      if (hfd < 0) continue;
      yield u.fstat(hfd);
      yield u.read(hfd, u.buf('hdr', 32768), 32768);
      yield u.close(hfd);
      break;
    }
  }
  const size = PROJECT_SOURCES[src] ?? 10_000;
  yield u.cpu(40e6 + size * 4_000 * u.rng.lognormal(1, 0.3), at('c_parser_declaration_or_fndef', 'c_parser_translation_unit', 'c_parse_file', 'compile_file'));
  for (let i = 0; i < 6; i++) {
    const [ns, fn] = u.rng.pick([
      [8e6, 'execute_one_pass'],
      [5e6, 'df_analyze'],
      [7e6, 'lra'],
      [3e6, 'expand_gimple_stmt'],
      [2e6, 'ggc_internal_alloc'],
    ] as const);
    yield u.cpu(ns * u.rng.lognormal(1, 0.5), at(fn, 'rest_of_compilation', 'compile_file'));
    if (i % 2 === 0) yield u.sys(NR.brk, u.t.proc.heapEnd + 0x400000 * (i + 1));
  }
  u.at(at('final_scan_insn', 'rest_of_compilation', 'compile_file'));
  const o = yield u.open(out ?? '/tmp/cc.s', E.O_WRONLY | E.O_CREAT | E.O_TRUNC, 0o644);
  for (let i = 0; i < 4; i++) yield u.write(o, u.buf('asm', 16384), 16384);
  yield u.close(o);
  return 0;
}

function* as(u: U, argv: readonly string[]): Gen<number> {
  const inp = argv[argv.length - 1];
  const out = argv[argv.indexOf('-o') + 1];
  u.at(exeStack('/usr/bin/as', 'read_a_source_file', 'perform_an_assembly_pass'));
  yield* u.slurp(inp, 65536);
  yield u.cpu(15e6 * u.rng.lognormal(1, 0.3), exeStack('/usr/bin/as', 'md_assemble', 'read_a_source_file', 'perform_an_assembly_pass'));
  u.at(exeStack('/usr/bin/as', 'write_object_file'));
  const fd = yield u.open(out, E.O_RDWR | E.O_CREAT | E.O_TRUNC, 0o666);
  yield u.write(fd, u.buf('obj', 16384), 12_000 + u.rng.int(40_000));
  yield u.close(fd);
  return 0;
}

function* ld(u: U, argv: readonly string[]): Gen<number> {
  const out = argv[argv.indexOf('-o') + 1] ?? 'a.out';
  u.at(exeStack('/usr/bin/ld', 'ldlang_add_file', 'lang_process'));
  for (const o of argv.filter((a) => a.endsWith('.o') || a.endsWith('.a'))) {
    yield* u.slurp(o, 65536);
  }
  yield* u.slurp('/usr/lib/x86_64-linux-gnu/libc.so');
  yield u.open('/usr/lib/x86_64-linux-gnu/libz.so', E.O_RDONLY);
  yield u.cpu(60e6 * u.rng.lognormal(1, 0.3), exeStack('/usr/bin/ld', 'elf_link_add_object_symbols', 'lang_process'));
  u.at(exeStack('/usr/bin/ld', 'bfd_elf_final_link', 'lang_process'));
  const fd = yield u.open(out, E.O_RDWR | E.O_CREAT | E.O_TRUNC, 0o755);
  for (let i = 0; i < 8; i++) yield u.write(fd, u.buf('elf', 32768), 32768);
  yield u.close(fd);
  yield u.sys(NR.chmod, u.str(out), 0o755);
  return 0;
}

register(['/usr/bin/make'], make);
register(['/usr/bin/gcc'], gcc);
register([CC1], cc1);
register(['/usr/bin/as'], as);
register(['/usr/bin/ld'], ld);
