// Invariants every workload keeps, checked on the event stream of a short run: time never
// goes back, system calls exit as they entered, reads never return more than requested,
// every issued block request completes, every exit follows a fork (or the process existed
// before), each CPU's switches chain, and TCP sockets move only along the state machine.
import { describe, expect, it } from 'vitest';
import { System } from '../../workloads/system';
import { listWorkloads } from '../../workloads/scenarios/index';

const TCP_OK: Record<number, number[]> = {
  7: [2, 10, 1], // CLOSE -> SYN_SENT, LISTEN (and a child's first state)
  2: [1, 7], // SYN_SENT -> ESTABLISHED, CLOSE
  3: [1, 7], // SYN_RECV -> ESTABLISHED, CLOSE
  1: [4, 8, 7], // ESTABLISHED -> FIN_WAIT1, CLOSE_WAIT, CLOSE (reset)
  4: [5, 7, 11], // FIN_WAIT1 -> FIN_WAIT2, CLOSE, CLOSING
  5: [7, 6], // FIN_WAIT2 -> CLOSE, TIME_WAIT
  8: [9, 7], // CLOSE_WAIT -> LAST_ACK, CLOSE
  9: [7], // LAST_ACK -> CLOSE
  10: [7], // LISTEN -> CLOSE
};

interface Report {
  problems: string[];
  counts: Record<string, number>;
}

function check(workload: string, ns: number): Report {
  const s = new System({ workload, seed: 11, cpus: 4 });
  const k = s.kernel;
  const H = k.hooks;
  const problems: string[] = [];
  const counts: Record<string, number> = { syscalls: 0, reads: 0, ios: 0, exits: 0, switches: 0, tcp: 0 };
  const bad = (m: string) => problems.length < 20 && problems.push(`${(k.now / 1e6).toFixed(3)}ms ${m}`);
  // time never goes back
  let last = 0;
  for (const h of H.all)
    h.attach(() => {
      if (k.now < last) bad(`time went back at ${h.name}`);
      last = k.now;
    });
  // syscalls pair up per task
  const inSys = new Map<number, number>();
  H.rawEnter.attach((f) => {
    if (inSys.has(f.task.pid)) bad(`${f.task.comm}/${f.task.pid} entered ${f.tp[0]} inside ${inSys.get(f.task.pid)}`);
    inSys.set(f.task.pid, Number(f.tp[0]));
    counts.syscalls++;
  });
  H.rawExit.attach((f) => {
    const nr = inSys.get(f.task.pid);
    if (nr !== undefined && nr !== Number(f.tp[0])) bad(`${f.task.comm} left ${f.tp[0]} after entering ${nr}`);
    inSys.delete(f.task.pid);
  });
  // reads return at most what was asked
  const asked = new Map<number, number>();
  for (const call of ['read', 'pread64']) {
    H.tp('syscalls', `sys_enter_${call}`).attach((f) => asked.set(f.task.pid, Number(f.tp[3])));
    H.tp('syscalls', `sys_exit_${call}`).attach((f) => {
      const want = asked.get(f.task.pid);
      const got = Number(f.tp[1]);
      counts.reads++;
      if (want !== undefined && got > want) bad(`${f.task.comm} read ${got} > ${want}`);
    });
  }
  // block requests complete
  const issued = new Map<string, number>();
  H.tp('block', 'block_rq_issue').attach((f) => issued.set(`${f.tp[0]}:${f.tp[1]}:${f.tp[5]}`, k.now));
  H.tp('block', 'block_rq_complete').attach((f) => {
    const key = `${f.tp[0]}:${f.tp[1]}:${f.tp[5]}`;
    if (!issued.delete(key)) bad(`completion of a request never issued ${key}`);
    counts.ios++;
  });
  // exits follow forks (or existing processes)
  const known = new Set(k.tasks.keys());
  H.tp('sched', 'sched_process_fork').attach((f) => known.add(Number(f.tp[3])));
  H.tp('sched', 'sched_process_exit').attach((f) => {
    counts.exits++;
    if (!known.has(Number(f.tp[1]))) bad(`exit of pid ${f.tp[1]} that never forked`);
  });
  // per-CPU switch chains
  const onCpu = new Map<number, number>();
  H.tp('sched', 'sched_switch').attach((f) => {
    counts.switches++;
    const prev = onCpu.get(f.cpu);
    if (prev !== undefined && prev !== Number(f.tp[1])) bad(`cpu${f.cpu}: switch from ${f.tp[1]} but ${prev} was running`);
    if (f.task.pid !== Number(f.tp[1])) bad(`sched_switch in the context of ${f.task.pid}, prev ${f.tp[1]}`);
    onCpu.set(f.cpu, Number(f.tp[5]));
  });
  // TCP state machine
  H.tp('sock', 'inet_sock_set_state').attach((f) => {
    counts.tcp++;
    const from = Number(f.tp[1]);
    const to = Number(f.tp[2]);
    if (!(TCP_OK[from] ?? []).includes(to)) bad(`tcp ${from} -> ${to}`);
  });
  s.runFor(ns);
  // Requests issued in the last 100 ms may still be in flight; older ones must have completed.
  for (const [key, t] of issued) if (k.now - t > 100e6) bad(`request ${key} issued at ${t} never completed`);
  return { problems, counts };
}

describe('invariants', () => {
  const reports = new Map<string, Report>();
  it.each(listWorkloads().map((w) => w.name))('workload %s keeps them', (name) => {
    const r = check(name, 0.8e9);
    reports.set(name, r);
    expect(r.problems).toEqual([]);
    expect(r.counts.syscalls).toBeGreaterThan(200);
    expect(r.counts.switches).toBeGreaterThan(50);
  });

  it('sees every kind of activity across the workloads', () => {
    const total = { reads: 0, ios: 0, exits: 0, tcp: 0 };
    for (const r of reports.values()) for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += r.counts[key];
    expect(total.reads).toBeGreaterThan(100);
    expect(total.ios).toBeGreaterThan(50);
    expect(total.exits).toBeGreaterThan(5);
    expect(total.tcp).toBeGreaterThan(20);
  });
});
