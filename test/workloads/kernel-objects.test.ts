// Kernel objects in simulated memory, walked by field path through the type table exactly as
// a compiled program's probe reads would, agree with the kernel's own state: tasks and
// their parents, credentials, namespaces and cgroups, command lines in user memory, open
// files and their dentries, sockets, and the run queues.
import { describe, expect, it } from 'vitest';
import { System } from '../../workloads/system';
import { kernelTypes } from '../../workloads/btf/table';
import type { Memory } from '../../vm/memory/memory';
import { Sock, TCP } from '../../workloads/net/sock';

const T = kernelTypes();

/** Reads a field path from a kernel object at a kernel-visible address (following pointers through `->`). */
function read(mem: Memory, addr: bigint, record: string, path: string): bigint {
  let cur = addr;
  let rec = record;
  const hops = path.split('->');
  for (let i = 0; i < hops.length; i++) {
    const f = T.field(rec, hops[i]);
    const r = T.resolve(f.type);
    const size = r.kind === 'ptr' ? 8 : r.kind === 'int' || r.kind === 'enum' ? r.size : 8;
    const lin = mem.kernelLin(cur + BigInt(f.offset), size);
    if (lin < 0) throw new Error(`fault reading ${path} at hop ${i}`);
    const v = size === 8 ? mem.readU64(lin) : size === 4 ? BigInt(mem.readU32(lin)) : size === 2 ? BigInt(mem.readU16(lin)) : BigInt(mem.u8[lin]);
    if (i === hops.length - 1) return v;
    if (r.kind !== 'ptr') throw new Error(`${hops[i]} is not a pointer`);
    cur = v;
    const to = T.resolve(r.to);
    if (to.kind !== 'struct' && to.kind !== 'union') throw new Error(`${hops[i]} does not point to a record`);
    rec = to.name;
  }
  return cur;
}

function readStr(mem: Memory, addr: bigint, max = 64): string {
  const lin = mem.kernelLin(addr, 1);
  return lin < 0 ? '<fault>' : mem.readCString(lin, max);
}

describe('kernel objects', () => {
  const s = new System({ workload: 'containers', seed: 6 });
  s.runFor(600e6);
  const k = s.kernel;
  const mem = k.mem;
  const tasks = [...k.tasks.values()].filter((t) => !t.exitState && !t.idle);

  it('task_struct fields match every live task', () => {
    expect(tasks.length).toBeGreaterThan(20);
    for (const t of tasks) {
      const a = mem.addr(t.lin);
      expect(Number(read(mem, a, 'task_struct', 'pid'))).toBe(t.pid);
      expect(Number(read(mem, a, 'task_struct', 'tgid'))).toBe(t.tgid);
      expect(readStr(mem, a + BigInt(T.field('task_struct', 'comm').offset), 16)).toBe(t.comm);
      if (t.parent) expect(Number(read(mem, a, 'task_struct', 'real_parent->pid'))).toBe(t.parent.pid);
      expect(Number(read(mem, a, 'task_struct', 'group_leader->pid'))).toBe(t.leader.pid);
      expect(Number(read(mem, a, 'task_struct', 'cred->uid.val'))).toBe(t.proc.cred.uid);
      expect(Number(read(mem, a, 'task_struct', 'cred->euid.val'))).toBe(t.proc.cred.euid);
    }
  });

  it('kernel threads have no mm and user tasks have their command line at mm->arg_start', () => {
    for (const t of tasks) {
      const a = mem.addr(t.lin);
      const mm = read(mem, a, 'task_struct', 'mm');
      if (t.kthread) {
        expect(mm).toBe(0n);
        continue;
      }
      const start = Number(read(mem, a, 'task_struct', 'mm->arg_start'));
      const end = Number(read(mem, a, 'task_struct', 'mm->arg_end'));
      const lin = t.proc.user.translate(start, end - start);
      expect(lin).toBeGreaterThan(0);
      const args = new TextDecoder().decode(mem.u8.subarray(lin, lin + end - start)).split('\0').filter(Boolean);
      expect(args).toEqual(t.proc.argv);
    }
  });

  it('containers show in the cgroup id, pid namespace and hostname', () => {
    const web = tasks.filter((t) => !t.proc.container.host);
    expect(web.length).toBeGreaterThan(2);
    for (const t of [...web, ...tasks.slice(0, 5)]) {
      const a = mem.addr(t.lin);
      expect(read(mem, a, 'task_struct', 'cgroups->dfl_cgrp->kn->id')).toBe(t.proc.container.cgroupId);
      expect(readStr(mem, read(mem, a, 'task_struct', 'cgroups->dfl_cgrp->kn->name'), 256)).toBe(t.proc.container.cgroupPath.split('/').pop() || '/');
      const level = Number(read(mem, a, 'task_struct', 'nsproxy->pid_ns_for_children->level'));
      expect(level).toBe(t.proc.container.pidNsLevel);
      const uts = read(mem, a, 'task_struct', 'nsproxy->uts_ns') + BigInt(T.field('uts_namespace', 'name.nodename').offset);
      expect(readStr(mem, uts)).toBe(t.proc.container.host ? 'web-01' : t.proc.container.name);
      const pid = read(mem, a, 'task_struct', 'thread_pid');
      const upidSize = BigInt(T.sizeOf({ kind: 'struct', name: 'upid' }));
      const numbers = pid + BigInt(T.field('pid', 'numbers').offset);
      expect(Number(read(mem, numbers + upidSize * BigInt(level), 'upid', 'nr'))).toBe(level ? t.nsPid : t.pid);
    }
  });

  it('open files lead to their dentries and inodes', () => {
    let checked = 0;
    for (const t of tasks) {
      t.proc.fds.forEach((e, fd) => {
        if (!e || e.file.kind !== 'file') return;
        const f = e.file as import('../../workloads/fs/file').OpenFile;
        const fdt = read(mem, mem.addr(t.lin), 'task_struct', 'files->fdt->fd');
        const lin = mem.kernelLin(fdt + BigInt(8 * fd), 8);
        const file = mem.readU64(lin);
        expect(file).toBe(mem.addr(f.lin));
        const name = readStr(mem, read(mem, file, 'file', 'f_path.dentry->d_name.name'));
        expect(name).toBe(f.node!.name || '/');
        expect(Number(read(mem, file, 'file', 'f_inode->i_ino'))).toBe(f.node!.ino);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(3);
  });

  it('sockets carry their addresses and state', () => {
    const socks = [...k.s.net.socks].filter((x: Sock) => x.isTcp && x.lport);
    expect(socks.length).toBeGreaterThan(3);
    for (const x of socks) {
      const a = mem.addr(x.lin);
      expect(Number(read(mem, a, 'sock', '__sk_common.skc_num'))).toBe(x.lport);
      const dport = Number(read(mem, a, 'sock', '__sk_common.skc_dport'));
      expect(((dport & 0xff) << 8) | (dport >> 8)).toBe(x.rport);
      expect(Number(read(mem, a, 'sock', '__sk_common.skc_state'))).toBe(x.state);
      expect(Number(read(mem, a, 'sock', '__sk_common.skc_family'))).toBe(2);
      if (x.state === TCP.LISTEN) expect(Number(read(mem, a, 'sock', 'sk_max_ack_backlog'))).toBe(x.backlog);
    }
  });

  it('run queues count their tasks and point at the running one', () => {
    for (const cpu of k.s.sched.cpus) {
      const rq = mem.addr(cpu.rqLin);
      const n = cpu.rq.length + (cpu.curr.idle ? 0 : 1);
      expect(Number(read(mem, rq, 'rq', 'nr_running'))).toBe(n);
      expect(Number(read(mem, rq, 'rq', 'cfs.nr_running'))).toBe(n);
      expect(read(mem, rq, 'rq', 'curr')).toBe(mem.addr(cpu.curr.lin));
      for (const t of cpu.rq) expect(read(mem, mem.addr(t.lin), 'task_struct', 'se.cfs_rq')).toBe(rq + BigInt(T.field('rq', 'cfs').offset));
    }
  });
});
