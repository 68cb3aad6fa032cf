// The object-like macros of the system headers tools commonly `#include`, as a table:
// bpftrace gets them by running clang over the header; here `#include <linux/sched.h>`
// brings the constants listed for that header into scope as if `#define`d at that point.
// Kernel types and enums (tcp_state, skb_drop_reason, ...) are not here: they come from
// the catalogue's BTF type table. Headers not listed are still ignored.

type Macros = Readonly<Record<string, number>>;

const TASK_STATES: Macros = {
  TASK_RUNNING: 0x0,
  TASK_INTERRUPTIBLE: 0x1,
  TASK_UNINTERRUPTIBLE: 0x2,
  __TASK_STOPPED: 0x4,
  __TASK_TRACED: 0x8,
  EXIT_DEAD: 0x10,
  EXIT_ZOMBIE: 0x20,
  TASK_PARKED: 0x40,
  TASK_DEAD: 0x80,
  TASK_WAKEKILL: 0x100,
  TASK_WAKING: 0x200,
  TASK_NOLOAD: 0x400,
  TASK_NEW: 0x800,
  TASK_KILLABLE: 0x102,
  TASK_STOPPED: 0x104,
  TASK_IDLE: 0x402,
  PF_EXITING: 0x4,
  PF_KTHREAD: 0x00200000,
};

const CLONE_FLAGS: Macros = {
  CSIGNAL: 0xff,
  CLONE_VM: 0x100,
  CLONE_FS: 0x200,
  CLONE_FILES: 0x400,
  CLONE_SIGHAND: 0x800,
  CLONE_PIDFD: 0x1000,
  CLONE_PTRACE: 0x2000,
  CLONE_VFORK: 0x4000,
  CLONE_PARENT: 0x8000,
  CLONE_THREAD: 0x10000,
  CLONE_NEWNS: 0x20000,
  CLONE_SYSVSEM: 0x40000,
  CLONE_SETTLS: 0x80000,
  CLONE_PARENT_SETTID: 0x100000,
  CLONE_CHILD_CLEARTID: 0x200000,
  CLONE_UNTRACED: 0x800000,
  CLONE_CHILD_SETTID: 0x1000000,
  CLONE_NEWCGROUP: 0x2000000,
  CLONE_NEWUTS: 0x4000000,
  CLONE_NEWIPC: 0x8000000,
  CLONE_NEWUSER: 0x10000000,
  CLONE_NEWPID: 0x20000000,
  CLONE_NEWNET: 0x40000000,
  CLONE_IO: 0x80000000,
};

const ADDRESS_FAMILIES: Macros = {
  AF_UNSPEC: 0,
  AF_UNIX: 1,
  AF_LOCAL: 1,
  AF_INET: 2,
  AF_INET6: 10,
  AF_NETLINK: 16,
  AF_PACKET: 17,
  PF_UNSPEC: 0,
  PF_UNIX: 1,
  PF_LOCAL: 1,
  PF_INET: 2,
  PF_INET6: 10,
  PF_NETLINK: 16,
  PF_PACKET: 17,
  SOCK_STREAM: 1,
  SOCK_DGRAM: 2,
  SOCK_RAW: 3,
};

const IP_PROTOCOLS: Macros = {
  IPPROTO_IP: 0,
  IPPROTO_ICMP: 1,
  IPPROTO_TCP: 6,
  IPPROTO_UDP: 17,
  IPPROTO_IPV6: 41,
  IPPROTO_ICMPV6: 58,
  IPPROTO_RAW: 255,
};

const OPEN_FLAGS: Macros = {
  O_ACCMODE: 0o3,
  O_RDONLY: 0o0,
  O_WRONLY: 0o1,
  O_RDWR: 0o2,
  O_CREAT: 0o100,
  O_EXCL: 0o200,
  O_NOCTTY: 0o400,
  O_TRUNC: 0o1000,
  O_APPEND: 0o2000,
  O_NONBLOCK: 0o4000,
  O_DSYNC: 0o10000,
  O_DIRECT: 0o40000,
  O_LARGEFILE: 0o100000,
  O_DIRECTORY: 0o200000,
  O_NOFOLLOW: 0o400000,
  O_NOATIME: 0o1000000,
  O_CLOEXEC: 0o2000000,
  O_SYNC: 0o4010000,
  O_PATH: 0o10000000,
  O_TMPFILE: 0o20200000,
  AT_FDCWD: -100,
  AT_SYMLINK_NOFOLLOW: 0x100,
  AT_REMOVEDIR: 0x200,
  AT_EMPTY_PATH: 0x1000,
};

const SIGNALS: Macros = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGSTKFLT: 16,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGIO: 29,
  SIGPWR: 30,
  SIGSYS: 31,
};

const CAPABILITIES: Macros = Object.fromEntries(
  [
    'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE',
    'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE',
    'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE',
    'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
    'CHECKPOINT_RESTORE',
  ].map((name, i) => [`CAP_${name}`, i]),
);

const ERRNOS: Macros = Object.fromEntries(
  [
    'EPERM', 'ENOENT', 'ESRCH', 'EINTR', 'EIO', 'ENXIO', 'E2BIG', 'ENOEXEC', 'EBADF', 'ECHILD', 'EAGAIN', 'ENOMEM', 'EACCES', 'EFAULT',
    'ENOTBLK', 'EBUSY', 'EEXIST', 'EXDEV', 'ENODEV', 'ENOTDIR', 'EISDIR', 'EINVAL', 'ENFILE', 'EMFILE', 'ENOTTY', 'ETXTBSY', 'EFBIG',
    'ENOSPC', 'ESPIPE', 'EROFS', 'EMLINK', 'EPIPE', 'EDOM', 'ERANGE',
  ].map((name, i) => [name, i + 1]),
);

const HEADERS: Readonly<Record<string, readonly Macros[]>> = {
  'linux/sched.h': [TASK_STATES, CLONE_FLAGS],
  'uapi/linux/sched.h': [CLONE_FLAGS],
  'linux/socket.h': [ADDRESS_FAMILIES],
  'sys/socket.h': [ADDRESS_FAMILIES],
  'net/sock.h': [ADDRESS_FAMILIES],
  'net/inet_sock.h': [ADDRESS_FAMILIES],
  'linux/in.h': [IP_PROTOCOLS],
  'netinet/in.h': [IP_PROTOCOLS],
  'linux/fcntl.h': [OPEN_FLAGS],
  'fcntl.h': [OPEN_FLAGS],
  'linux/fs.h': [OPEN_FLAGS],
  'linux/signal.h': [SIGNALS],
  'signal.h': [SIGNALS],
  'linux/capability.h': [CAPABILITIES],
  'linux/errno.h': [ERRNOS],
  'errno.h': [ERRNOS],
};

/** The macros a `#include <path>` defines (empty for a header not in the table). */
export function headerMacros(path: string): readonly (readonly [name: string, value: number])[] {
  return (HEADERS[path] ?? []).flatMap((m) => Object.entries(m));
}
