// The kernel call chains of the socket layer (connect, accept, send and receive, close,
// the receive softirq, the retransmit timer) that net.ts and its helpers fire hooks on.
import { kat, kin, SYSCALL_BASE } from '../kernel/stacks';

export const CONNECT = ['tcp_v4_connect', '__inet_stream_connect', 'inet_stream_connect', '__sys_connect', '__x64_sys_connect', ...SYSCALL_BASE];
export const S = {
  connect: kat(...CONNECT),
  tcpConnect: kat('tcp_connect', ...CONNECT),
  inConnect: kin(...CONNECT),
  waitConnect: kin('inet_wait_for_connect', '__inet_stream_connect', 'inet_stream_connect', '__sys_connect', '__x64_sys_connect', ...SYSCALL_BASE),
  accept: kat('inet_csk_accept', 'inet_accept', 'do_accept', '__sys_accept4', '__x64_sys_accept4', ...SYSCALL_BASE),
  inAccept: kin('inet_csk_accept', 'inet_accept', 'do_accept', '__sys_accept4', '__x64_sys_accept4', ...SYSCALL_BASE),
  waitAccept: kin('inet_csk_wait_for_connect', 'inet_csk_accept', 'inet_accept', 'do_accept', '__sys_accept4', '__x64_sys_accept4', ...SYSCALL_BASE),
  sendmsg: kat('tcp_sendmsg', 'inet_sendmsg', 'sock_sendmsg', 'sock_write_iter', 'vfs_write', 'ksys_write', '__x64_sys_write', ...SYSCALL_BASE),
  sockSend: kat('sock_sendmsg', 'sock_write_iter', 'vfs_write', 'ksys_write', '__x64_sys_write', ...SYSCALL_BASE),
  recvmsg: kat('tcp_recvmsg', 'inet_recvmsg', 'sock_recvmsg', 'sock_read_iter', 'vfs_read', 'ksys_read', '__x64_sys_read', ...SYSCALL_BASE),
  sockRecv: kat('sock_recvmsg', 'sock_read_iter', 'vfs_read', 'ksys_read', '__x64_sys_read', ...SYSCALL_BASE),
  inRecv: kin('tcp_recvmsg', 'inet_recvmsg', 'sock_recvmsg', 'sock_read_iter', 'vfs_read', 'ksys_read', '__x64_sys_read', ...SYSCALL_BASE),
  waitData: kin('wait_woken', 'sk_wait_data', 'tcp_recvmsg', 'inet_recvmsg', 'sock_recvmsg', 'sock_read_iter', 'vfs_read', 'ksys_read', '__x64_sys_read', ...SYSCALL_BASE),
  close: kat('tcp_close', 'inet_release', '__sock_release', 'sock_close', '__fput', 'exit_to_user_mode_prepare', 'syscall_exit_to_user_mode', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe'),
  inClose: kin('tcp_close', 'inet_release', '__sock_release', 'sock_close', '__fput', 'exit_to_user_mode_prepare', 'syscall_exit_to_user_mode', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe'),
  socket: kat('sock_create', '__sys_socket', '__x64_sys_socket', ...SYSCALL_BASE),
  inSocket: kin('inet_create', 'sock_create', '__sys_socket', '__x64_sys_socket', ...SYSCALL_BASE),
  listen: kat('inet_listen', '__sys_listen', '__x64_sys_listen', ...SYSCALL_BASE),
  bind: kat('inet_bind', '__sys_bind', '__x64_sys_bind', ...SYSCALL_BASE),
  bindCap: kat('cap_capable', 'security_capable', 'ns_capable', 'inet_bind', '__sys_bind', '__x64_sys_bind', ...SYSCALL_BASE),
  udpSend: kat('udp_sendmsg', 'inet_sendmsg', 'sock_sendmsg', '__sys_sendto', '__x64_sys_sendto', ...SYSCALL_BASE),
  udpRecv: kat('udp_recvmsg', 'inet_recvmsg', 'sock_recvmsg', '__sys_recvfrom', '__x64_sys_recvfrom', ...SYSCALL_BASE),
  unixSend: kat('unix_stream_sendmsg', 'sock_sendmsg', 'sock_write_iter', 'vfs_write', 'ksys_write', '__x64_sys_write', ...SYSCALL_BASE),
  secConnect: kat('security_socket_connect', '__sys_connect', '__x64_sys_connect', ...SYSCALL_BASE),
  softirq: kin('tcp_rcv_state_process', 'tcp_v4_do_rcv', 'tcp_v4_rcv', 'ip_protocol_deliver_rcu', 'ip_local_deliver_finish', 'ip_local_deliver', 'ip_rcv', '__netif_receive_skb_one_core', 'process_backlog', '__napi_poll', 'net_rx_action', 'handle_softirqs'),
  synRecv: kat('tcp_v4_syn_recv_sock', 'tcp_check_req', 'tcp_v4_rcv', 'ip_protocol_deliver_rcu', 'ip_local_deliver_finish', 'ip_local_deliver', 'ip_rcv', '__netif_receive_skb_one_core', 'process_backlog', '__napi_poll', 'net_rx_action', 'handle_softirqs'),
  timer: kin('tcp_write_timer_handler', 'tcp_write_timer', 'call_timer_fn', '__run_timers', 'run_timer_softirq', 'handle_softirqs', 'irq_exit_rcu', 'sysvec_apic_timer_interrupt', 'asm_sysvec_apic_timer_interrupt'),
};
