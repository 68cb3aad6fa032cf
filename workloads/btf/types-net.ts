// Networking structs (sock_common, sock, inet_sock, inet_connection_sock, tcp_sock,
// socket, sk_buff, net_device, sockaddr_*, msghdr) and the TCP state and drop-reason
// enums, as C declarations in the shape of Linux 6.x x86-64.
export const NET_TYPES = `
struct in_addr {
  __be32 s_addr;
};
struct in6_addr {
  union {
    __u8 u6_addr8[16];
    __be16 u6_addr16[8];
    __be32 u6_addr32[4];
  } in6_u;
};
struct sockaddr {
  sa_family_t sa_family;
  char sa_data[14];
};
struct sockaddr_in {
  sa_family_t sin_family;
  __be16 sin_port;
  struct in_addr sin_addr;
  unsigned char __pad[8];
};
struct sockaddr_in6 {
  sa_family_t sin6_family;
  __be16 sin6_port;
  __be32 sin6_flowinfo;
  struct in6_addr sin6_addr;
  __u32 sin6_scope_id;
};
struct sock_common {
  union {
    __addrpair skc_addrpair;
    struct {
      __be32 skc_daddr;
      __be32 skc_rcv_saddr;
    };
  };
  union {
    unsigned int skc_hash;
    __u16 skc_u16hashes[2];
  };
  union {
    __portpair skc_portpair;
    struct {
      __be16 skc_dport;
      __u16 skc_num;
    };
  };
  unsigned short skc_family;
  volatile unsigned char skc_state;
  unsigned char skc_reuse:4;
  unsigned char skc_reuseport:1;
  unsigned char skc_ipv6only:1;
  unsigned char skc_net_refcnt:1;
  int skc_bound_dev_if;
  union {
    struct hlist_node skc_bind_node;
    struct hlist_node skc_portaddr_node;
  };
  struct proto *skc_prot;
  possible_net_t skc_net;
  struct in6_addr skc_v6_daddr;
  struct in6_addr skc_v6_rcv_saddr;
  atomic64_t skc_cookie;
  union {
    unsigned long skc_flags;
    struct sock *skc_listener;
  };
  union {
    struct hlist_node skc_node;
    struct hlist_nulls_node skc_nulls_node;
  };
  unsigned short skc_tx_queue_mapping;
  unsigned short skc_rx_queue_mapping;
  union {
    int skc_incoming_cpu;
    u32 skc_rcv_wnd;
    u32 skc_tw_rcv_nxt;
  };
  refcount_t skc_refcnt;
};
struct sk_buff_head {
  struct sk_buff *next;
  struct sk_buff *prev;
  __u32 qlen;
  spinlock_t lock;
};
struct sock {
  struct sock_common __sk_common;
  atomic_t sk_drops;
  __s32 sk_peek_off;
  struct sk_buff_head sk_error_queue;
  struct sk_buff_head sk_receive_queue;
  int sk_rcvbuf;
  int sk_rx_dst_ifindex;
  unsigned long sk_flags;
  unsigned int sk_ll_usec;
  int sk_forward_alloc;
  u32 sk_reserved_mem;
  int sk_sndbuf;
  int sk_wmem_queued;
  refcount_t sk_wmem_alloc;
  unsigned long sk_tsq_flags;
  struct sk_buff_head sk_write_queue;
  u32 sk_dst_pending_confirm;
  u32 sk_pacing_status;
  long sk_sndtimeo;
  struct timer_list sk_timer;
  u32 sk_priority;
  u32 sk_mark;
  unsigned long sk_pacing_rate;
  unsigned long sk_max_pacing_rate;
  u8 sk_userlocks;
  u8 sk_pacing_shift;
  u16 sk_type;
  u16 sk_protocol;
  u16 sk_gso_max_segs;
  unsigned long sk_lingertime;
  struct proto *sk_prot_creator;
  int sk_err;
  int sk_err_soft;
  u32 sk_ack_backlog;
  u32 sk_max_ack_backlog;
  kuid_t sk_uid;
  struct pid *sk_peer_pid;
  const struct cred *sk_peer_cred;
  long sk_rcvtimeo;
  ktime_t sk_stamp;
  struct socket *sk_socket;
  void *sk_user_data;
  void *sk_security;
  struct sock_cgroup_data sk_cgrp_data;
  void *sk_state_change;
  void *sk_data_ready;
  void *sk_write_space;
  void *sk_error_report;
  void *sk_destruct;
};
struct sock_cgroup_data {
  struct cgroup *cgroup;
  u32 classid;
  u16 prioidx;
};
struct inet_sock {
  struct sock sk;
  struct ipv6_pinfo *pinet6;
  unsigned long inet_flags;
  __be32 inet_saddr;
  __s16 uc_ttl;
  __be16 inet_sport;
  struct ip_options_rcu *inet_opt;
  atomic_t inet_id;
  __u8 tos;
  __u8 min_ttl;
  __u8 mc_ttl;
  __u8 pmtudisc;
  __u8 rcv_tos;
  __u8 convert_csum;
  int uc_index;
  int mc_index;
  __be32 mc_addr;
};
struct request_sock_queue {
  spinlock_t rskq_lock;
  u8 rskq_defer_accept;
  u32 synflood_warned;
  atomic_t qlen;
  atomic_t young;
  struct request_sock *rskq_accept_head;
  struct request_sock *rskq_accept_tail;
};
struct inet_connection_sock {
  struct inet_sock icsk_inet;
  struct request_sock_queue icsk_accept_queue;
  struct inet_bind_bucket *icsk_bind_hash;
  unsigned long icsk_timeout;
  struct timer_list icsk_retransmit_timer;
  struct timer_list icsk_delack_timer;
  __u32 icsk_rto;
  __u32 icsk_rto_min;
  __u32 icsk_delack_max;
  __u32 icsk_pmtu_cookie;
  const struct tcp_congestion_ops *icsk_ca_ops;
  const struct inet_connection_sock_af_ops *icsk_af_ops;
  __u8 icsk_ca_state:5;
  __u8 icsk_ca_initialized:1;
  __u8 icsk_ca_setsockopt:1;
  __u8 icsk_ca_dst_locked:1;
  __u8 icsk_retransmits;
  __u8 icsk_pending;
  __u8 icsk_backoff;
  __u8 icsk_syn_retries;
  __u8 icsk_probes_out;
  __u16 icsk_ext_hdr_len;
};
struct tcp_sock {
  struct inet_connection_sock inet_conn;
  __u16 tcp_header_len;
  __u16 gso_segs;
  __be32 pred_flags;
  u64 bytes_received;
  u32 segs_in;
  u32 data_segs_in;
  u32 rcv_nxt;
  u32 copied_seq;
  u32 rcv_wup;
  u32 snd_nxt;
  u32 segs_out;
  u32 data_segs_out;
  u64 bytes_sent;
  u64 bytes_acked;
  u32 dsack_dups;
  u32 snd_una;
  u32 snd_sml;
  u32 rcv_tstamp;
  u32 lsndtime;
  u32 last_oow_ack_time;
  u32 compressed_ack_rcv_nxt;
  u32 tsoffset;
  u32 snd_wl1;
  u32 snd_wnd;
  u32 max_window;
  u32 mss_cache;
  u32 window_clamp;
  u32 rcv_ssthresh;
  u32 srtt_us;
  u32 mdev_us;
  u32 mdev_max_us;
  u32 rttvar_us;
  u32 rtt_seq;
  u32 packets_out;
  u32 retrans_out;
  u32 max_packets_out;
  u32 cwnd_usage_seq;
  u16 urg_data;
  u8 ecn_flags;
  u8 keepalive_probes;
  u32 reordering;
  u32 reord_seen;
  u32 snd_up;
  u32 snd_ssthresh;
  u32 snd_cwnd;
  u32 snd_cwnd_cnt;
  u32 snd_cwnd_clamp;
  u32 snd_cwnd_used;
  u32 snd_cwnd_stamp;
  u32 prior_cwnd;
  u32 prr_delivered;
  u32 prr_out;
  u32 delivered;
  u32 delivered_ce;
  u32 lost;
  u32 app_limited;
  u32 rcv_wnd;
  u32 write_seq;
  u32 notsent_lowat;
  u32 pushed_seq;
  u32 lost_out;
  u32 sacked_out;
  u32 total_retrans;
  u32 retrans_stamp;
  u32 undo_marker;
  int undo_retrans;
  u64 bytes_retrans;
  u32 urg_seq;
  u32 keepalive_time;
  u32 keepalive_intvl;
  int linger2;
};
enum socket_state {
  SS_FREE = 0,
  SS_UNCONNECTED,
  SS_CONNECTING,
  SS_CONNECTED,
  SS_DISCONNECTING,
};
struct socket {
  enum socket_state state;
  short type;
  unsigned long flags;
  struct file *file;
  struct sock *sk;
  const struct proto_ops *ops;
};
struct user_msghdr {
  void *msg_name;
  int msg_namelen;
  struct iovec *msg_iov;
  size_t msg_iovlen;
  void *msg_control;
  size_t msg_controllen;
  unsigned int msg_flags;
};
struct msghdr {
  void *msg_name;
  int msg_namelen;
  int msg_inq;
  struct iov_iter msg_iter;
  void *msg_control;
  size_t msg_controllen;
  unsigned int msg_flags;
  struct kiocb *msg_iocb;
};
struct net_device {
  char name[16];
  unsigned long state;
  struct list_head dev_list;
  unsigned int flags;
  unsigned int mtu;
  unsigned short type;
  unsigned short hard_header_len;
  int ifindex;
  unsigned char addr_len;
  unsigned char perm_addr[32];
  unsigned char dev_addr[32];
  unsigned int num_rx_queues;
  unsigned int num_tx_queues;
  possible_net_t nd_net;
};
struct sk_buff {
  union {
    struct {
      struct sk_buff *next;
      struct sk_buff *prev;
      union {
        struct net_device *dev;
        unsigned long dev_scratch;
      };
    };
    struct rb_node rbnode;
    struct list_head list;
  };
  union {
    struct sock *sk;
    int ip_defrag_offset;
  };
  union {
    ktime_t tstamp;
    u64 skb_mstamp_ns;
  };
  char cb[48];
  unsigned long _skb_refdst;
  void *destructor;
  unsigned int len;
  unsigned int data_len;
  __u16 mac_len;
  __u16 hdr_len;
  __u16 queue_mapping;
  __u8 cloned:1;
  __u8 nohdr:1;
  __u8 fclone:2;
  __u8 peeked:1;
  __u8 head_frag:1;
  __u8 pfmemalloc:1;
  __u8 pp_recycle:1;
  __u8 pkt_type:3;
  __u8 ignore_df:1;
  __u8 dst_pending_confirm:1;
  __u8 ip_summed:2;
  __u8 ooo_okay:1;
  __u16 tc_index;
  int skb_iif;
  __u32 hash;
  __u32 priority;
  __u32 mark;
  __be16 inner_protocol;
  __be16 protocol;
  __u16 transport_header;
  __u16 network_header;
  __u16 mac_header;
  unsigned int tail;
  unsigned int end;
  unsigned char *head;
  unsigned char *data;
  unsigned int truesize;
  refcount_t users;
};
struct flowi {
  int flowi_oif;
  __u32 flowi_mark;
  __u8 flowi_tos;
  __u8 flowi_proto;
  __be32 daddr;
  __be32 saddr;
  __be16 dport;
  __be16 sport;
};
enum tcp_state {
  TCP_ESTABLISHED = 1,
  TCP_SYN_SENT,
  TCP_SYN_RECV,
  TCP_FIN_WAIT1,
  TCP_FIN_WAIT2,
  TCP_TIME_WAIT,
  TCP_CLOSE,
  TCP_CLOSE_WAIT,
  TCP_LAST_ACK,
  TCP_LISTEN,
  TCP_CLOSING,
  TCP_NEW_SYN_RECV,
  TCP_BOUND_INACTIVE,
  TCP_MAX_STATES,
};
enum skb_drop_reason {
  SKB_NOT_DROPPED_YET = 0,
  SKB_CONSUMED = 1,
  SKB_DROP_REASON_NOT_SPECIFIED = 2,
  SKB_DROP_REASON_NO_SOCKET = 3,
  SKB_DROP_REASON_PKT_TOO_SMALL = 4,
  SKB_DROP_REASON_TCP_CSUM = 5,
  SKB_DROP_REASON_SOCKET_FILTER = 6,
  SKB_DROP_REASON_UDP_CSUM = 7,
  SKB_DROP_REASON_NETFILTER_DROP = 8,
  SKB_DROP_REASON_OTHERHOST = 9,
  SKB_DROP_REASON_IP_CSUM = 10,
  SKB_DROP_REASON_SOCKET_RCVBUFF = 15,
  SKB_DROP_REASON_PROTO_MEM = 16,
  SKB_DROP_REASON_TCP_AUTH_HDR = 17,
  SKB_DROP_REASON_TCP_OLD_DATA = 26,
  SKB_DROP_REASON_TCP_OVERWINDOW = 27,
  SKB_DROP_REASON_TCP_OFOMERGE = 28,
  SKB_DROP_REASON_TCP_RESET = 32,
  SKB_DROP_REASON_TCP_INVALID_SYN = 33,
  SKB_DROP_REASON_TCP_CLOSE = 34,
  SKB_DROP_REASON_TCP_OLD_ACK = 38,
  SKB_DROP_REASON_TCP_LISTEN_OVERFLOW = 41,
  SKB_DROP_REASON_QDISC_DROP = 62,
  SKB_DROP_REASON_FULL_RING = 69,
};
enum sk_rst_reason {
  SK_RST_REASON_NOT_SPECIFIED,
  SK_RST_REASON_NO_SOCKET,
  SK_RST_REASON_TCP_INVALID_ACK_SEQUENCE,
  SK_RST_REASON_TCP_RFC7323_PAWS,
  SK_RST_REASON_TCP_TOO_OLD_ACK,
  SK_RST_REASON_TCP_ACK_UNSENT_DATA,
  SK_RST_REASON_TCP_FLAGS,
  SK_RST_REASON_TCP_OLD_ACK,
  SK_RST_REASON_TCP_ABORT_ON_DATA,
  SK_RST_REASON_TCP_TIMEWAIT_SOCKET,
  SK_RST_REASON_INVALID_SYN,
};
`;
