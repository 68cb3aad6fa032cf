// The traceable kernel functions (kprobe/kretprobe targets) as C prototypes with Linux
// 6.x names and argument order, one per line. A leading `!` marks functions that allow
// error injection (bpf_override_return). The `__x64_sys_*` syscall wrappers are added
// from the syscall table by kfuncs.ts; symbols that only appear in stacks are listed in
// STACK_ONLY_SYMBOLS. `__user` marks pointer arguments into user memory; other pointers
// are kernel pointers.
export const KFUNC_PROTOTYPES = `
ssize_t vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
ssize_t vfs_write(struct file *file, const char __user *buf, size_t count, loff_t *pos)
ssize_t vfs_readv(struct file *file, const struct iovec __user *vec, unsigned long vlen, loff_t *pos, rwf_t flags)
ssize_t vfs_writev(struct file *file, const struct iovec __user *vec, unsigned long vlen, loff_t *pos, rwf_t flags)
ssize_t vfs_iter_read(struct file *file, struct iov_iter *iter, loff_t *ppos, rwf_t flags)
int vfs_open(const struct path *path, struct file *file)
int vfs_fsync(struct file *file, int datasync)
int vfs_fsync_range(struct file *file, loff_t start, loff_t end, int datasync)
int vfs_unlink(struct mnt_idmap *idmap, struct inode *dir, struct dentry *dentry, struct inode **delegated_inode)
int vfs_rename(struct renamedata *rd)
int vfs_mkdir(struct mnt_idmap *idmap, struct inode *dir, struct dentry *dentry, umode_t mode)
int vfs_rmdir(struct mnt_idmap *idmap, struct inode *dir, struct dentry *dentry)
int vfs_create(struct mnt_idmap *idmap, struct inode *dir, struct dentry *dentry, umode_t mode, bool want_excl)
int vfs_getattr(const struct path *path, struct kstat *stat, u32 request_mask, unsigned int query_flags)
int vfs_statx(int dfd, struct filename *filename, int flags, struct kstat *stat, u32 request_mask)
long vfs_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
loff_t vfs_llseek(struct file *file, loff_t offset, int whence)
int iterate_dir(struct file *file, struct dir_context *ctx)
long do_sys_openat2(int dfd, const char __user *filename, struct open_how *how)
struct file *do_filp_open(int dfd, struct filename *pathname, const struct open_flags *op)
int filp_close(struct file *filp, fl_owner_t id)
void __fput(struct file *file)
void fd_install(unsigned int fd, struct file *file)
struct filename *getname(const char __user *filename)
void putname(struct filename *name)
ssize_t ksys_read(unsigned int fd, char __user *buf, size_t count)
ssize_t ksys_write(unsigned int fd, const char __user *buf, size_t count)
ssize_t ksys_pread64(unsigned int fd, char __user *buf, size_t count, loff_t pos)
ssize_t ksys_pwrite64(unsigned int fd, const char __user *buf, size_t count, loff_t pos)
int ksys_fsync(unsigned int fd)
int do_renameat2(int olddfd, struct filename *from, int newdfd, struct filename *to, unsigned int flags)
int do_unlinkat(int dfd, struct filename *name)
int do_mkdirat(int dfd, struct filename *name, umode_t mode)
struct dentry *lookup_fast(struct nameidata *nd)
struct dentry *d_lookup(const struct dentry *parent, const struct qstr *name)
void touch_atime(const struct path *path)
!int security_file_open(struct file *file)
!int security_file_permission(struct file *file, int mask)
!int security_inode_unlink(struct inode *dir, struct dentry *dentry)
!int security_bprm_check(struct linux_binprm *bprm)
!int security_socket_connect(struct socket *sock, struct sockaddr *address, int addrlen)
!int security_task_kill(struct task_struct *p, struct kernel_siginfo *info, int sig, const struct cred *cred)
ssize_t filemap_read(struct kiocb *iocb, struct iov_iter *iter, ssize_t already_read)
ssize_t generic_file_read_iter(struct kiocb *iocb, struct iov_iter *iter)
ssize_t ext4_file_read_iter(struct kiocb *iocb, struct iov_iter *to)
ssize_t ext4_file_write_iter(struct kiocb *iocb, struct iov_iter *from)
int ext4_file_open(struct inode *inode, struct file *filp)
int ext4_sync_file(struct file *file, loff_t start, loff_t end, int datasync)
ssize_t xfs_file_read_iter(struct kiocb *iocb, struct iov_iter *to)
ssize_t xfs_file_write_iter(struct kiocb *iocb, struct iov_iter *from)
int xfs_file_open(struct inode *inode, struct file *file)
int xfs_file_fsync(struct file *file, loff_t start, loff_t end, int datasync)
ssize_t pipe_read(struct kiocb *iocb, struct iov_iter *to)
ssize_t pipe_write(struct kiocb *iocb, struct iov_iter *from)
ssize_t tty_write(struct kiocb *iocb, struct iov_iter *from)
void page_cache_sync_ra(struct readahead_control *ractl, unsigned long req_count)
void mark_page_accessed(struct page *page)
int do_writepages(struct address_space *mapping, struct writeback_control *wbc)
pid_t kernel_clone(struct kernel_clone_args *args)
struct task_struct *copy_process(struct pid *pid, int trace, int node, struct kernel_clone_args *args)
void wake_up_new_task(struct task_struct *p)
int bprm_execve(struct linux_binprm *bprm)
int begin_new_exec(struct linux_binprm *bprm)
void setup_new_exec(struct linux_binprm *bprm)
void __set_task_comm(struct task_struct *tsk, const char *buf, bool exec)
void do_exit(long code)
void do_group_exit(int exit_code)
void release_task(struct task_struct *p)
pid_t kernel_wait4(pid_t upid, int __user *stat_addr, int options, struct rusage __user *ru)
int cap_capable(const struct cred *cred, struct user_namespace *targ_ns, int cap, unsigned int opts)
int commit_creds(struct cred *new)
void schedule(void)
int try_to_wake_up(struct task_struct *p, unsigned int state, int wake_flags)
int wake_up_process(struct task_struct *p)
void finish_task_switch(struct task_struct *prev)
void enqueue_task_fair(struct rq *rq, struct task_struct *p, int flags)
bool dequeue_task_fair(struct rq *rq, struct task_struct *p, int flags)
void set_task_cpu(struct task_struct *p, unsigned int new_cpu)
void scheduler_tick(void)
void update_process_times(int user_tick)
int do_nanosleep(struct hrtimer_sleeper *t, enum hrtimer_mode mode)
long hrtimer_nanosleep(ktime_t rqtp, const enum hrtimer_mode mode, const clockid_t clockid)
void hrtimer_start_range_ns(struct hrtimer *timer, ktime_t tim, u64 delta_ns, const enum hrtimer_mode mode)
void io_schedule(void)
long io_schedule_timeout(long timeout)
int futex_wait(u32 __user *uaddr, unsigned int flags, u32 val, ktime_t *abs_time, u32 bitset)
int futex_wake(u32 __user *uaddr, unsigned int flags, int nr_wake, u32 bitset)
int do_epoll_wait(int epfd, struct epoll_event __user *events, int maxevents, struct timespec64 *to)
int do_send_sig_info(int sig, struct kernel_siginfo *info, struct task_struct *p, enum pid_type type)
int send_signal_locked(int sig, struct kernel_siginfo *info, struct task_struct *t, enum pid_type type)
bool get_signal(struct ksignal *ksig)
void signal_wake_up_state(struct task_struct *t, unsigned int state)
void *__kmalloc(size_t size, gfp_t flags)
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfpflags)
void kmem_cache_free(struct kmem_cache *s, void *x)
void kfree(const void *object)
struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid, nodemask_t *nodemask)
void __free_pages(struct page *page, unsigned int order)
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address, unsigned int flags, struct pt_regs *regs)
void do_user_addr_fault(struct pt_regs *regs, unsigned long error_code, unsigned long address)
unsigned long do_mmap(struct file *file, unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags, vm_flags_t vm_flags, unsigned long pgoff, unsigned long *populate, struct list_head *uf)
int do_munmap(struct mm_struct *mm, unsigned long start, size_t len, struct list_head *uf)
void oom_kill_process(struct oom_control *oc, const char *message)
bool out_of_memory(struct oom_control *oc)
void submit_bio(struct bio *bio)
void submit_bio_noacct(struct bio *bio)
void blk_mq_submit_bio(struct bio *bio)
void blk_mq_start_request(struct request *rq)
void blk_account_io_start(struct request *req)
void blk_account_io_done(struct request *req, u64 now)
void blk_mq_end_request(struct request *rq, blk_status_t error)
void blk_mq_complete_request(struct request *rq)
void bio_endio(struct bio *bio)
!bool should_fail_bio(struct bio *bio)
int blkdev_issue_flush(struct block_device *bdev)
int tcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
int tcp_v6_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
int tcp_connect(struct sock *sk)
int tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)
int tcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int flags, int *addr_len)
void tcp_close(struct sock *sk, long timeout)
void tcp_set_state(struct sock *sk, int state)
int tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb, int segs)
void tcp_drop_reason(struct sock *sk, struct sk_buff *skb, enum skb_drop_reason reason)
void tcp_rcv_established(struct sock *sk, struct sk_buff *skb)
int tcp_rcv_state_process(struct sock *sk, struct sk_buff *skb)
int tcp_v4_rcv(struct sk_buff *skb)
int tcp_v4_do_rcv(struct sock *sk, struct sk_buff *skb)
struct sock *tcp_v4_syn_recv_sock(const struct sock *sk, struct sk_buff *skb, struct request_sock *req, struct dst_entry *dst, struct request_sock *req_unhash, bool *own_req)
struct sock *tcp_v6_syn_recv_sock(const struct sock *sk, struct sk_buff *skb, struct request_sock *req, struct dst_entry *dst, struct request_sock *req_unhash, bool *own_req)
void tcp_reset(struct sock *sk, struct sk_buff *skb)
void tcp_cleanup_rbuf(struct sock *sk, int copied)
void tcp_fin(struct sock *sk)
struct sock *inet_csk_accept(struct sock *sk, int flags, int *err, bool kern)
int inet_listen(struct socket *sock, int backlog)
int inet_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
int inet_stream_connect(struct socket *sock, struct sockaddr *uaddr, int addr_len, int flags)
int inet_accept(struct socket *sock, struct socket *newsock, int flags, bool kern)
int sock_sendmsg(struct socket *sock, struct msghdr *msg)
int sock_recvmsg(struct socket *sock, struct msghdr *msg, int flags)
int __sys_connect(int fd, struct sockaddr __user *uservaddr, int addrlen)
int sock_create(int family, int type, int protocol, struct socket **res)
int udp_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)
int udp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int flags, int *addr_len)
int unix_stream_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
int ip_output(struct net *net, struct sock *sk, struct sk_buff *skb)
int ip_queue_xmit(struct sock *sk, struct sk_buff *skb, struct flowi *fl)
int __dev_queue_xmit(struct sk_buff *skb, struct net_device *sb_dev)
int netif_receive_skb(struct sk_buff *skb)
struct sk_buff *__alloc_skb(unsigned int size, gfp_t flags, int fclone, int node)
void consume_skb(struct sk_buff *skb)
void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason)
void __do_softirq(void)
void raise_softirq(unsigned int nr)
int handle_irq_event(struct irq_desc *desc)
int ksys_sync(void)
`;

/** Kernel text symbols that appear in stacks but are not kprobe targets (entry code, idle, irq glue). */
export const STACK_ONLY_SYMBOLS: readonly string[] = [
  'entry_SYSCALL_64_after_hwframe',
  'do_syscall_64',
  'x64_sys_call',
  'syscall_exit_to_user_mode',
  'ret_from_fork',
  'schedule_tail',
  'do_tkill',
  'do_send_specific',
  'ns_capable_setid',
  'path_mount',
  'do_mount',
  'path_umount',
  'ret_from_fork_asm',
  'kthread',
  'kthreadd',
  'kmalloc_reserve',
  'seq_open',
  'proc_reg_open',
  '__sys_bind',
  '__sys_listen',
  'generic_permission',
  'kauditd_thread',
  'worker_thread',
  'process_one_work',
  'smpboot_thread_fn',
  'rcu_gp_kthread',
  'kjournald2',
  'kswapd',
  'wb_workfn',
  'common_startup_64',
  'secondary_startup_64_no_verify',
  'start_secondary',
  'x86_64_start_kernel',
  'x86_64_start_reservations',
  'start_kernel',
  'rest_init',
  'arch_call_rest_init',
  'cpu_startup_entry',
  'do_idle',
  'cpuidle_idle_call',
  'default_idle_call',
  'default_idle',
  'pv_native_safe_halt',
  'asm_sysvec_apic_timer_interrupt',
  'sysvec_apic_timer_interrupt',
  '__sysvec_apic_timer_interrupt',
  'hrtimer_interrupt',
  '__hrtimer_run_queues',
  'tick_nohz_handler',
  'asm_common_interrupt',
  'common_interrupt',
  'handle_edge_irq',
  'nvme_irq',
  'nvme_handle_cqe',
  'irq_exit_rcu',
  'asm_exc_page_fault',
  'exc_page_fault',
  '__schedule',
  'schedule_idle',
  'schedule_hrtimeout_range',
  'schedule_timeout',
  'exit_to_user_mode_loop',
  'exit_to_user_mode_prepare',
  'irqentry_exit_to_user_mode',
  'preempt_schedule_irq',
  'irqentry_exit',
  'common_nsleep',
  '__x64_sys_clock_nanosleep',
  'ep_poll',
  'do_epoll_wait',
  'wait_woken',
  'sk_wait_data',
  'inet_csk_wait_for_connect',
  'inet_wait_for_connect',
  'do_wait',
  'wait_task_zombie',
  'pipe_wait_readable',
  'n_tty_read',
  'tty_read',
  'folio_wait_bit_common',
  'generic_perform_write',
  'balance_dirty_pages',
  'blk_mq_insert_request',
  'create_pipe_files',
  'do_pipe2',
  '__do_pipe_flags',
  'do_fsync',
  'do_rmdir',
  'do_sys_poll',
  'ep_insert',
  'do_epoll_ctl',
  'do_epoll_create',
  'do_eventfd',
  'inet_release',
  '__sock_release',
  'sock_close',
  'vm_mmap_pgoff',
  'ksys_mmap_pgoff',
  'do_sendfile',
  'ksys_readahead',
  'chmod_common',
  'chown_common',
  'do_faccessat',
  'do_readv',
  'slab_alloc_node',
  'filemap_get_pages',
  'filemap_update_page',
  'blk_mq_flush_plug_list',
  'blk_finish_plug',
  'ext4_mpage_readpages',
  'read_pages',
  'page_cache_ra_unbounded',
  'jbd2_journal_commit_transaction',
  'jbd2_log_wait_commit',
  'ext4_fc_commit',
  'file_write_and_wait_range',
  '__filemap_fdatawait_range',
  'wb_writeback',
  'writeback_sb_inodes',
  '__writeback_single_inode',
  'ext4_writepages',
  'ext4_do_writepages',
  'ext4_io_submit',
  '__handle_mm_fault',
  'do_anonymous_page',
  'do_fault',
  'filemap_fault',
  'alloc_pages_mpol',
  'folio_alloc',
  'tcp_sendmsg_locked',
  'tcp_push',
  '__tcp_push_pending_frames',
  'tcp_write_xmit',
  '__tcp_transmit_skb',
  'tcp_retransmit_timer',
  'tcp_write_timer_handler',
  'tcp_write_timer',
  'call_timer_fn',
  '__run_timers',
  'run_timer_softirq',
  'handle_softirqs',
  'net_rx_action',
  '__napi_poll',
  'process_backlog',
  '__netif_receive_skb_one_core',
  'ip_rcv',
  'ip_local_deliver',
  'ip_local_deliver_finish',
  'ip_protocol_deliver_rcu',
  'tcp_data_queue',
  'sock_def_readable',
  '__wake_up_common',
  '__wake_up_sync_key',
  'autoremove_wake_function',
  'ttwu_do_activate',
  'hrtimer_wakeup',
  'vm_area_alloc',
  'tcp_v4_send_synack',
  'tcp_conn_request',
  'inet_csk_complete_hashdance',
  'tcp_check_req',
  '__sys_accept4',
  'do_accept',
  '__sys_sendto',
  '__sys_recvfrom',
  'sock_write_iter',
  'sock_read_iter',
  'inet_sendmsg',
  'inet_recvmsg',
  '__inet_stream_connect',
  '__sys_socket',
  'inet_create',
  'sk_alloc',
  'sk_prot_alloc',
  'alloc_file_pseudo',
  'alloc_empty_file',
  'init_file',
  'path_openat',
  'link_path_walk',
  'walk_component',
  'do_open',
  'open_last_lookups',
  'lookup_open',
  'filename_lookup',
  'path_lookupat',
  'do_readlinkat',
  'vfs_fstatat',
  '__do_sys_newfstatat',
  'do_statx',
  'alloc_pid',
  'dup_mm',
  'copy_files',
  'dup_fd',
  'copy_fs',
  'copy_creds',
  'prepare_creds',
  'exec_binprm',
  'search_binary_handler',
  'load_elf_binary',
  'do_execveat_common',
  'exit_mmap',
  'mmput',
  'exit_files',
  'put_files_struct',
  'close_files',
  'do_signal',
  'arch_do_signal_or_restart',
  'kill_pid_info',
  'kill_something_info',
  '__send_signal_locked',
  'complete_signal',
  'futex_wait_queue',
  'do_futex',
  '__x64_sys_futex',
  'security_capable',
  'ns_capable',
  'capable',
  'has_ns_capability',
  'kmalloc_trace',
  '__kmem_cache_alloc_node',
  'kvmalloc_node',
  'seq_read_iter',
  'proc_reg_read_iter',
  'proc_pid_status',
  'proc_single_show',
  'vfs_write_iter',
  'new_sync_read',
  'new_sync_write',
  'oom_kill_memcg_member',
  'mem_cgroup_out_of_memory',
  'mem_cgroup_oom',
  'xlog_cil_force_seq',
  'iomap_submit_ioend',
  '__mem_cgroup_charge',
  'mark_oom_victim',
  '__oom_kill_process',
  'try_charge_memcg',
  'pagefault_out_of_memory',
];
