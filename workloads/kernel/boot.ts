// Boots a kernel: creates the subsystems in dependency order, the CPUs with their idle
// tasks and run queues, init (pid 1) and the kernel threads, and background writeback.
// What runs afterwards (daemons, users, services) is the workload's business.
import type { Memory } from '../../vm/memory/memory';
import { BlockLayer } from '../block/block';
import { Rw } from '../fs/rw';
import { Vfs } from '../fs/vfs';
import { Writeback } from '../fs/writeback';
import { Net } from '../net/net';
import { Exec } from './exec';
import { Kernel, type Subsystems } from './kernel';
import { LoadAvg } from './loadavg';
import { startKthreads } from './kthreads';
import { MemoryManager } from './mm';
import { RQ } from './offsets';
import { Procs, type ProgramResolver } from './procs';
import { Sched } from './sched';

export interface BootOptions {
  seed?: number;
  cpus?: number;
  mem?: Memory;
  hostname?: string;
  resolver: ProgramResolver;
}

export function bootKernel(opts: BootOptions): Kernel {
  const k = new Kernel({ seed: opts.seed, cpus: opts.cpus, mem: opts.mem });
  const sw = k.hooks.sw;
  const s = {} as Subsystems;
  k.s = s;
  s.procs = new Procs(k, opts.hostname);
  s.procs.resolver = opts.resolver;
  s.procs.createHost();
  s.sched = new Sched(k, sw['context-switches'], sw['cpu-migrations']);
  s.exec = new Exec(k);
  s.mm = new MemoryManager(k, { faults: sw['page-faults'], minor: sw['minor-faults'], major: sw['major-faults'] });
  for (let c = 0; c < k.nrCpus; c++) {
    const idle = s.procs.idleTask(c);
    const rq = s.procs.objs.rq(c);
    k.mem.writePtr(rq + RQ.idle, idle.lin);
    k.mem.writePtr(rq + RQ.curr, idle.lin);
    s.sched.addCpu(idle, rq);
  }
  s.block = new BlockLayer(k);
  s.vfs = new Vfs(k);
  s.rw = new Rw(k);
  s.net = new Net(k);
  s.writeback = new Writeback(k);
  // pid 1 and the kernel threads
  s.procs.init = s.procs.spawn({ path: '/usr/lib/systemd/systemd', argv: ['/sbin/init', 'splash'], reaps: true });
  startKthreads(k);
  s.writeback.start();
  s.load = new LoadAvg(k);
  s.load.start();
  return k;
}
