// Field offsets of the kernel structs the simulated kernel writes, looked up once from
// the type table so hot code writes `lin + TASK.pid` without searching.
import { kernelTypes } from '../btf/table';

const T = kernelTypes();

export const TASK = T.offsets('task_struct', [
  'thread_info.cpu', '__state', 'flags', 'on_cpu', 'on_rq', 'prio', 'static_prio', 'normal_prio', 'se.on_rq',
  'se.exec_start', 'se.sum_exec_runtime', 'se.vruntime', 'se.nr_migrations', 'se.cfs_rq', 'policy', 'nr_cpus_allowed',
  'sched_info.pcount', 'sched_info.run_delay', 'sched_info.last_arrival', 'sched_info.last_queued', 'mm', 'active_mm',
  'exit_state', 'exit_code', 'exit_signal', 'pid', 'tgid', 'real_parent', 'parent', 'children', 'sibling',
  'group_leader', 'thread_pid', 'utime', 'stime', 'nvcsw', 'nivcsw', 'start_time', 'start_boottime', 'min_flt',
  'maj_flt', 'real_cred', 'cred', 'comm', 'fs', 'files', 'nsproxy', 'signal', 'cgroups', 'stack', 'usage',
  'pending.signal', 'sessionid',
]);
export const CRED = T.offsets('cred', ['usage', 'uid', 'gid', 'suid', 'sgid', 'euid', 'egid', 'fsuid', 'fsgid', 'cap_inheritable', 'cap_permitted', 'cap_effective', 'cap_bset', 'user_ns']);
export const PID = T.offsets('pid', ['count', 'level', 'numbers']);
export const UPID_SIZE = T.sizeOf({ kind: 'struct', name: 'upid' });
export const UPID = T.offsets('upid', ['nr', 'ns']);
export const MM = T.offsets('mm_struct', ['mmap_base', 'task_size', 'mm_users', 'mm_count', 'map_count', 'total_vm', 'data_vm', 'exec_vm', 'stack_vm', 'start_code', 'end_code', 'start_data', 'end_data', 'start_brk', 'brk', 'start_stack', 'arg_start', 'arg_end', 'env_start', 'env_end', 'exe_file', 'owner', 'rss_stat']);
export const FS = T.offsets('fs_struct', ['users', 'umask', 'root.mnt', 'root.dentry', 'pwd.mnt', 'pwd.dentry']);
export const FILES = T.offsets('files_struct', ['count', 'fdt', 'fdtab.max_fds', 'fdtab.fd', 'fdtab.open_fds', 'next_fd', 'open_fds_init', 'fd_array']);
export const FDT = T.offsets('fdtable', ['max_fds', 'fd', 'open_fds']);
export const SIGNAL = T.offsets('signal_struct', ['sigcnt', 'live', 'nr_threads', 'group_exit_code', 'flags', 'tty', 'nvcsw', 'nivcsw', 'min_flt', 'maj_flt', 'oom_score_adj', 'rlim']);
export const TTY = T.offsets('tty_struct', ['index', 'name']);
export const NSPROXY = T.offsets('nsproxy', ['count', 'uts_ns', 'mnt_ns', 'pid_ns_for_children', 'net_ns', 'cgroup_ns']);
export const UTS_NS = T.offsets('uts_namespace', ['name.sysname', 'name.nodename', 'name.release', 'name.version', 'name.machine', 'name.domainname', 'ns.inum']);
export const PID_NS = T.offsets('pid_namespace', ['child_reaper', 'pid_allocated', 'level', 'parent', 'ns.inum']);
export const MNT_NS = T.offsets('mnt_namespace', ['ns.inum', 'root', 'nr_mounts']);
export const NET_NS = T.offsets('net', ['ns.inum', 'ifindex']);
export const CGROUP_NS = T.offsets('cgroup_namespace', ['ns.inum', 'root_cset']);
export const KERNFS = T.offsets('kernfs_node', ['count', 'parent', 'name', 'id', 'mode', 'flags']);
export const CGROUP = T.offsets('cgroup', ['self.cgroup', 'self.id', 'self.parent', 'level', 'kn', 'ancestor_ids']);
export const CSS_SET = T.offsets('css_set', ['subsys', 'refcount', 'dfl_cgrp', 'nr_tasks']);
export const RQ = T.offsets('rq', ['nr_running', 'nr_switches', 'cfs', 'cfs.nr_running', 'cfs.h_nr_running', 'cfs.min_vruntime', 'cfs.curr', 'cfs.rq', 'curr', 'idle', 'clock', 'clock_task', 'nr_iowait', 'cpu', 'online', 'nr_uninterruptible']);
export const USER_NS = T.offsets('user_namespace', ['level', 'ns.inum']);
export const PT_REGS = T.offsets('pt_regs', ['di', 'si', 'dx', 'r10', 'r8', 'r9', 'ax', 'orig_ax', 'ip', 'sp', 'cs', 'ss', 'flags']);
export const FILE = T.offsets('file', ['f_count', 'f_mode', 'f_mapping', 'private_data', 'f_inode', 'f_flags', 'f_cred', 'f_path.mnt', 'f_path.dentry', 'f_pos', 'f_ra.ra_pages']);
export const DENTRY = T.offsets('dentry', ['d_flags', 'd_parent', 'd_name.hash', 'd_name.len', 'd_name.name', 'd_inode', 'd_iname', 'd_sb', 'd_lockref']);
export const INODE = T.offsets('inode', ['i_mode', 'i_uid', 'i_gid', 'i_sb', 'i_mapping', 'i_ino', '__i_nlink', 'i_rdev', 'i_size', 'i_atime_sec', 'i_mtime_sec', 'i_ctime_sec', 'i_blkbits', 'i_blocks', 'i_count', 'i_data', 'i_data.host', 'i_data.nrpages']);
export const SB = T.offsets('super_block', ['s_dev', 's_blocksize_bits', 's_blocksize', 's_type', 's_magic', 's_root', 's_bdev', 's_id']);
export const FSTYPE = T.offsets('file_system_type', ['name']);
export const MOUNT = T.offsets('mount', ['mnt_parent', 'mnt_mountpoint', 'mnt', 'mnt.mnt_root', 'mnt.mnt_sb', 'mnt_devname', 'mnt_id']);
export const FILENAME = T.offsets('filename', ['name', 'uptr', 'refcnt', 'iname']);
export const OPEN_HOW = T.offsets('open_how', ['flags', 'mode', 'resolve']);
export const GENDISK = T.offsets('gendisk', ['major', 'first_minor', 'minors', 'disk_name', 'part0', 'queue']);
export const BDEV = T.offsets('block_device', ['bd_start_sect', 'bd_nr_sectors', 'bd_disk', 'bd_queue', 'bd_dev', 'bd_partno']);
export const QUEUE = T.offsets('request_queue', ['queuedata', 'queue_flags', 'queue_depth', 'disk', 'nr_requests', 'id']);
export const REQUEST = T.offsets('request', ['q', 'cmd_flags', 'rq_flags', 'tag', 'timeout', '__data_len', '__sector', 'bio', 'biotail', 'part', 'alloc_time_ns', 'start_time_ns', 'io_start_time_ns', 'stats_sectors', 'nr_phys_segments', 'ioprio', 'state']);
export const BIO = T.offsets('bio', ['bi_next', 'bi_bdev', 'bi_opf', 'bi_ioprio', 'bi_status', 'bi_iter.bi_sector', 'bi_iter.bi_size', 'bi_vcnt']);
export const SOCK = T.offsets('tcp_sock', [
  'inet_conn.icsk_inet.sk.__sk_common.skc_daddr',
  'inet_conn.icsk_inet.sk.__sk_common.skc_rcv_saddr',
  'inet_conn.icsk_inet.sk.__sk_common.skc_dport',
  'inet_conn.icsk_inet.sk.__sk_common.skc_num',
  'inet_conn.icsk_inet.sk.__sk_common.skc_family',
  'inet_conn.icsk_inet.sk.__sk_common.skc_state',
  'inet_conn.icsk_inet.sk.__sk_common.skc_v6_daddr',
  'inet_conn.icsk_inet.sk.__sk_common.skc_v6_rcv_saddr',
  'inet_conn.icsk_inet.sk.__sk_common.skc_cookie',
  'inet_conn.icsk_inet.sk.__sk_common.skc_refcnt',
  'inet_conn.icsk_inet.sk.__sk_common.skc_net',
  'inet_conn.icsk_inet.sk.sk_drops',
  'inet_conn.icsk_inet.sk.sk_receive_queue.qlen',
  'inet_conn.icsk_inet.sk.sk_write_queue.qlen',
  'inet_conn.icsk_inet.sk.sk_rcvbuf',
  'inet_conn.icsk_inet.sk.sk_sndbuf',
  'inet_conn.icsk_inet.sk.sk_wmem_queued',
  'inet_conn.icsk_inet.sk.sk_type',
  'inet_conn.icsk_inet.sk.sk_protocol',
  'inet_conn.icsk_inet.sk.sk_err',
  'inet_conn.icsk_inet.sk.sk_ack_backlog',
  'inet_conn.icsk_inet.sk.sk_max_ack_backlog',
  'inet_conn.icsk_inet.sk.sk_uid',
  'inet_conn.icsk_inet.sk.sk_socket',
  'inet_conn.icsk_inet.sk.sk_rcvtimeo',
  'inet_conn.icsk_inet.sk.sk_sndtimeo',
  'inet_conn.icsk_inet.inet_saddr',
  'inet_conn.icsk_inet.inet_sport',
  'inet_conn.icsk_rto',
  'inet_conn.icsk_retransmits',
  'inet_conn.icsk_backoff',
  'inet_conn.icsk_ca_state',
  'bytes_received',
  'segs_in',
  'data_segs_in',
  'rcv_nxt',
  'copied_seq',
  'snd_nxt',
  'segs_out',
  'data_segs_out',
  'bytes_sent',
  'bytes_acked',
  'snd_una',
  'srtt_us',
  'mdev_us',
  'rttvar_us',
  'packets_out',
  'retrans_out',
  'snd_ssthresh',
  'snd_cwnd',
  'mss_cache',
  'snd_wnd',
  'rcv_wnd',
  'write_seq',
  'lost_out',
  'total_retrans',
  'bytes_retrans',
]);
export const SOCKET = T.offsets('socket', ['state', 'type', 'flags', 'file', 'sk']);
export const SKB = T.offsets('sk_buff', ['next', 'prev', 'dev', 'sk', 'tstamp', 'len', 'data_len', 'protocol', 'transport_header', 'network_header', 'mac_header', 'head', 'data', 'truesize', 'users']);
export const NETDEV = T.offsets('net_device', ['name', 'flags', 'mtu', 'ifindex', 'type', 'addr_len', 'dev_addr']);
export const MSGHDR = T.offsets('msghdr', ['msg_name', 'msg_namelen', 'msg_iter.iter_type', 'msg_iter.data_source', 'msg_iter.ubuf', 'msg_iter.count', 'msg_iter.nr_segs', 'msg_flags']);
export const SOCKADDR_IN = T.offsets('sockaddr_in', ['sin_family', 'sin_port', 'sin_addr']);
export const KMEM_CACHE = T.offsets('kmem_cache', ['size', 'object_size', 'name', 'align']);
export const VMA = T.offsets('vm_area_struct', ['vm_start', 'vm_end', 'vm_mm', 'vm_flags', 'vm_pgoff', 'vm_file']);
export const BINPRM = T.offsets('linux_binprm', ['mm', 'p', 'file', 'cred', 'argc', 'envc', 'filename', 'interp', 'buf']);
export const CLONE_ARGS = T.offsets('kernel_clone_args', ['flags', 'exit_signal', 'stack', 'tls']);
export const SIGINFO = T.offsets('kernel_siginfo', ['si_signo', 'si_errno', 'si_code', '_sifields._kill._pid', '_sifields._kill._uid']);
export const HRTIMER_SLEEPER = T.offsets('hrtimer_sleeper', ['timer.node.expires', 'timer._softexpires', 'timer.function', 'task']);
export const OOM = T.offsets('oom_control', ['memcg', 'gfp_mask', 'order', 'totalpages', 'chosen', 'chosen_points']);
export const KSTAT = T.offsets('kstat', ['mode', 'nlink', 'ino', 'size', 'blocks']);
export const KIOCB = T.offsets('kiocb', ['ki_filp', 'ki_pos', 'ki_flags']);
export const IOV_ITER = T.offsets('iov_iter', ['iter_type', 'data_source', 'ubuf', 'count', 'nr_segs']);
export const RENAMEDATA = T.offsets('renamedata', ['old_dir', 'old_dentry', 'new_dir', 'new_dentry', 'flags']);
export const NAMEIDATA = T.offsets('nameidata', ['path.mnt', 'path.dentry', 'last.hash', 'last.len', 'last.name', 'flags', 'dfd', 'name']);

export const SIZE = {
  task: TASK.SIZE,
  cred: CRED.SIZE,
  pid: PID.SIZE,
  mm: MM.SIZE,
  fs: FS.SIZE,
  files: FILES.SIZE,
  signal: SIGNAL.SIZE,
  file: FILE.SIZE,
  dentry: DENTRY.SIZE,
  inode: INODE.SIZE,
  ptRegs: PT_REGS.SIZE,
  request: REQUEST.SIZE,
  bio: BIO.SIZE,
  sock: SOCK.SIZE,
  socket: SOCKET.SIZE,
  skb: SKB.SIZE,
  filename: FILENAME.SIZE,
};
