// Where system calls spend their CPU time, as data: for each call (and, for calls on a file
// descriptor, each kind of file), call chains from a leaf function up to just below
// `__x64_sys_<call>`, innermost first, frames separated by spaces. A profile sample taken
// while a task runs a system call shows one of them (a chain listed twice weighs double).
// Calls without an entry show the bare handler. Every name here becomes a kernel text
// symbol.

/** What the descriptor in the call's first argument refers to (`any` when it does not matter or is unknown). */
export type WorkKind = 'any' | 'ext4' | 'xfs' | 'tmpfs' | 'proc' | 'tcp' | 'udp' | 'unix' | 'pipe' | 'tty' | 'null' | 'epoll' | 'event';

export type WorkChains = Partial<Record<WorkKind, readonly string[]>>;

const R_EXT4 = 'generic_file_read_iter ext4_file_read_iter new_sync_read vfs_read ksys_read';
const W_EXT4 = 'ext4_buffered_write_iter ext4_file_write_iter vfs_write_iter vfs_write ksys_write';
const R_TCP = 'tcp_recvmsg_locked tcp_recvmsg inet_recvmsg sock_recvmsg sock_read_iter vfs_read ksys_read';
const W_TCP = 'tcp_sendmsg_locked tcp_sendmsg inet_sendmsg sock_sendmsg sock_write_iter vfs_write ksys_write';
const R_UDP = 'udp_recvmsg inet_recvmsg sock_recvmsg sock_read_iter vfs_read ksys_read';
const W_UDP = 'udp_sendmsg inet_sendmsg sock_sendmsg sock_write_iter vfs_write ksys_write';
const R_UNIX = 'unix_stream_read_generic unix_stream_recvmsg sock_recvmsg sock_read_iter vfs_read ksys_read';
const W_UNIX = 'unix_stream_sendmsg sock_sendmsg sock_write_iter vfs_write ksys_write';
const XMIT = '__dev_queue_xmit ip_finish_output2 ip_output __ip_queue_xmit __tcp_transmit_skb tcp_write_xmit __tcp_push_pending_frames tcp_push';
const OPEN = 'path_openat do_filp_open do_sys_openat2';
const WALK = '__d_lookup_rcu lookup_fast walk_component link_path_walk';
const STAT = 'vfs_statx vfs_fstatat __do_sys_newfstatat';
const EXEC = 'load_elf_binary search_binary_handler exec_binprm bprm_execve do_execveat_common';
const EXIT = 'exit_mmap mmput do_exit do_group_exit';
const SPLICE = 'splice_direct_to_actor do_splice_direct do_sendfile';
const CLONE = 'copy_process kernel_clone';

export const WORK_CHAINS: Record<string, WorkChains> = {
  read: {
    ext4: [
      `rep_movs_alternative _copy_to_iter copy_page_to_iter filemap_read ${R_EXT4}`,
      `rep_movs_alternative _copy_to_iter copy_page_to_iter filemap_read ${R_EXT4}`,
      `filemap_get_read_batch filemap_get_pages filemap_read ${R_EXT4}`,
      `atime_needs_update touch_atime filemap_read ${R_EXT4}`,
      'apparmor_file_permission security_file_permission rw_verify_area vfs_read ksys_read',
      '__fdget_pos ksys_read',
    ],
    xfs: [
      'rep_movs_alternative _copy_to_iter copy_page_to_iter filemap_read xfs_file_buffered_read xfs_file_read_iter new_sync_read vfs_read ksys_read',
      'xfs_ilock xfs_file_buffered_read xfs_file_read_iter new_sync_read vfs_read ksys_read',
    ],
    tmpfs: ['rep_movs_alternative _copy_to_iter copy_page_to_iter shmem_file_read_iter new_sync_read vfs_read ksys_read', 'shmem_get_folio_gfp shmem_file_read_iter new_sync_read vfs_read ksys_read'],
    proc: [
      'number vsnprintf seq_printf proc_pid_status proc_single_show seq_read_iter proc_reg_read_iter vfs_read ksys_read',
      'format_decode vsnprintf seq_printf show_map_vma show_map seq_read_iter proc_reg_read_iter vfs_read ksys_read',
      'rep_movs_alternative _copy_to_iter seq_read_iter proc_reg_read_iter vfs_read ksys_read',
      'get_mm_cmdline proc_pid_cmdline_read vfs_read ksys_read',
    ],
    tcp: [
      `rep_movs_alternative _copy_to_iter __skb_datagram_iter skb_copy_datagram_iter ${R_TCP}`,
      `rep_movs_alternative _copy_to_iter __skb_datagram_iter skb_copy_datagram_iter ${R_TCP}`,
      `tcp_cleanup_rbuf ${R_TCP}`,
      `tcp_rcv_space_adjust ${R_TCP}`,
      `kfree_skbmem __kfree_skb ${R_TCP}`,
      'release_sock tcp_recvmsg inet_recvmsg sock_recvmsg sock_read_iter vfs_read ksys_read',
    ],
    udp: [`rep_movs_alternative _copy_to_iter __skb_datagram_iter skb_copy_datagram_iter ${R_UDP}`, `__skb_recv_udp ${R_UDP}`, `skb_consume_udp ${R_UDP}`],
    unix: [`rep_movs_alternative _copy_to_iter __skb_datagram_iter skb_copy_datagram_iter unix_stream_read_actor ${R_UNIX}`, `consume_skb ${R_UNIX}`, `_raw_spin_lock ${R_UNIX}`],
    pipe: ['rep_movs_alternative _copy_to_iter copy_page_to_iter pipe_read new_sync_read vfs_read ksys_read', '__wake_up_sync_key pipe_read new_sync_read vfs_read ksys_read', 'mutex_lock pipe_read new_sync_read vfs_read ksys_read'],
    tty: ['rep_movs_alternative _copy_to_user copy_from_read_buf n_tty_read tty_read new_sync_read vfs_read ksys_read', 'n_tty_read tty_read new_sync_read vfs_read ksys_read', 'tty_buffer_flush_work n_tty_read tty_read new_sync_read vfs_read ksys_read'],
    null: ['get_random_bytes_user urandom_read_iter new_sync_read vfs_read ksys_read', 'read_iter_null new_sync_read vfs_read ksys_read'],
    event: ['eventfd_read new_sync_read vfs_read ksys_read'],
    any: ['apparmor_file_permission security_file_permission rw_verify_area vfs_read ksys_read', 'vfs_read ksys_read'],
  },
  write: {
    ext4: [
      `copy_page_from_iter_atomic generic_perform_write ${W_EXT4}`,
      `copy_page_from_iter_atomic generic_perform_write ${W_EXT4}`,
      `__filemap_get_folio ext4_da_write_begin generic_perform_write ${W_EXT4}`,
      `ext4_da_write_end generic_perform_write ${W_EXT4}`,
      `ext4_es_lookup_extent ext4_da_map_blocks ext4_da_get_block_prep ext4_block_write_begin ext4_da_write_begin generic_perform_write ${W_EXT4}`,
      `file_update_time ${W_EXT4}`,
    ],
    xfs: [
      'copy_page_from_iter_atomic iomap_write_iter iomap_file_buffered_write xfs_file_buffered_write xfs_file_write_iter vfs_write_iter vfs_write ksys_write',
      'iomap_write_begin iomap_write_iter iomap_file_buffered_write xfs_file_buffered_write xfs_file_write_iter vfs_write_iter vfs_write ksys_write',
      'xfs_buffered_write_iomap_begin iomap_iter iomap_file_buffered_write xfs_file_buffered_write xfs_file_write_iter vfs_write_iter vfs_write ksys_write',
    ],
    tmpfs: ['copy_page_from_iter_atomic generic_perform_write shmem_file_write_iter vfs_write_iter vfs_write ksys_write', 'shmem_write_begin generic_perform_write shmem_file_write_iter vfs_write_iter vfs_write ksys_write'],
    proc: ['proc_reg_write vfs_write ksys_write'],
    tcp: [
      `rep_movs_alternative _copy_from_iter skb_do_copy_data_nocache ${W_TCP}`,
      `rep_movs_alternative _copy_from_iter skb_do_copy_data_nocache ${W_TCP}`,
      `${XMIT} ${W_TCP}`,
      `${XMIT} ${W_TCP}`,
      `__ip_queue_xmit __tcp_transmit_skb tcp_write_xmit __tcp_push_pending_frames tcp_push ${W_TCP}`,
      `kmem_cache_alloc_node __alloc_skb tcp_stream_alloc_skb ${W_TCP}`,
      `tcp_rate_check_app_limited ${W_TCP}`,
    ],
    udp: [`ip_make_skb ${W_UDP}`, `ip_route_output_flow ${W_UDP}`, `__dev_queue_xmit ip_finish_output2 ip_output ip_send_skb udp_send_skb ${W_UDP}`, `__dev_queue_xmit ip_finish_output2 ip_output ip_send_skb udp_send_skb ${W_UDP}`],
    unix: [`rep_movs_alternative _copy_from_iter skb_copy_datagram_from_iter ${W_UNIX}`, `sock_def_readable ${W_UNIX}`, `__alloc_skb alloc_skb_with_frags sock_alloc_send_pskb ${W_UNIX}`],
    pipe: ['rep_movs_alternative copy_page_from_iter pipe_write vfs_write_iter vfs_write ksys_write', '__wake_up_sync_key pipe_write vfs_write_iter vfs_write ksys_write', 'file_update_time pipe_write vfs_write_iter vfs_write ksys_write'],
    tty: [
      'queue_work_on tty_flip_buffer_push pty_write n_tty_write iterate_tty_write file_tty_write tty_write vfs_write_iter vfs_write ksys_write',
      'pty_write n_tty_write iterate_tty_write file_tty_write tty_write vfs_write_iter vfs_write ksys_write',
      'rep_movs_alternative _copy_from_user iterate_tty_write file_tty_write tty_write vfs_write_iter vfs_write ksys_write',
    ],
    null: ['write_null vfs_write ksys_write'],
    event: ['eventfd_write vfs_write ksys_write'],
    any: ['apparmor_file_permission security_file_permission rw_verify_area vfs_write ksys_write', 'vfs_write ksys_write'],
  },
  sendfile64: {
    any: [
      `rep_movs_alternative copy_page_to_iter filemap_splice_read ${SPLICE}`,
      `filemap_get_read_batch filemap_get_pages filemap_splice_read ${SPLICE}`,
      `${XMIT} tcp_sendmsg_locked tcp_sendmsg inet_sendmsg sock_sendmsg splice_to_socket direct_splice_actor ${SPLICE}`,
      `tcp_sendmsg_locked tcp_sendmsg inet_sendmsg sock_sendmsg splice_to_socket direct_splice_actor ${SPLICE}`,
    ],
  },
  openat: {
    any: [
      `${WALK} ${OPEN}`,
      `${WALK} ${OPEN}`,
      `generic_permission inode_permission link_path_walk ${OPEN}`,
      `do_dentry_open vfs_open do_open ${OPEN}`,
      `ext4_file_open do_dentry_open vfs_open do_open ${OPEN}`,
      `apparmor_file_open security_file_open do_dentry_open vfs_open do_open ${OPEN}`,
      `kmem_cache_alloc alloc_empty_file ${OPEN}`,
      'strncpy_from_user getname_flags getname do_sys_openat2',
      'alloc_fd do_sys_openat2',
    ],
  },
  newfstatat: {
    any: [
      `${WALK} path_lookupat filename_lookup ${STAT}`,
      `${WALK} path_lookupat filename_lookup ${STAT}`,
      `ext4_getattr vfs_getattr ${STAT}`,
      'strncpy_from_user getname_flags vfs_fstatat __do_sys_newfstatat',
      'rep_movs_alternative _copy_to_user cp_new_stat __do_sys_newfstatat',
    ],
  },
  newfstat: { any: ['ext4_getattr vfs_getattr vfs_fstat __do_sys_newfstat', 'rep_movs_alternative _copy_to_user cp_new_stat __do_sys_newfstat'] },
  statx: { any: [`${WALK} path_lookupat filename_lookup vfs_statx do_statx`, 'ext4_getattr vfs_getattr vfs_statx do_statx', 'cp_statx do_statx'] },
  faccessat2: { any: [`${WALK} path_lookupat filename_lookup do_faccessat`, 'generic_permission inode_permission do_faccessat', 'prepare_creds do_faccessat'] },
  readlinkat: { any: [`${WALK} path_lookupat filename_lookup do_readlinkat`, 'ext4_get_link vfs_readlink do_readlinkat'] },
  close: { any: ['locks_remove_posix filp_flush filp_close', 'dnotify_flush filp_flush filp_close', 'file_close_fd', 'filp_close'] },
  getdents64: {
    ext4: ['filldir64 call_filldir ext4_dx_readdir ext4_readdir iterate_dir', 'filldir64 call_filldir ext4_dx_readdir ext4_readdir iterate_dir', 'ext4_htree_fill_tree ext4_dx_readdir ext4_readdir iterate_dir'],
    tmpfs: ['filldir64 dcache_readdir iterate_dir'],
    proc: ['filldir64 proc_pid_readdir proc_root_readdir iterate_dir', 'next_tgid proc_pid_readdir proc_root_readdir iterate_dir', 'proc_fill_cache proc_pid_readdir proc_root_readdir iterate_dir'],
    any: ['filldir64 dcache_readdir iterate_dir'],
  },
  epoll_wait: { any: ['tcp_poll sock_poll ep_item_poll ep_send_events ep_poll do_epoll_wait', 'ep_send_events ep_poll do_epoll_wait', 'ep_poll do_epoll_wait', '_raw_spin_lock_irqsave ep_poll do_epoll_wait'] },
  futex: { any: ['try_to_wake_up wake_up_q futex_wake do_futex', 'futex_wake do_futex', 'get_futex_key futex_wait_setup futex_wait do_futex', 'futex_q_lock futex_wait_setup futex_wait do_futex'] },
  mmap: {
    any: [
      'mmap_region do_mmap vm_mmap_pgoff ksys_mmap_pgoff',
      'vm_area_alloc mmap_region do_mmap vm_mmap_pgoff ksys_mmap_pgoff',
      'perf_event_mmap mmap_region do_mmap vm_mmap_pgoff ksys_mmap_pgoff',
      'arch_get_unmapped_area_topdown get_unmapped_area do_mmap vm_mmap_pgoff ksys_mmap_pgoff',
    ],
  },
  munmap: { any: ['zap_pte_range unmap_page_range unmap_vmas unmap_region do_vmi_align_munmap do_vmi_munmap __vm_munmap', 'free_pgtables unmap_region do_vmi_align_munmap do_vmi_munmap __vm_munmap', 'tlb_finish_mmu unmap_region do_vmi_align_munmap do_vmi_munmap __vm_munmap'] },
  mprotect: { any: ['change_protection mprotect_fixup do_mprotect_pkey', 'vma_modify_flags mprotect_fixup do_mprotect_pkey'] },
  brk: { any: ['do_brk_flags', 'vm_area_alloc do_brk_flags', 'unmap_region do_vmi_align_munmap do_vmi_munmap'] },
  madvise: { any: ['zap_pte_range unmap_page_range zap_page_range_single madvise_vma_behavior do_madvise'] },
  // A new process (fork) copies the address space; a new thread (CLONE_VM, clone3) shares it.
  clone: {
    any: [
      `copy_page_range dup_mmap dup_mm ${CLONE}`,
      `copy_page_range dup_mmap dup_mm ${CLONE}`,
      `anon_vma_fork dup_mmap dup_mm ${CLONE}`,
      `dup_fd copy_files ${CLONE}`,
      `kmem_cache_alloc_node dup_task_struct ${CLONE}`,
      'wake_up_new_task kernel_clone',
    ],
  },
  clone_thread: { any: [`kmem_cache_alloc_node dup_task_struct ${CLONE}`, `alloc_pid ${CLONE}`, `copy_thread ${CLONE}`, 'wake_up_new_task kernel_clone'] },
  execve: {
    any: [
      `unmap_vmas exit_mmap mmput begin_new_exec ${EXEC}`,
      `begin_new_exec ${EXEC}`,
      `elf_load ${EXEC}`,
      `setup_arg_pages ${EXEC}`,
      'copy_strings do_execveat_common',
      `${OPEN.replace(' do_sys_openat2', '')} do_open_execat bprm_execve do_execveat_common`,
    ],
  },
  exit_group: { any: [`unmap_vmas ${EXIT}`, `free_pgtables ${EXIT}`, `tlb_finish_mmu ${EXIT}`, 'filp_close put_files_struct exit_files do_exit do_group_exit'] },
  wait4: { any: ['do_wait kernel_wait4', 'wait_consider_task do_wait kernel_wait4', 'release_task wait_task_zombie wait_consider_task do_wait kernel_wait4'] },
  nanosleep: { any: ['hrtimer_start_range_ns do_nanosleep hrtimer_nanosleep', 'do_nanosleep hrtimer_nanosleep'] },
  poll: { any: ['tcp_poll sock_poll do_sys_poll', 'pipe_poll do_sys_poll', 'do_sys_poll'] },
  select: { any: ['tcp_poll sock_poll do_select core_sys_select kern_select', 'do_select core_sys_select kern_select'] },
  accept4: {
    any: [
      'd_alloc_pseudo alloc_file_pseudo sock_alloc_file do_accept __sys_accept4',
      'inet_csk_accept inet_accept do_accept __sys_accept4',
      'sock_alloc do_accept __sys_accept4',
      'security_socket_accept do_accept __sys_accept4',
    ],
  },
  connect: {
    any: [
      'ip_route_output_key_hash_rcu ip_route_output_flow tcp_v4_connect __inet_stream_connect inet_stream_connect __sys_connect',
      `${XMIT.replace(' tcp_write_xmit __tcp_push_pending_frames tcp_push', '')} tcp_connect tcp_v4_connect __inet_stream_connect inet_stream_connect __sys_connect`,
      '__inet_hash_connect tcp_v4_connect __inet_stream_connect inet_stream_connect __sys_connect',
    ],
    unix: ['unix_stream_connect __sys_connect'],
    udp: ['ip4_datagram_connect inet_dgram_connect __sys_connect'],
  },
  socket: {
    any: [
      'kmem_cache_alloc sk_prot_alloc sk_alloc inet_create sock_create __sys_socket',
      'sock_alloc sock_create __sys_socket',
      'alloc_file_pseudo sock_alloc_file sock_map_fd __sys_socket',
    ],
  },
  bind: { any: ['inet_csk_get_port inet_bind __sys_bind', 'inet_bind __sys_bind'] },
  setsockopt: { any: ['do_tcp_setsockopt tcp_setsockopt do_sock_setsockopt __sys_setsockopt', 'sk_setsockopt sock_setsockopt do_sock_setsockopt __sys_setsockopt'] },
  shutdown: { any: [`${XMIT.replace(' tcp_write_xmit __tcp_push_pending_frames tcp_push', '')} tcp_send_fin tcp_shutdown inet_shutdown __sys_shutdown`, 'tcp_shutdown inet_shutdown __sys_shutdown'] },
  ioctl: { tty: ['tty_ioctl vfs_ioctl', 'tty_jobctrl_ioctl tty_ioctl vfs_ioctl', 'n_tty_ioctl tty_ioctl vfs_ioctl'], tcp: ['sock_ioctl vfs_ioctl'], any: ['do_vfs_ioctl'] },
  fsync: {
    xfs: ['xfs_log_force_seq xfs_file_fsync vfs_fsync_range do_fsync', 'iomap_writepages xfs_vm_writepages do_writepages filemap_fdatawrite_wbc __filemap_fdatawrite_range file_write_and_wait_range xfs_file_fsync vfs_fsync_range do_fsync'],
    ext4: [
      'ext4_writepages do_writepages filemap_fdatawrite_wbc __filemap_fdatawrite_range file_write_and_wait_range ext4_sync_file vfs_fsync_range do_fsync',
      '__filemap_fdatawait_range file_write_and_wait_range ext4_sync_file vfs_fsync_range do_fsync',
      'blkdev_issue_flush ext4_sync_file vfs_fsync_range do_fsync',
    ],
    any: ['file_write_and_wait_range vfs_fsync_range do_fsync'],
  },
  lseek: { any: ['generic_file_llseek_size ext4_llseek ksys_lseek', 'ksys_lseek'] },
  unlinkat: {
    any: [
      'ext4_delete_entry __ext4_unlink ext4_unlink vfs_unlink do_unlinkat',
      'truncate_inode_pages_range ext4_evict_inode evict iput do_unlinkat',
      'ext4_evict_inode evict iput do_unlinkat',
      'lookup_one_qstr_excl do_unlinkat',
    ],
  },
  renameat2: { any: ['ext4_rename ext4_rename2 vfs_rename do_renameat2', 'lock_rename do_renameat2'] },
  mkdirat: { any: ['__ext4_new_inode ext4_mkdir vfs_mkdir do_mkdirat', 'ext4_add_entry ext4_mkdir vfs_mkdir do_mkdirat'] },
  rmdir: { any: ['ext4_rmdir vfs_rmdir do_rmdir'] },
  pipe2: { any: ['alloc_pipe_info get_pipe_inode create_pipe_files __do_pipe_flags do_pipe2', 'alloc_file_pseudo create_pipe_files __do_pipe_flags do_pipe2'] },
  getrandom: { any: ['chacha_permute chacha_block_generic get_random_bytes_user', 'rep_movs_alternative _copy_to_iter get_random_bytes_user'] },
  kill: { any: ['__send_signal_locked send_signal_locked do_send_sig_info kill_pid_info kill_something_info', 'kill_something_info'] },
  tgkill: { any: ['__send_signal_locked send_signal_locked do_send_specific do_tkill', 'do_tkill'] },
  sched_yield: { any: ['do_sched_yield'] },
  newuname: { any: ['rep_movs_alternative _copy_to_user __do_sys_newuname'] },
  sysinfo: { any: ['si_meminfo do_sysinfo'] },
  sync: { any: ['sync_inodes_one_sb iterate_supers ksys_sync', 'iterate_supers ksys_sync'] },
  ftruncate: { any: ['ext4_setattr notify_change do_truncate do_sys_ftruncate'] },
  epoll_ctl: { any: ['kmem_cache_alloc ep_insert do_epoll_ctl', 'tcp_poll sock_poll ep_item_poll ep_insert do_epoll_ctl', 'do_epoll_ctl'] },
  readahead: { any: ['read_pages page_cache_ra_unbounded ksys_readahead'] },
};

/**
 * Calls that share another call's chains with some frames replaced: [call, [from, to]...].
 * Replacements apply to the space-separated text of each chain.
 */
export const DERIVED_CHAINS: Record<string, readonly [string, ...(readonly [string, string])[]]> = {
  pread64: ['read', ['ksys_read', 'ksys_pread64']],
  pwrite64: ['write', ['ksys_write', 'ksys_pwrite64']],
  readv: [
    'read',
    ['new_sync_read vfs_read ksys_read', 'do_iter_readv_writev vfs_readv do_readv'],
    ['sock_read_iter vfs_read ksys_read', 'sock_read_iter do_iter_readv_writev vfs_readv do_readv'],
    ['vfs_read ksys_read', 'vfs_readv do_readv'],
  ],
  writev: [
    'write',
    ['vfs_write_iter vfs_write ksys_write', 'do_iter_readv_writev vfs_writev do_writev'],
    ['sock_write_iter vfs_write ksys_write', 'sock_write_iter do_iter_readv_writev vfs_writev do_writev'],
    ['vfs_write ksys_write', 'vfs_writev do_writev'],
  ],
  recvfrom: ['read', ['sock_read_iter vfs_read ksys_read', '__sys_recvfrom']],
  sendto: ['write', ['sock_write_iter vfs_write ksys_write', '__sys_sendto']],
  recvmsg: ['read', ['sock_read_iter vfs_read ksys_read', '____sys_recvmsg ___sys_recvmsg __sys_recvmsg']],
  sendmsg: ['write', ['sock_write_iter vfs_write ksys_write', '____sys_sendmsg ___sys_sendmsg __sys_sendmsg']],
  recvmmsg: ['read', ['sock_read_iter vfs_read ksys_read', '____sys_recvmsg ___sys_recvmsg do_recvmmsg __sys_recvmmsg']],
  sendmmsg: ['write', ['sock_write_iter vfs_write ksys_write', '____sys_sendmsg ___sys_sendmsg __sys_sendmmsg']],
  open: ['openat'],
  creat: ['openat'],
  openat2: ['openat'],
  newstat: ['newfstatat'],
  newlstat: ['newfstatat'],
  access: ['faccessat2'],
  faccessat: ['faccessat2'],
  readlink: ['readlinkat'],
  getdents: ['getdents64', ['filldir64', 'filldir']],
  epoll_pwait: ['epoll_wait'],
  fork: ['clone'],
  vfork: ['clone'],
  execveat: ['execve'],
  exit: ['exit_group', [' do_group_exit', '']],
  clock_nanosleep: ['nanosleep', ['hrtimer_nanosleep', 'hrtimer_nanosleep common_nsleep']],
  ppoll: ['poll'],
  pselect6: ['select', [' kern_select', '']],
  accept: ['accept4'],
  fdatasync: ['fsync'],
  unlink: ['unlinkat'],
  rename: ['renameat2'],
  renameat: ['renameat2'],
  mkdir: ['mkdirat'],
  pipe: ['pipe2'],
  truncate: ['ftruncate', ['do_sys_ftruncate', 'do_sys_truncate']],
};

/** The chains of `call` (derived ones expanded), or undefined when the call has none. */
export function workChains(call: string): WorkChains | undefined {
  const d = DERIVED_CHAINS[call];
  if (!d) return WORK_CHAINS[call];
  const [base, ...subs] = d;
  const src = WORK_CHAINS[base];
  const out: WorkChains = {};
  for (const kind of Object.keys(src) as WorkKind[]) out[kind] = src[kind]!.map((c) => subs.reduce((s, [from, to]) => s.replace(from, to), c));
  return out;
}

/** Every function name the chains use (for kallsyms). */
export function workChainSymbols(): string[] {
  const names = new Set<string>();
  for (const call of [...Object.keys(WORK_CHAINS), ...Object.keys(DERIVED_CHAINS)]) {
    const chains = workChains(call)!;
    for (const list of Object.values(chains)) for (const c of list) for (const f of c.split(' ')) if (f) names.add(f);
  }
  return [...names];
}
