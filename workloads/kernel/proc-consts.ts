// Signal numbers, clone flags, the wait codes and errnos the process code of procs.ts uses
// (x86-64 Linux values).

export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGKILL = 9;
export const SIGUSR1 = 10;
export const SIGSEGV = 11;
export const SIGPIPE = 13;
export const SIGALRM = 14;
export const SIGTERM = 15;
export const SIGCHLD = 17;
export const SIGCONT = 18;
export const SIGSTOP = 19;
export const SIGWINCH = 28;
/** Signals whose default action is to be ignored. */
export const DEFAULT_IGNORE = (1 << SIGCHLD) | (1 << SIGWINCH) | (1 << SIGCONT) | (1 << 23);
export const SI_USER = 0;
export const SI_KERNEL = 0x80;
export const CLD_EXITED = 1;
export const EINTR = 4;
export const ECHILD = 10;
export const ESRCH = 3;

export const CLONE_VM = 0x100;
export const CLONE_FS = 0x200;
export const CLONE_FILES = 0x400;
export const CLONE_SIGHAND = 0x800;
export const CLONE_THREAD = 0x10000;
export const CLONE_SETTLS = 0x80000;
export const CLONE_PARENT_SETTID = 0x100000;
export const CLONE_CHILD_CLEARTID = 0x200000;
export const THREAD_FLAGS = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
export const FORK_FLAGS = CLONE_CHILD_CLEARTID | SIGCHLD | 0x1000000; // CLONE_CHILD_SETTID
