// VFS and block-layer structs (file, path, dentry, inode, super_block, mount, filename,
// request, bio, gendisk, block_device, page cache and slab bits) as C declarations in
// the shape of Linux 6.x x86-64.
export const FS_TYPES = `
struct path {
  struct vfsmount *mnt;
  struct dentry *dentry;
};
struct file_system_type {
  const char *name;
  int fs_flags;
  struct module *owner;
  struct file_system_type *next;
};
struct super_block {
  struct list_head s_list;
  dev_t s_dev;
  unsigned char s_blocksize_bits;
  unsigned long s_blocksize;
  loff_t s_maxbytes;
  struct file_system_type *s_type;
  const struct super_operations *s_op;
  unsigned long s_flags;
  unsigned long s_iflags;
  unsigned long s_magic;
  struct dentry *s_root;
  int s_count;
  atomic_t s_active;
  struct block_device *s_bdev;
  struct file *s_bdev_file;
  char s_id[32];
  u8 s_uuid[16];
  void *s_fs_info;
};
struct vfsmount {
  struct dentry *mnt_root;
  struct super_block *mnt_sb;
  int mnt_flags;
  struct mnt_idmap *mnt_idmap;
};
struct mount {
  struct hlist_node mnt_hash;
  struct mount *mnt_parent;
  struct dentry *mnt_mountpoint;
  struct vfsmount mnt;
  struct list_head mnt_mounts;
  struct list_head mnt_child;
  const char *mnt_devname;
  struct list_head mnt_list;
  struct mnt_namespace *mnt_ns;
  int mnt_id;
  u64 mnt_id_unique;
  int mnt_group_id;
};
struct address_space {
  struct inode *host;
  unsigned long nrpages;
  pgoff_t writeback_index;
  const struct address_space_operations *a_ops;
  unsigned long flags;
  gfp_t gfp_mask;
};
struct inode {
  umode_t i_mode;
  unsigned short i_opflags;
  kuid_t i_uid;
  kgid_t i_gid;
  unsigned int i_flags;
  const struct inode_operations *i_op;
  struct super_block *i_sb;
  struct address_space *i_mapping;
  unsigned long i_ino;
  union {
    const unsigned int i_nlink;
    unsigned int __i_nlink;
  };
  dev_t i_rdev;
  loff_t i_size;
  time64_t i_atime_sec;
  time64_t i_mtime_sec;
  time64_t i_ctime_sec;
  u32 i_atime_nsec;
  u32 i_mtime_nsec;
  u32 i_ctime_nsec;
  u32 i_generation;
  spinlock_t i_lock;
  unsigned short i_bytes;
  u8 i_blkbits;
  u8 i_write_hint;
  blkcnt_t i_blocks;
  unsigned long i_state;
  struct hlist_node i_hash;
  struct list_head i_sb_list;
  atomic64_t i_version;
  atomic_t i_count;
  atomic_t i_writecount;
  const struct file_operations *i_fop;
  struct address_space i_data;
  void *i_private;
};
struct dentry {
  unsigned int d_flags;
  seqcount_t d_seq;
  struct hlist_node d_hash;
  struct dentry *d_parent;
  struct qstr d_name;
  struct inode *d_inode;
  unsigned char d_iname[40];
  const struct dentry_operations *d_op;
  struct super_block *d_sb;
  unsigned long d_time;
  void *d_fsdata;
  refcount_t d_lockref;
  struct list_head d_lru;
  struct hlist_node d_sib;
  struct hlist_head d_children;
};
struct fown_struct {
  struct file *file;
  struct pid *pid;
  int pid_type;
  kuid_t uid;
  kuid_t euid;
  int signum;
};
struct file_ra_state {
  pgoff_t start;
  unsigned int size;
  unsigned int async_size;
  unsigned int ra_pages;
  unsigned int mmap_miss;
  loff_t prev_pos;
};
struct file {
  atomic_long_t f_count;
  spinlock_t f_lock;
  fmode_t f_mode;
  const struct file_operations *f_op;
  struct address_space *f_mapping;
  void *private_data;
  struct inode *f_inode;
  unsigned int f_flags;
  unsigned int f_iocb_flags;
  const struct cred *f_cred;
  struct path f_path;
  struct mutex f_pos_lock;
  loff_t f_pos;
  u64 f_version;
  struct fown_struct *f_owner;
  struct file_ra_state f_ra;
  struct callback_head f_task_work;
};
struct filename {
  const char *name;
  const char *uptr;
  atomic_t refcnt;
  struct audit_names *aname;
  const char iname[0];
};
struct open_how {
  __u64 flags;
  __u64 mode;
  __u64 resolve;
};
struct open_flags {
  int open_flag;
  umode_t mode;
  int acc_mode;
  int intent;
  int lookup_flags;
};
struct kstat {
  u32 result_mask;
  umode_t mode;
  unsigned int nlink;
  u32 blksize;
  u64 attributes;
  u64 attributes_mask;
  u64 ino;
  dev_t dev;
  dev_t rdev;
  kuid_t uid;
  kgid_t gid;
  loff_t size;
  struct timespec64 atime;
  struct timespec64 mtime;
  struct timespec64 ctime;
  struct timespec64 btime;
  u64 blocks;
};
struct renamedata {
  struct mnt_idmap *old_mnt_idmap;
  struct inode *old_dir;
  struct dentry *old_dentry;
  struct mnt_idmap *new_mnt_idmap;
  struct inode *new_dir;
  struct dentry *new_dentry;
  struct inode **delegated_inode;
  unsigned int flags;
};
struct nameidata {
  struct path path;
  struct qstr last;
  struct path root;
  struct inode *inode;
  unsigned int flags;
  unsigned int state;
  unsigned int seq;
  unsigned int next_seq;
  unsigned int m_seq;
  unsigned int r_seq;
  int last_type;
  unsigned int depth;
  int total_link_count;
  struct filename *name;
  struct nameidata *saved;
  unsigned int root_seq;
  int dfd;
};
struct dir_context {
  void *actor;
  loff_t pos;
};
struct gendisk {
  int major;
  int first_minor;
  int minors;
  char disk_name[32];
  unsigned short events;
  unsigned short event_flags;
  struct block_device *part0;
  const struct block_device_operations *fops;
  struct request_queue *queue;
  void *private_data;
  int flags;
  unsigned long state;
  int node_id;
  u64 diskseq;
};
struct block_device {
  sector_t bd_start_sect;
  sector_t bd_nr_sectors;
  struct gendisk *bd_disk;
  struct request_queue *bd_queue;
  void *bd_stats;
  unsigned long bd_stamp;
  atomic_t __bd_flags;
  dev_t bd_dev;
  struct address_space *bd_mapping;
  atomic_t bd_openers;
  spinlock_t bd_size_lock;
  void *bd_claiming;
  void *bd_holder;
  int bd_holders;
  u8 bd_partno;
  bool bd_read_only;
};
struct request_queue {
  void *queuedata;
  struct elevator_queue *elevator;
  const struct blk_mq_ops *mq_ops;
  struct blk_mq_ctx *queue_ctx;
  unsigned long queue_flags;
  unsigned int rq_timeout;
  unsigned int queue_depth;
  struct gendisk *disk;
  unsigned long nr_requests;
  unsigned int dma_alignment;
  int id;
};
struct bvec_iter {
  sector_t bi_sector;
  unsigned int bi_size;
  unsigned int bi_idx;
  unsigned int bi_bvec_done;
};
struct bio_vec {
  struct page *bv_page;
  unsigned int bv_len;
  unsigned int bv_offset;
};
struct bio {
  struct bio *bi_next;
  struct block_device *bi_bdev;
  blk_opf_t bi_opf;
  unsigned short bi_flags;
  unsigned short bi_ioprio;
  enum rw_hint bi_write_hint;
  blk_status_t bi_status;
  atomic_t __bi_remaining;
  struct bvec_iter bi_iter;
  void *bi_end_io;
  void *bi_private;
  unsigned short bi_vcnt;
  unsigned short bi_max_vecs;
  atomic_t __bi_cnt;
  struct bio_vec *bi_io_vec;
  struct bio_set *bi_pool;
};
enum rw_hint {
  WRITE_LIFE_NOT_SET,
  WRITE_LIFE_NONE,
  WRITE_LIFE_SHORT,
  WRITE_LIFE_MEDIUM,
  WRITE_LIFE_LONG,
  WRITE_LIFE_EXTREME,
};
enum mq_rq_state {
  MQ_RQ_IDLE,
  MQ_RQ_IN_FLIGHT,
  MQ_RQ_COMPLETE,
};
enum req_op {
  REQ_OP_READ = 0,
  REQ_OP_WRITE = 1,
  REQ_OP_FLUSH = 2,
  REQ_OP_DISCARD = 3,
  REQ_OP_SECURE_ERASE = 5,
  REQ_OP_ZONE_APPEND = 7,
  REQ_OP_WRITE_ZEROES = 9,
};
struct request {
  struct request_queue *q;
  struct blk_mq_ctx *mq_ctx;
  struct blk_mq_hw_ctx *mq_hctx;
  blk_opf_t cmd_flags;
  req_flags_t rq_flags;
  int tag;
  int internal_tag;
  unsigned int timeout;
  unsigned int __data_len;
  sector_t __sector;
  struct bio *bio;
  struct bio *biotail;
  union {
    struct list_head queuelist;
    struct request *rq_next;
  };
  struct block_device *part;
  u64 alloc_time_ns;
  u64 start_time_ns;
  u64 io_start_time_ns;
  unsigned short stats_sectors;
  unsigned short nr_phys_segments;
  unsigned short ioprio;
  enum mq_rq_state state;
  atomic_t ref;
  unsigned long deadline;
  void *end_io;
  void *end_io_data;
};
struct page {
  unsigned long flags;
  struct list_head lru;
  struct address_space *mapping;
  pgoff_t index;
  unsigned long private;
  atomic_t _mapcount;
  atomic_t _refcount;
};
struct folio {
  struct page page;
};
struct kmem_cache {
  void *cpu_slab;
  slab_flags_t flags;
  unsigned long min_partial;
  unsigned int size;
  unsigned int object_size;
  unsigned int offset;
  unsigned int inuse;
  unsigned int align;
  unsigned int red_left_pad;
  const char *name;
  struct list_head list;
  int refcount;
};
`;
