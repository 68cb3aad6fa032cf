// Kernel state programs read besides the hooks' arguments: the load average (avenrun in
// memory, /proc/loadavg), writeback work items per disk, the memcg OOM killer of the
// containers workload, the comm and exec filename a new program gets, and each file
// system's own file operations.
import { describe, expect, it } from 'vitest';
import { System } from '../../workloads/system';
import type { TpValue } from '../../workloads/kernel/firing';
import { program } from '../../workloads/user/libc';
import { ustack } from '../../workloads/user/ustack';
import * as E from '../../workloads/errno';

function avenrun(s: System): number[] {
  const k = s.kernel;
  const lin = k.mem.kernelLin(k.ksymAddr('avenrun'), 24);
  expect(lin).toBeGreaterThanOrEqual(0);
  return [0, 1, 2].map((i) => Number(k.mem.readU64(lin + 8 * i)));
}

describe('kernel state', () => {
  it('keeps avenrun in memory as /proc/loadavg prints it, folding in the active tasks every 5 s', () => {
    const s = new System({ workload: 'build', seed: 5, cpus: 2 });
    const before = avenrun(s);
    s.runFor(5.1e9);
    const after = avenrun(s);
    expect(after).not.toEqual(before);
    const text = s.kernel.s.load.text().split(' ');
    for (let i = 0; i < 3; i++) {
      expect(Number(text[i].split('.')[0])).toBe(after[i] >> 11);
      expect(Number(text[i].split('.')[1])).toBe(Math.floor(((after[i] & 2047) * 100) / 2048));
    }
  });

  it('writes dirty pages back as one work item per disk, started and written', () => {
    const s = new System({ workload: 'default', seed: 2 });
    const k = s.kernel;
    const seen: TpValue[][] = [];
    const started = k.hooks.tp('writeback', 'writeback_start').attach((f) => seen.push(['start', ...f.tp]));
    const written = k.hooks.tp('writeback', 'writeback_written').attach((f) => seen.push(['written', ...f.tp]));
    k.s.procs.spawn({
      path: '/usr/bin/python3.12',
      argv: ['python3', 'w.py'],
      uid: 1000,
      cwd: '/home/alice',
      program: program(ustack('/usr/bin/python3.12:main'), function* (u) {
        const fd = yield u.open('/home/alice/out.bin', E.O_WRONLY | E.O_CREAT | E.O_TRUNC, 0o644);
        for (let i = 0; i < 8; i++) yield u.write(fd, u.buf('data', 16384), 16384);
        k.s.writeback.kick();
        return 0;
      }),
    });
    s.runUntil(() => seen.some((e) => e[0] === 'written'), 1e9);
    started();
    written();
    const nvme = seen.filter((e) => e[1] === '259:0');
    expect(nvme.map((e) => e[0]).slice(0, 2)).toEqual(['start', 'written']);
    // wb_reason: background (kicked by dirty pressure); for_background set; nothing left to write.
    expect(nvme[0][8]).toBe(0);
    expect(nvme[0][7]).toBe(1);
    expect(Number(nvme[0][2])).toBeGreaterThanOrEqual(32);
    expect(nvme[1][2]).toBe(0);
  });

  it('OOM-kills the batch job of the containers workload and lets its loop start it again', () => {
    const s = new System({ workload: 'containers', seed: 1 });
    const k = s.kernel;
    const victims: number[] = [];
    k.hooks.tp('oom', 'mark_victim').attach((f) => victims.push(Number(f.tp[0])));
    expect(s.runUntil(() => victims.length >= 2, 8e9, 50e6)).toBe(true);
    const batch = s.processes().filter((p) => p.container === '5d04e6a9c21f');
    expect(batch.some((p) => p.argv[0] === 'sh')).toBe(true);
    expect(victims[0]).not.toBe(victims[1]);
    expect(k.s.mm.oomKills).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['/etc/passwd', 'ext4'],
    ['/var/lib/postgresql/16/main/PG_VERSION', 'xfs'],
  ])('reads %s through its file system (%s) read_iter, entry and return', (path, fs) => {
    const s = new System({ workload: 'default', seed: 4 });
    const k = s.kernel;
    const fired: string[] = [];
    for (const name of ['ext4_file_read_iter', 'xfs_file_read_iter', 'ext4_file_open', 'xfs_file_open']) {
      const h = k.hooks.k(name);
      h.entry.attach((f) => f.task.comm === 'reader' && fired.push(`${name} ${f.kstack?.frames.slice(0, 2).join('<')}`));
      h.ret.attach((f) => f.task.comm === 'reader' && fired.push(`${name} ret`));
    }
    const t = k.s.procs.spawn({
      path: '/usr/bin/python3.12',
      argv: ['reader'],
      uid: 0,
      program: program(ustack('/usr/bin/python3.12:main'), function* (u) {
        const fd = yield u.open(path, E.O_RDONLY);
        yield u.read(fd, u.buf('b', 4096), 4096);
        return 0;
      }),
    });
    t.setComm('reader');
    s.runFor(200e6);
    const other = fs === 'ext4' ? 'xfs' : 'ext4';
    expect(fired).toContain(`${fs}_file_open ${fs}_file_open<vfs_open`);
    expect(fired).toContain(`${fs}_file_read_iter ${fs}_file_read_iter<new_sync_read`);
    expect(fired).toContain(`${fs}_file_read_iter ret`);
    expect(fired.some((x) => x.startsWith(other))).toBe(false);
  });

  it('names a new program after the path execve was given, not the symlink target', () => {
    const s = new System({ workload: 'default', seed: 3 });
    const execs: [string, string][] = [];
    s.kernel.hooks.tp('sched', 'sched_process_exec').attach((f) => execs.push([String(f.tp[0]), f.task.comm]));
    const r = s.spawnCommand('/bin/sh -c "python3 -c pass; /bin/sh -c true"');
    expect(r.ok).toBe(true);
    s.runFor(600e6);
    expect(execs).toContainEqual(['/bin/sh', 'sh']);
    expect(execs).toContainEqual(['/usr/bin/python3', 'python3']);
  });
});
