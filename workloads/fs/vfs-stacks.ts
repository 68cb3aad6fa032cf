// The kernel call chains of the VFS open and close paths (getname, do_filp_open, vfs_open,
// the file systems' open hooks, fd_install, filp_close, __fput, permission checks).
import { kat, kin, SYSCALL_BASE } from '../kernel/stacks';

export const OPEN_BASE = ['do_sys_openat2', '__x64_sys_openat', ...SYSCALL_BASE];
export const S = {
  openat2: kat(...OPEN_BASE),
  getname: kat('getname', ...OPEN_BASE),
  filpOpen: kat('do_filp_open', ...OPEN_BASE),
  vfsOpen: kat('vfs_open', 'do_open', 'path_openat', 'do_filp_open', ...OPEN_BASE),
  secOpen: kat('security_file_open', 'vfs_open', 'do_open', 'path_openat', 'do_filp_open', ...OPEN_BASE),
  extOpen: kat('ext4_file_open', 'vfs_open', 'do_open', 'path_openat', 'do_filp_open', ...OPEN_BASE),
  xfsOpen: kat('xfs_file_open', 'vfs_open', 'do_open', 'path_openat', 'do_filp_open', ...OPEN_BASE),
  inVfsOpen: kin('vfs_open', 'do_open', 'path_openat', 'do_filp_open', ...OPEN_BASE),
  fdInstall: kat('fd_install', ...OPEN_BASE),
  inOpen: kin('path_openat', 'do_filp_open', ...OPEN_BASE),
  lookupFast: kat('lookup_fast', 'walk_component', 'link_path_walk', 'path_openat', 'do_filp_open', ...OPEN_BASE),
  dLookup: kat('d_lookup', 'lookup_fast', 'walk_component', 'link_path_walk', 'path_openat', 'do_filp_open', ...OPEN_BASE),
  close: kat('filp_close', '__x64_sys_close', ...SYSCALL_BASE),
  fput: kat('__fput', 'exit_to_user_mode_prepare', 'syscall_exit_to_user_mode', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe'),
  capable: kat('cap_capable', 'security_capable', 'ns_capable', 'capable', 'generic_permission', 'link_path_walk', 'path_openat', 'do_filp_open', ...OPEN_BASE),
  create: kat('vfs_create', 'lookup_open', 'open_last_lookups', 'path_openat', 'do_filp_open', ...OPEN_BASE),
};
