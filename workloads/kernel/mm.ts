// Memory management events: slab caches (struct kmem_cache objects with their names),
// kmem_cache_alloc/free and kmalloc/kfree with their tracepoints, page allocations, and
// page faults (handle_mm_fault, exceptions:page_fault_user, the page-fault software
// events), and cgroup memory limits with the memcg OOM killer (out_of_memory,
// oom_kill_process with its struct oom_control, oom:mark_victim, SIGKILL). Short-lived
// kernel allocations are only materialised when someone watches.
import { Region } from '../../vm/memory/memory';
import type { FuncHooks } from './hook-table';
import type { Hook } from './hooks';
import type { Kernel } from './kernel';
import { ksymByName } from './kfuncs';
import { KMEM_CACHE, MM, OOM, TASK, VMA } from './offsets';
import { kat, kin, type KStack } from './stacks';
import type { Container, Proc, Task } from './task';

const GFP_KERNEL = 0xcc0;
const GFP_KERNEL_ACCOUNT = 0x400cc0;
const PAGE = 4096;
const MM_ANONPAGES = 1;
const SIGKILL = 9;
/** si_code of a signal the kernel sends (SEND_SIG_PRIV). */
const SI_KERNEL = 0x80;
const OOM_MESSAGE = 'Memory cgroup out of memory';
/** The memcg OOM path, reached from the page fault that touches memory over the limit. */
const OOM_BASE = ['try_charge_memcg', '__mem_cgroup_charge', 'do_anonymous_page', '__handle_mm_fault', 'handle_mm_fault', 'do_user_addr_fault', 'exc_page_fault', 'asm_exc_page_fault'];
const OOM_AT = kat('out_of_memory', 'mem_cgroup_out_of_memory', 'mem_cgroup_oom', ...OOM_BASE);
const OOM_IN = kin('mem_cgroup_out_of_memory', 'mem_cgroup_oom', ...OOM_BASE);
const OOM_KILL_AT = kat('oom_kill_process', 'out_of_memory', 'mem_cgroup_out_of_memory', 'mem_cgroup_oom', ...OOM_BASE);
const MARK_VICTIM = kin('mark_oom_victim', '__oom_kill_process', 'oom_kill_process', 'out_of_memory', 'mem_cgroup_out_of_memory', 'mem_cgroup_oom', ...OOM_BASE);

/** Slab caches the kernel allocates from, with object sizes. */
const CACHES: readonly [string, number][] = [
  ['task_struct', 9_792], ['mm_struct', 1_472], ['files_cache', 704], ['signal_cache', 1_152], ['sighand_cache', 2_112],
  ['vm_area_struct', 176], ['filp', 256], ['names_cache', 4_096], ['dentry', 192], ['ext4_inode_cache', 1_184],
  ['xfs_inode', 1_024], ['sock_inode_cache', 832], ['TCP', 2_432], ['UDP', 1_280], ['skbuff_head_cache', 256],
  ['skbuff_fclone_cache', 512], ['bio-256', 256], ['pid', 128], ['cred_jar', 192], ['anon_vma', 104], ['eventpoll_epi', 128],
  ['kmalloc-64', 64], ['kmalloc-128', 128], ['kmalloc-256', 256], ['kmalloc-512', 512], ['kmalloc-1k', 1_024], ['kmalloc-2k', 2_048],
  ['kmalloc-4k', 4_096], ['kmalloc-8k', 8_192],
];

export class MemoryManager {
  readonly caches = new Map<string, { lin: number; size: number }>();
  private readonly hCacheAlloc: Hook;
  private readonly hCacheFree: Hook;
  private readonly hKmalloc: Hook;
  private readonly hKfree: Hook;
  private readonly hPageAlloc: Hook;
  private readonly hFaultUser: Hook;
  private readonly kCacheAlloc: FuncHooks;
  private readonly kCacheFree: FuncHooks;
  private readonly kKmalloc: FuncHooks;
  private readonly kKfree: FuncHooks;
  private readonly kAllocPages: FuncHooks;
  private readonly kFault: FuncHooks;
  private readonly kUserFault: FuncHooks;
  /** Software events (perf hooks) for page faults. */
  readonly swFaults: Hook;
  readonly swMinor: Hook;
  readonly swMajor: Hook;
  private readonly faultStack = kin('__handle_mm_fault', 'handle_mm_fault', 'do_user_addr_fault', 'exc_page_fault', 'asm_exc_page_fault');
  private readonly vmaLin: number;
  private pfn = 0x1a2b30;
  private readonly kOom: FuncHooks;
  private readonly kOomKill: FuncHooks;
  private readonly hMarkVictim: Hook;
  /** The OOM message string and each limited cgroup's struct mem_cgroup (made at the first OOM). */
  private oomMessageLin = 0;
  private readonly memcgs = new Map<Container, number>();
  /** OOM kills so far. */
  oomKills = 0;

  constructor(
    private readonly k: Kernel,
    sw: { faults: Hook; minor: Hook; major: Hook },
  ) {
    const H = k.hooks;
    this.hCacheAlloc = H.tp('kmem', 'kmem_cache_alloc');
    this.hCacheFree = H.tp('kmem', 'kmem_cache_free');
    this.hKmalloc = H.tp('kmem', 'kmalloc');
    this.hKfree = H.tp('kmem', 'kfree');
    this.hPageAlloc = H.tp('kmem', 'mm_page_alloc');
    this.hFaultUser = H.tp('exceptions', 'page_fault_user');
    this.kCacheAlloc = H.k('kmem_cache_alloc');
    this.kCacheFree = H.k('kmem_cache_free');
    this.kKmalloc = H.k('__kmalloc');
    this.kKfree = H.k('kfree');
    this.kAllocPages = H.k('__alloc_pages');
    this.kFault = H.k('handle_mm_fault');
    this.kUserFault = H.k('do_user_addr_fault');
    this.kOom = H.k('out_of_memory');
    this.kOomKill = H.k('oom_kill_process');
    this.hMarkVictim = H.tp('oom', 'mark_victim');
    k.exitListeners.push((leader) => this.uncharge(leader.proc));
    this.swFaults = sw.faults;
    this.swMinor = sw.minor;
    this.swMajor = sw.major;
    const mem = k.mem;
    for (const [name, size] of CACHES) {
      const lin = mem.alloc(KMEM_CACHE.SIZE, Region.KERNEL);
      const nameLin = mem.alloc(name.length + 1, Region.KERNEL);
      mem.writeCString(nameLin, name, name.length + 1);
      mem.writePtr(lin + KMEM_CACHE.name, nameLin);
      mem.writeU32(lin + KMEM_CACHE.size, size);
      mem.writeU32(lin + KMEM_CACHE.object_size, size);
      mem.writeU32(lin + KMEM_CACHE.align, 8);
      this.caches.set(name, { lin, size });
    }
    this.vmaLin = mem.alloc(VMA.SIZE, Region.KERNEL);
  }

  /** Whether any slab-allocation hook is watched (callers skip building objects otherwise). */
  watchesCache(): boolean {
    return this.kCacheAlloc.entry.on || this.kCacheAlloc.ret.on || this.hCacheAlloc.on;
  }

  /** A call site address inside the innermost function of a chain (the tracepoints' call_site). */
  private callSite(stack: KStack): bigint {
    return stack.addrs()[0] ?? ksymByName('kmalloc_trace')!.addr;
  }

  /** Reports a slab allocation of an object the kernel created at `lin` (or a transient one when lin is 0). */
  cacheAlloc(t: Task, cache: string, lin: number, stack: KStack): void {
    const c = this.caches.get(cache);
    if (!c) return;
    const k = this.k;
    if (this.kCacheAlloc.entry.on) k.kprobe(this.kCacheAlloc, t, stack.call('kmem_cache_alloc'), c.lin, GFP_KERNEL);
    if (this.kCacheAlloc.ret.on) k.kretprobe(this.kCacheAlloc, t, stack, lin);
    if (this.hCacheAlloc.on) k.tracepoint(this.hCacheAlloc, t, stack.under('slab_alloc_node'), [this.callSite(stack), lin, cache, c.size, c.size, GFP_KERNEL, 0, cache.startsWith('kmalloc') ? 0 : 1]);
  }

  cacheFree(t: Task, cache: string, lin: number, stack: KStack): void {
    const c = this.caches.get(cache);
    if (!c) return;
    const k = this.k;
    if (this.kCacheFree.entry.on) k.kprobe(this.kCacheFree, t, stack.call('kmem_cache_free'), c.lin, lin);
    if (this.hCacheFree.on) k.tracepoint(this.hCacheFree, t, stack, [this.callSite(stack), lin, cache]);
  }

  /** A kmalloc of `size` bytes that lives `lifetime` ns (materialised only when observed). */
  kmalloc(t: Task, size: number, stack: KStack, lifetime = 200_000): void {
    const k = this.k;
    const watched = this.kKmalloc.entry.on || this.kKmalloc.ret.on || this.hKmalloc.on || this.hKfree.on || this.kKfree.entry.on;
    if (!watched) return;
    const alloc = size <= 8 ? 8 : 1 << (32 - Math.clz32(size - 1));
    const lin = k.mem.alloc(size, Region.KERNEL);
    if (this.kKmalloc.entry.on) k.kprobe(this.kKmalloc, t, stack.call('__kmalloc'), size, GFP_KERNEL_ACCOUNT);
    if (this.kKmalloc.ret.on) k.kretprobe(this.kKmalloc, t, stack, lin);
    if (this.hKmalloc.on) k.tracepoint(this.hKmalloc, t, stack.under('__kmalloc'), [this.callSite(stack), lin, size, alloc, GFP_KERNEL_ACCOUNT, 0]);
    k.at(k.now + lifetime, () => {
      const ctx = k.s.sched.cpus[t.cpu]?.curr ?? t;
      if (this.kKfree.entry.on) k.kprobe(this.kKfree, ctx, stack.call('kfree'), lin);
      if (this.hKfree.on) k.tracepoint(this.hKfree, ctx, stack.under('kfree'), [this.callSite(stack), lin]);
      k.mem.free(lin);
    });
  }

  /** A page allocation (order 0 unless given). */
  allocPages(t: Task, stack: KStack, order = 0): void {
    const k = this.k;
    if (this.kAllocPages.entry.on) k.kprobe(this.kAllocPages, t, stack.call('__alloc_pages'), GFP_KERNEL, order, 0, 0);
    if (this.hPageAlloc.on) k.tracepoint(this.hPageAlloc, t, stack.under('__alloc_pages'), [this.pfn++, order, GFP_KERNEL, 1]);
  }

  /**
   * `n` user page faults of a task (minor, or major when `major`), at addresses in its heap
   * and stack. Advances the clock by the handling cost.
   */
  faults(t: Task, n: number, major = false): void {
    if (n <= 0 || t.kthread) return;
    const k = this.k;
    const mem = k.mem;
    const p = t.proc;
    for (let i = 0; i < n; i++) {
      const addr = (i & 1 ? p.stackTop - 0x3000 - ((t.rng.u32() & 0xf) << 12) : p.heapStart + ((t.rng.u32() & 0x3ff) << 12)) + (t.rng.u32() & 0xff8);
      if (this.kUserFault.entry.on) k.kprobe(this.kUserFault, t, kat('do_user_addr_fault', 'exc_page_fault', 'asm_exc_page_fault'), t.regsLin, 6, addr);
      if (this.kFault.entry.on) {
        mem.writeNum64(this.vmaLin + VMA.vm_start, p.heapStart);
        mem.writeNum64(this.vmaLin + VMA.vm_end, p.heapEnd);
        mem.writePtr(this.vmaLin + VMA.vm_mm, p.mmLin);
        k.kprobe(this.kFault, t, kat('handle_mm_fault', 'do_user_addr_fault', 'exc_page_fault', 'asm_exc_page_fault'), this.vmaLin, addr, 0x255, t.regsLin);
      }
      if (this.hFaultUser.on) {
        const ip = t.ustk ? Number(t.ustk.ip(p) & 0xffffffffffffn) : 0;
        k.tracepoint(this.hFaultUser, t, this.faultStack, [addr, ip, 6]);
      }
      if (this.swFaults.on) k.perf(this.swFaults, t, t.cpu, true, null, 1);
      if (major) {
        if (this.swMajor.on) k.perf(this.swMajor, t, t.cpu, true, null, 1);
      } else if (this.swMinor.on) k.perf(this.swMinor, t, t.cpu, true, null, 1);
      if ((i & 7) === 0) this.allocPages(t, this.faultStack.under('do_anonymous_page'));
      k.cost(t, major ? 9_000 : 600);
    }
    if (major) t.majFlt += n;
    else t.minFlt += n;
    mem.writeNum64(t.lin + TASK.min_flt, t.minFlt);
    mem.writeNum64(t.lin + TASK.maj_flt, t.majFlt);
  }

  /**
   * Charges `bytes` of new anonymous memory of `t` to its cgroup when the cgroup has a
   * limit. Over the limit, the memcg OOM killer runs (as from the fault touching it).
   */
  charge(t: Task, bytes: number): void {
    const p = t.proc;
    const c = p.container;
    if (!c.memLimit || p.oomVictim) return;
    p.anonBytes += bytes;
    c.memUsage += bytes;
    const mem = this.k.mem;
    mem.writeNum64(p.mmLin + MM.rss_stat + 8 * MM_ANONPAGES, Math.floor(p.anonBytes / PAGE));
    mem.writeNum64(p.mmLin + MM.total_vm, Number(mem.readU64(p.mmLin + MM.total_vm)) + Math.ceil(bytes / PAGE));
    if (c.memUsage > c.memLimit) this.memcgOom(t, c);
  }

  private uncharge(p: Proc): void {
    p.container.memUsage = Math.max(0, p.container.memUsage - p.anonBytes);
    p.anonBytes = 0;
  }

  /** The memcg OOM killer: picks the cgroup's largest process and kills it with SIGKILL. */
  private memcgOom(t: Task, c: Container): void {
    const k = this.k;
    const mem = k.mem;
    let victim: Task | null = null;
    for (const x of k.tasks.values()) {
      if (x !== x.leader || x.exitState || x.proc.container !== c || x.proc.oomVictim) continue;
      if (!victim || x.proc.anonBytes > victim.proc.anonBytes) victim = x;
    }
    if (!victim) return;
    const vp = victim.proc;
    const rssPages = Math.floor(vp.anonBytes / PAGE) + 600;
    const pgtables = 8 + (rssPages >> 9);
    const oc = k.scratch(OOM.SIZE);
    let memcg = this.memcgs.get(c);
    if (memcg === undefined) this.memcgs.set(c, (memcg = mem.alloc(256, Region.KERNEL)));
    mem.writePtr(oc + OOM.memcg, memcg);
    mem.writeU32(oc + OOM.gfp_mask, GFP_KERNEL);
    mem.writeU32(oc + OOM.order, 0);
    mem.writeNum64(oc + OOM.totalpages, Math.floor(c.memLimit / PAGE));
    mem.writePtr(oc + OOM.chosen, victim.lin);
    mem.writeNum64(oc + OOM.chosen_points, rssPages + pgtables);
    if (this.kOom.entry.on) k.kprobe(this.kOom, t, OOM_AT, oc);
    if (this.kOomKill.entry.on) {
      if (!this.oomMessageLin) {
        this.oomMessageLin = mem.alloc(OOM_MESSAGE.length + 1, Region.KERNEL);
        mem.writeCString(this.oomMessageLin, OOM_MESSAGE, OOM_MESSAGE.length + 1);
      }
      k.kprobe(this.kOomKill, t, OOM_KILL_AT, oc, this.oomMessageLin);
    }
    vp.oomVictim = true;
    this.oomKills++;
    k.s.procs.send(SIGKILL, victim, t, SI_KERNEL);
    if (this.hMarkVictim.on) {
      const kb = (pages: number): number => pages * (PAGE / 1024);
      const totalVm = Number(mem.readU64(vp.mmLin + MM.total_vm));
      k.tracepoint(this.hMarkVictim, t, MARK_VICTIM, [victim.pid, victim.comm, kb(totalVm), kb(rssPages - 600), kb(600), 0, vp.cred.uid, kb(pgtables), 0]);
    }
    if (this.kOomKill.ret.on) k.kretprobe(this.kOomKill, t, OOM_IN.under('out_of_memory'), 0);
    if (this.kOom.ret.on) k.kretprobe(this.kOom, t, OOM_IN, 1);
  }
}
