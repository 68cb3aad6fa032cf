// bash and dash: a parser for the command lines people and scripts run (words, quotes,
// variables, `;`, `&&`, `||`, pipelines, redirections, background jobs), builtins, PATH
// lookup with a command hash, fork/exec/wait, and interactive bash reading its terminal a
// keystroke at a time through readline (the uprobe/uretprobe bashreadline watches).
import * as E from '../errno';
import type { Task } from '../kernel/task';
import { NR, U, type Gen } from '../user/libc';
import type { UStack } from '../user/ustack';
import { killArgs, sendSignal } from './proctools';
import { exeStack } from './startup';
import { register } from './registry';

const BASH = '/bin/bash';
const DASH = '/usr/bin/dash';
const PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export interface Redirect {
  fd: number;
  to: string | number;
  append: boolean;
}

export interface Cmd {
  words: string[];
  redirects: Redirect[];
}

/** A pipeline with how it joins the next one. */
export interface Pipeline {
  cmds: Cmd[];
  join: ';' | '&&' | '||' | '&' | '';
}

/** Splits a command line into pipelines (no expansion beyond $VAR and quotes). */
export function parseLine(line: string, vars: Record<string, string> = {}): Pipeline[] {
  const out: Pipeline[] = [];
  let cmds: Cmd[] = [];
  let cmd: Cmd = { words: [], redirects: [] };
  let word = '';
  let inWord = false;
  let pendingRedirect: Redirect | null = null;
  const endWord = () => {
    if (!inWord) return;
    if (pendingRedirect) {
      pendingRedirect.to = word;
      cmd.redirects.push(pendingRedirect);
      pendingRedirect = null;
    } else cmd.words.push(word);
    word = '';
    inWord = false;
  };
  const endCmd = () => {
    endWord();
    if (cmd.words.length || cmd.redirects.length) cmds.push(cmd);
    cmd = { words: [], redirects: [] };
  };
  const endPipeline = (join: Pipeline['join']) => {
    endCmd();
    if (cmds.length) out.push({ cmds, join });
    cmds = [];
  };
  const expand = (name: string) => vars[name] ?? '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const j = line.indexOf("'", i + 1);
      word += line.slice(i + 1, j < 0 ? line.length : j);
      inWord = true;
      i = j < 0 ? line.length : j;
    } else if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '$') {
          const m = /^\$(\w+|\?)/.exec(line.slice(j));
          if (m) {
            word += expand(m[1]);
            j += m[0].length;
            continue;
          }
        }
        word += line[j++];
      }
      inWord = true;
      i = j;
    } else if (c === '$') {
      const m = /^\$(\w+|\?)/.exec(line.slice(i));
      if (m) {
        word += expand(m[1]);
        inWord = true;
        i += m[0].length - 1;
      } else {
        word += c;
        inWord = true;
      }
    } else if (c === ' ' || c === '\t' || c === '\n') {
      endWord();
      if (c === '\n') endPipeline(';');
    } else if (c === ';') endPipeline(';');
    else if (c === '&' && line[i + 1] === '&') {
      endPipeline('&&');
      i++;
    } else if (c === '|' && line[i + 1] === '|') {
      endPipeline('||');
      i++;
    } else if (c === '|') endCmd();
    else if (c === '&' && line[i + 1] !== '>') endPipeline('&');
    else if (c === '>' || c === '<' || ((c === '2' || c === '1') && line[i + 1] === '>' && !inWord)) {
      endWord();
      let fd = c === '<' ? 0 : 1;
      if (c === '2' || c === '1') {
        fd = Number(c);
        i++;
      }
      const append = line[i + 1] === '>';
      if (append) i++;
      if (line[i + 1] === '&') {
        cmd.redirects.push({ fd, to: Number(line[i + 2]), append: false });
        i += 2;
        continue;
      }
      pendingRedirect = { fd, to: '', append };
    } else if (c === '#' && !inWord) {
      // A comment (a script's #! line too) runs to the end of its line.
      const j = line.indexOf('\n', i);
      if (j < 0) break;
      i = j - 1;
    }
    else {
      word += c;
      inWord = true;
    }
  }
  endPipeline('');
  return out;
}

type Where = 'lookup' | 'fork' | 'wait' | 'exec' | 'run';

const BASH_FRAMES: Record<Where, string[]> = {
  lookup: ['find_user_command', 'search_for_command', 'execute_disk_command', 'execute_simple_command', 'execute_command_internal', 'execute_command', 'reader_loop'],
  fork: ['make_child', 'execute_disk_command', 'execute_simple_command', 'execute_command_internal', 'execute_command', 'reader_loop'],
  wait: ['waitchld', 'wait_for', 'execute_command_internal', 'execute_command', 'reader_loop'],
  exec: ['shell_execve', 'execute_disk_command', 'execute_simple_command', 'execute_command_internal', 'execute_command', 'reader_loop'],
  run: ['execute_command', 'parse_and_execute'],
};
const DASH_FRAMES: Record<Where, string[]> = {
  lookup: ['evalcommand', 'evaltree'],
  fork: ['forkshell', 'evalcommand', 'evaltree'],
  wait: ['waitforjob', 'evalcommand', 'evaltree'],
  exec: ['shellexec', 'evalcommand', 'evaltree'],
  run: ['evaltree'],
};

function frames(sh: ShellState, where: Where): UStack {
  return exeStack(sh.exe, ...(sh.exe === BASH ? BASH_FRAMES : DASH_FRAMES)[where]);
}

interface ShellState {
  vars: Record<string, string>;
  hash: Map<string, string>;
  status: number;
  exe: string;
  bgJobs: number[];
}

/** Finds a command along PATH (stat of each candidate, as bash does before hashing it). */
function* lookup(u: U, sh: ShellState, name: string): Gen<string | null> {
  if (name.includes('/')) return name;
  const hit = sh.hash.get(name);
  if (hit) return hit;
  u.at(frames(sh, 'lookup'));
  for (const d of PATH_DIRS) {
    const r = yield u.sys(NR.newfstatat, -100, u.str(`${d}/${name}`), u.buf('stat', 144), 0);
    if (r === 0) {
      sh.hash.set(name, `${d}/${name}`);
      return `${d}/${name}`;
    }
  }
  return null;
}

const BUILTINS = new Set(['cd', 'export', 'exit', 'true', 'false', ':', 'echo', 'history', 'set', 'unset', 'source', '.', 'wait', 'read', 'alias', 'kill']);

function* builtin(u: U, sh: ShellState, words: string[]): Gen<number> {
  const [name, ...args] = words;
  switch (name) {
    case 'cd': {
      const dir = args[0] ?? sh.vars.HOME ?? '/';
      const r = yield u.sys(NR.chdir, u.str(dir));
      if (r < 0) {
        yield u.print(2, `bash: cd: ${dir}: No such file or directory\n`);
        return 1;
      }
      return 0;
    }
    case 'export':
      for (const a of args) {
        const i = a.indexOf('=');
        if (i > 0) sh.vars[a.slice(0, i)] = a.slice(i + 1);
      }
      return 0;
    case 'echo':
      yield u.print(1, `${args.join(' ')}\n`);
      return 0;
    case 'false':
      return 1;
    case 'wait':
      while (sh.bgJobs.length) {
        const r = yield* u.wait(-1);
        if (r.pid <= 0) break;
        sh.bgJobs = sh.bgJobs.filter((p) => p !== r.pid);
      }
      return 0;
    case 'kill': {
      // The builtin: signals pids or jobs (`kill %1`) through kill(2).
      const who = sh.exe === BASH ? 'bash: kill' : 'sh: kill';
      const { sig, pids, bad } = killArgs(args, (n) => sh.bgJobs[n - 1]);
      for (const b of bad) yield u.print(2, `${who}: ${b}: ${b.startsWith('%') ? 'no such job' : 'arguments must be process or job IDs'}\n`);
      if (pids.length === 0) return 1;
      return yield* sendSignal(u, sig, pids, who);
    }
    case 'exit':
      sh.vars.__exit = args[0] ?? String(sh.status);
      return Number(args[0] ?? sh.status);
    default:
      return 0;
  }
}

/** Opens the redirections of a command in the child (before exec). */
function* redirect(u: U, redirects: Redirect[]): Gen<boolean> {
  for (const r of redirects) {
    if (typeof r.to === 'number') {
      yield u.dup2(r.to, r.fd);
      continue;
    }
    const flags = r.fd === 0 ? E.O_RDONLY : E.O_WRONLY | E.O_CREAT | (r.append ? E.O_APPEND : E.O_TRUNC);
    const fd = yield u.open(r.to, flags, 0o644);
    if (fd < 0) {
      yield u.print(2, `bash: ${r.to}: ${fd === -E.EACCES ? 'Permission denied' : 'No such file or directory'}\n`);
      return false;
    }
    yield u.dup2(fd, r.fd);
    yield u.close(fd);
  }
  return true;
}

/** Runs one pipeline; returns its status (of the last command). */
function* runPipeline(u: U, sh: ShellState, p: Pipeline): Gen<number> {
  if (p.cmds.length === 1 && BUILTINS.has(p.cmds[0].words[0]) && p.cmds[0].redirects.length === 0) return yield* builtin(u, sh, p.cmds[0].words);
  const pids: number[] = [];
  let prevRead = -1;
  for (let i = 0; i < p.cmds.length; i++) {
    const c = p.cmds[i];
    const last = i === p.cmds.length - 1;
    let pipeR = -1;
    let pipeW = -1;
    if (!last) [pipeR, pipeW] = yield* u.pipe();
    const words = c.words;
    const path = words.length && !BUILTINS.has(words[0]) ? yield* lookup(u, sh, words[0]) : null;
    const inFd = prevRead;
    const outFd = pipeW;
    u.at(frames(sh, 'fork'));
    const pid = yield u.fork((t: Task) => child(t, u, sh, c, path, inFd, outFd, pipeR));
    if (pid > 0) pids.push(pid);
    if (prevRead >= 0) yield u.close(prevRead);
    if (pipeW >= 0) yield u.close(pipeW);
    prevRead = pipeR;
  }
  if (p.join === '&') {
    sh.bgJobs.push(...pids);
    return 0;
  }
  u.at(frames(sh, 'wait'));
  let status = 0;
  for (const pid of pids) {
    const r = yield* u.wait(pid);
    if (r.pid === pid) status = r.status & 0x7f ? 128 + (r.status & 0x7f) : (r.status >> 8) & 0xff;
  }
  return status;
}

/** The child side of a command: set up fds, exec, report failure. */
function* child(t: Task, parentU: U, sh: ShellState, c: Cmd, path: string | null, inFd: number, outFd: number, closeFd: number): Gen<number> {
  const u = new U(t, parentU.here);
  u.at(frames(sh, 'exec'));
  if (closeFd >= 0) yield u.close(closeFd);
  if (inFd >= 0) {
    yield u.dup2(inFd, 0);
    yield u.close(inFd);
  }
  if (outFd >= 0) {
    yield u.dup2(outFd, 1);
    yield u.close(outFd);
  }
  if (!(yield* redirect(u, c.redirects))) return yield u.exit(1);
  if (c.words.length === 0) return yield u.exit(0);
  if (BUILTINS.has(c.words[0])) return yield u.exit(yield* builtin(u, sh, c.words));
  if (!path) {
    yield u.print(2, `${sh.exe === BASH ? 'bash' : 'sh'}: ${c.words[0]}: command not found\n`);
    return yield u.exit(127);
  }
  const sym = `${sh.exe}:shell_execve`;
  if (sh.exe === BASH) u.enter(sym, u.str(path), u.strArray('argv', c.words), 0);
  const r = yield u.exec(path, c.words);
  if (sh.exe === BASH) u.leave(sym, r);
  yield u.print(2, `bash: ${path}: ${r === -E.EACCES ? 'Permission denied' : 'No such file or directory'}\n`);
  return yield u.exit(r === -E.EACCES ? 126 : 127);
}

/** Runs a script text (bash -c, sh script.sh, cron lines). `while true; do ...; done` loops. */
export function* runScript(u: U, sh: ShellState, text: string): Gen<number> {
  const loop = /^\s*while\s+(true|:)\s*;\s*do\s+([\s\S]*?);?\s*done\s*$/.exec(text);
  if (loop) {
    for (;;) {
      yield* runScript(u, sh, loop[2]);
      if (sh.vars.__exit !== undefined) return Number(sh.vars.__exit);
    }
  }
  for (const p of parseLine(text, sh.vars)) {
    if (p.join === '&&' && sh.status !== 0) continue;
    u.at(frames(sh, 'run'));
    const st = yield* runPipeline(u, sh, p);
    if (sh.vars.__exit !== undefined) return Number(sh.vars.__exit);
    sh.status = st;
    sh.vars['?'] = String(st);
  }
  return sh.status;
}

function state(u: U, exe: string): ShellState {
  const uid = u.t.proc.cred.uid;
  return { vars: { HOME: uid === 0 ? '/root' : uid === 1000 ? '/home/alice' : '/tmp', USER: uid === 0 ? 'root' : 'alice', PATH: PATH_DIRS.join(':'), '?': '0' }, hash: new Map(), status: 0, exe, bgJobs: [] };
}

/** Reads a descriptor to its end (a script piped into the shell) and returns the text. */
function* readAll(u: U, fd: number): Gen<string> {
  const dec = new TextDecoder();
  let text = '';
  for (;;) {
    const buf = u.buf('script', 8192);
    const n = yield u.read(fd, buf, 8192);
    if (n <= 0) break;
    const lin = u.t.proc.user.translate(buf, Math.min(n, 8192));
    if (lin >= 0) text += dec.decode(u.k.mem.u8.subarray(lin, lin + Math.min(n, 8192))).replace(/\0/g, '');
    if (text.length > 65536) break;
  }
  return text;
}

/** Interactive bash: prompt, readline (one read(0, buf, 1) per keystroke), execute, repeat. */
function* interactive(u: U, sh: ShellState): Gen<number> {
  const home = sh.vars.HOME;
  yield* u.slurp(`${home}/.bashrc`);
  yield* u.slurp(`${home}/.bash_history`, 16384);
  yield u.sys(NR.ioctl, 0, 0x5401, u.buf('termios', 64));
  u.t.proc.reaps = true;
  for (let n = 0; ; n++) {
    const prompt = `${sh.vars.USER}@${u.k.s.procs.hostname}:~$ `;
    u.at(exeStack(BASH, 'yyparse', 'parse_command', 'reader_loop'));
    yield u.print(2, prompt);
    const line = yield* u.fn(
      `${BASH}:readline`,
      [u.str(prompt)],
      function* (): Gen<string | null> {
        let text = '';
        u.at(exeStack(BASH, 'rl_getc', 'readline_internal_char', 'readline', 'yyparse', 'parse_command', 'reader_loop'));
        for (;;) {
          const r = yield u.read(0, u.buf('rl', 8), 1);
          if (r <= 0) return text.length ? text : null;
          const lin = u.t.proc.user.translate(u.buf('rl', 8), 1);
          const ch = lin >= 0 ? String.fromCharCode(u.k.mem.u8[lin]) : '\n';
          if (ch === '\n') return text;
          text += ch;
          if (text.length > 4000) return text;
        }
      },
      (l) => (l === null ? 0 : u.str(l)),
    );
    if (line === null) break;
    if (!line.trim()) continue;
    u.at(exeStack(BASH, 'add_history', 'reader_loop'));
    u.malloc(line.length + 1);
    const st = yield* runScript(u, sh, line);
    if (sh.vars.__exit !== undefined) return st;
    sh.status = st;
  }
  yield* u.appendLine(`${home}/.bash_history`, 'exit');
  return sh.status;
}

function* shellMain(u: U, argv: readonly string[], exe: string): Gen<number> {
  const sh = state(u, exe);
  u.t.proc.reaps = true;
  const c = argv.indexOf('-c');
  if (c >= 0 && argv[c + 1] !== undefined) return yield* runScript(u, sh, argv[c + 1]);
  const script = argv.slice(1).find((a) => !a.startsWith('-'));
  const stdin = u.k.s.vfs.fdGet(u.t.proc, 0);
  if (!script && stdin && stdin.kind === 'pipe') return yield* runScript(u, sh, yield* readAll(u, 0));
  if (script) {
    const fd = yield u.open(script);
    if (fd < 0) {
      yield u.print(2, `${exe === BASH ? 'bash' : 'sh'}: ${script}: No such file or directory\n`);
      return 127;
    }
    yield u.read(fd, u.buf('script', 8192), 8192);
    yield u.close(fd);
    const node = u.k.s.vfs.lookupAsRoot(script);
    return yield* runScript(u, sh, node?.content ?? 'true');
  }
  return yield* interactive(u, sh);
}

register([BASH], (u, argv) => shellMain(u, argv, BASH));
register([DASH, '/bin/dash', '/bin/sh'], (u, argv) => shellMain(u, argv, DASH));
