// Basic kernel typedefs and small shared structs (lists, atomics, ids, time, pt_regs),
// written as C declarations in the shape of a Linux 6.x x86-64 kernel's BTF. Subsystem
// structs live in the other types-*.ts files.
export const BASE_TYPES = `
typedef signed char s8;
typedef unsigned char u8;
typedef short s16;
typedef unsigned short u16;
typedef int s32;
typedef unsigned int u32;
typedef long long s64;
typedef unsigned long long u64;
typedef s8 __s8;
typedef u8 __u8;
typedef s16 __s16;
typedef u16 __u16;
typedef s32 __s32;
typedef u32 __u32;
typedef s64 __s64;
typedef u64 __u64;
typedef u16 __be16;
typedef u32 __be32;
typedef u64 __be64;
typedef u16 __le16;
typedef u32 __le32;
typedef u32 __wsum;
typedef u16 __sum16;
typedef _Bool bool;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned short umode_t;
typedef long long loff_t;
typedef long off_t;
typedef unsigned long size_t;
typedef long ssize_t;
typedef u32 dev_t;
typedef u64 sector_t;
typedef u64 blkcnt_t;
typedef unsigned int gfp_t;
typedef unsigned int fmode_t;
typedef unsigned long ino_t;
typedef s64 ktime_t;
typedef long long time64_t;
typedef int clockid_t;
typedef unsigned short sa_family_t;
typedef u8 blk_status_t;
typedef u32 blk_opf_t;
typedef u32 req_flags_t;
typedef unsigned int vm_fault_t;
typedef unsigned long vm_flags_t;
typedef int rwf_t;
typedef unsigned long pgoff_t;
typedef unsigned int slab_flags_t;
typedef u64 __addrpair;
typedef u32 __portpair;
typedef void *fl_owner_t;
typedef int cap_user_header_t;
typedef int cap_user_data_t;
typedef int key_t;
typedef int key_serial_t;
typedef unsigned int qid_t;
typedef long __kernel_old_time_t;
typedef unsigned long aio_context_t;
typedef int timer_t;
typedef int mqd_t;
typedef unsigned long irq_hw_number_t;
typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;
typedef struct { long counter; } atomic_long_t;
typedef struct { atomic_t refs; } refcount_t;
typedef struct { uid_t val; } kuid_t;
typedef struct { gid_t val; } kgid_t;
typedef struct { u64 val; } kernel_cap_t;
typedef struct { unsigned long sig[1]; } sigset_t;
typedef struct { u32 val; } spinlock_t;
typedef struct { u32 val; } raw_spinlock_t;
typedef struct { unsigned int sequence; } seqcount_t;
typedef struct { unsigned long pgprot; } pgprot_t;
typedef struct { unsigned long bits[1]; } nodemask_t;
typedef struct { unsigned long bits[1]; } cpumask_t;
typedef struct { struct net *net; } possible_net_t;
typedef struct { unsigned long fds_bits[16]; } __kernel_fd_set;
typedef __kernel_fd_set fd_set;

struct list_head {
  struct list_head *next;
  struct list_head *prev;
};
struct hlist_node {
  struct hlist_node *next;
  struct hlist_node **pprev;
};
struct hlist_head {
  struct hlist_node *first;
};
struct hlist_nulls_node {
  struct hlist_nulls_node *next;
  struct hlist_nulls_node **pprev;
};
struct llist_node {
  struct llist_node *next;
};
struct callback_head {
  struct callback_head *next;
  void *func;
};
struct rb_node {
  unsigned long __rb_parent_color;
  struct rb_node *rb_right;
  struct rb_node *rb_left;
};
struct rb_root {
  struct rb_node *rb_node;
};
struct rb_root_cached {
  struct rb_root rb_root;
  struct rb_node *rb_leftmost;
};
struct mutex {
  atomic_long_t owner;
  raw_spinlock_t wait_lock;
  struct list_head wait_list;
};
struct wait_queue_head {
  spinlock_t lock;
  struct list_head head;
};
struct kref {
  refcount_t refcount;
};
struct percpu_ref {
  unsigned long percpu_count_ptr;
  struct percpu_ref_data *data;
};
struct qstr {
  union {
    struct {
      u32 hash;
      u32 len;
    };
    u64 hash_len;
  };
  const unsigned char *name;
};
struct timespec64 {
  time64_t tv_sec;
  long tv_nsec;
};
struct __kernel_timespec {
  long long tv_sec;
  long long tv_nsec;
};
struct __kernel_old_timeval {
  long tv_sec;
  long tv_usec;
};
struct timezone {
  int tz_minuteswest;
  int tz_dsttime;
};
struct rlimit {
  unsigned long rlim_cur;
  unsigned long rlim_max;
};
struct pt_regs {
  unsigned long r15;
  unsigned long r14;
  unsigned long r13;
  unsigned long r12;
  unsigned long bp;
  unsigned long bx;
  unsigned long r11;
  unsigned long r10;
  unsigned long r9;
  unsigned long r8;
  unsigned long ax;
  unsigned long cx;
  unsigned long dx;
  unsigned long si;
  unsigned long di;
  unsigned long orig_ax;
  unsigned long ip;
  unsigned long cs;
  unsigned long flags;
  unsigned long sp;
  unsigned long ss;
};
struct new_utsname {
  char sysname[65];
  char nodename[65];
  char release[65];
  char version[65];
  char machine[65];
  char domainname[65];
};
struct ns_common {
  struct dentry *stashed;
  const struct proc_ns_operations *ops;
  unsigned int inum;
  refcount_t count;
};
enum pid_type {
  PIDTYPE_PID,
  PIDTYPE_TGID,
  PIDTYPE_PGID,
  PIDTYPE_SID,
  PIDTYPE_MAX,
};
enum hrtimer_mode {
  HRTIMER_MODE_ABS = 0,
  HRTIMER_MODE_REL = 1,
  HRTIMER_MODE_PINNED = 2,
  HRTIMER_MODE_SOFT = 4,
  HRTIMER_MODE_HARD = 8,
  HRTIMER_MODE_ABS_PINNED = 2,
  HRTIMER_MODE_REL_PINNED = 3,
};
enum hrtimer_restart {
  HRTIMER_NORESTART,
  HRTIMER_RESTART,
};
struct timerqueue_node {
  struct rb_node node;
  ktime_t expires;
};
struct hrtimer {
  struct timerqueue_node node;
  ktime_t _softexpires;
  void *function;
  struct hrtimer_clock_base *base;
  u8 state;
  u8 is_rel;
  u8 is_soft;
  u8 is_hard;
};
struct hrtimer_sleeper {
  struct hrtimer timer;
  struct task_struct *task;
};
struct timer_list {
  struct hlist_node entry;
  unsigned long expires;
  void *function;
  u32 flags;
};
struct kernel_siginfo {
  int si_signo;
  int si_errno;
  int si_code;
  union {
    struct {
      pid_t _pid;
      uid_t _uid;
    } _kill;
    struct {
      pid_t _pid;
      uid_t _uid;
      int _status;
      long _utime;
      long _stime;
    } _sigchld;
  } _sifields;
};
struct siginfo {
  int si_signo;
  int si_errno;
  int si_code;
  int __pad;
  u8 _sifields[112];
};
typedef struct siginfo siginfo_t;
struct sigaltstack {
  void *ss_sp;
  int ss_flags;
  size_t ss_size;
};
typedef struct sigaltstack stack_t;
struct iovec {
  void *iov_base;
  size_t iov_len;
};
struct kvec {
  void *iov_base;
  size_t iov_len;
};
struct iov_iter {
  u8 iter_type;
  bool nofault;
  bool data_source;
  size_t iov_offset;
  union {
    struct iovec __ubuf_iovec;
    struct {
      union {
        const struct iovec *__iov;
        const struct kvec *kvec;
        void *ubuf;
      };
      size_t count;
    };
  };
  unsigned long nr_segs;
};
struct kiocb {
  struct file *ki_filp;
  loff_t ki_pos;
  void *ki_complete;
  void *private;
  int ki_flags;
  u16 ki_ioprio;
};
`;
