// execve for the processes of procs.ts: the path and arguments read from user memory,
// the binary opened and its pages read, the old image replaced (address space, comm,
// close-on-exec descriptors), with sched_process_exec, task_rename and the exec hooks.
import { binary } from '../user/binaries';
import { readUserString } from '../user/process-maps';
import type { Kernel } from './kernel';
import { TASK } from './offsets';
import { SIGKILL } from './proc-consts';
import { baseName, type Procs } from './procs';
import { kat, kin } from './stacks';
import type { KGen, Proc, Task } from './task';

const EXEC_STACK = ['bprm_execve', 'do_execveat_common', '__x64_sys_execve', 'x64_sys_call', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe'];

/** Replaces the task's program image. Generator: reads the binary (may block on I/O). */
export function* execve(procs: Procs, t: Task, pathAddr: number, argvAddr: number, envpAddr: number): KGen {
  const k = procs.k;
  const mem = k.mem;
  const p = t.proc;
  const path = readUserString(mem, p, pathAddr);
  if (path === null) return -14;
  const argv = readPtrArray(k, p, argvAddr);
  const envp = readPtrArray(k, p, envpAddr);
  const stack = kin(...EXEC_STACK);
  const res = yield* k.s.vfs.openExec(t, path, stack);
  if (typeof res === 'number') return res;
  let { file, fullPath } = res;
  // bprm->filename: the path as the caller gave it (comm, the exec tracepoint and a script's argv use it).
  const scriptPath = path;
  let args = argv.length ? argv : [path];
  const content = file.node?.content;
  if (content && content.startsWith('#!')) {
    // A script: run its interpreter with the script's path as an argument.
    const interp = content.slice(2, content.indexOf('\n')).trim().split(/\s+/);
    k.s.vfs.releaseFile(t, file);
    const r2 = yield* k.s.vfs.openExec(t, interp[0], stack);
    if (typeof r2 === 'number') return r2;
    file = r2.file;
    fullPath = r2.fullPath;
    args = [...interp, scriptPath, ...args.slice(1)];
  }
  const H = k.hooks;
  const bprm = H.k('bprm_execve');
  if (bprm.entry.on) k.kprobe(bprm, t, kat(...EXEC_STACK), 0);
  const sec = H.k('security_bprm_check');
  if (sec.entry.on) {
    const ov = k.kprobe(sec, t, kat('security_bprm_check', ...EXEC_STACK), 0);
    if (ov !== null && ov !== 0) {
      k.s.vfs.releaseFile(t, file);
      return ov;
    }
  }
  // A setuid binary runs with its owner as effective user.
  if (file.node && file.node.perm & 0o4000 && file.node.uid !== p.cred.euid) {
    const c = p.cred;
    p.cred = procs.objs.cred(c.uid, c.gid, file.node.uid === 0 ? (1n << 41n) - 1n : 0n, file.node.uid, c.egid);
    for (const th of p.threads) {
      mem.writePtr(th.lin + TASK.cred, p.cred.lin);
      mem.writePtr(th.lin + TASK.real_cred, p.cred.lin);
    }
  }
  // Point of no return: other threads die, the image is replaced.
  for (const other of [...p.threads]) if (other !== t) procs.exit(other, 0, SIGKILL);
  const exe = binary(fullPath) ?? procs.exeOf(fullPath);
  const oldComm = t.comm;
  const newComm = baseName(scriptPath);
  const setComm = H.k('__set_task_comm');
  if (setComm.entry.on) k.kprobe(setComm, t, kat('__set_task_comm', 'begin_new_exec', 'load_elf_binary', ...EXEC_STACK), t.lin, 0, 1);
  t.setComm(newComm);
  mem.u8.set(t.commBytes, t.lin + TASK.comm);
  const rename = H.tp('task', 'task_rename');
  if (rename.on) k.tracepoint(rename, t, kin('__set_task_comm', 'begin_new_exec', 'load_elf_binary', ...EXEC_STACK), [t.pid, oldComm, t.comm, 0]);
  k.s.vfs.closeOnExec(t);
  procs.layout(t, exe, args, envp);
  // The new image's text, data and stack pages fault in as it starts.
  t.faultDebt += 16 + (exe.textSize >> 16);
  p.argv = args;
  k.s.vfs.releaseFile(t, file);
  k.cost(t, 40_000);
  const hexec = H.tp('sched', 'sched_process_exec');
  if (hexec.on) k.tracepoint(hexec, t, kin('exec_binprm', ...EXEC_STACK), [scriptPath, t.pid, t.pid]);
  t.ustk = null;
  t.upend = null;
  const old = t.prog;
  t.prog = procs.resolver(fullPath, p.argv)(t);
  old?.return(0);
  return 0;
}

function readPtrArray(k: Kernel, p: Proc, addr: number): string[] {
  const out: string[] = [];
  if (!addr) return out;
  for (let i = 0; i < 256; i++) {
    const lin = p.user.translate(addr + i * 8, 8);
    if (lin < 0) break;
    const ptr = k.mem.readU32(lin) + k.mem.readU32(lin + 4) * 4294967296;
    if (!ptr) break;
    const s = readUserString(k.mem, p, ptr);
    if (s === null) break;
    out.push(s);
  }
  return out;
}
