// Loads raw eBPF bytecode into the running kernel with BPF_PROG_LOAD and prints the
// verifier's log: the oracle the verifier's verdicts are compared with. Reads the program
// (8-byte slots) from stdin. Arguments: TYPE LOG_LEVEL [MAP...], each MAP written as
// type:key_size:value_size:max_entries. An lddw whose src is 1 (map fd) or 2 (map value)
// carries a map index in imm, replaced here by the fd of the map created for it.
// Prints "ACCEPT" or "REJECT <errno>" on the first line, then the log. Needs root.
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static char logbuf[16 << 20];

static long sys_bpf(int cmd, union bpf_attr *attr) { return syscall(__NR_bpf, cmd, attr, sizeof(*attr)); }

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: load TYPE LOG_LEVEL [type:key:value:max ...] < prog.bin\n");
    return 2;
  }
  int type = atoi(argv[1]);
  int level = atoi(argv[2]);
  int fds[64];
  int nmaps = argc - 3;
  for (int i = 0; i < nmaps && i < 64; i++) {
    unsigned t, k, v, m;
    if (sscanf(argv[3 + i], "%u:%u:%u:%u", &t, &k, &v, &m) != 4) {
      fprintf(stderr, "bad map spec %s\n", argv[3 + i]);
      return 2;
    }
    union bpf_attr a;
    memset(&a, 0, sizeof(a));
    a.map_type = t;
    a.key_size = k;
    a.value_size = v;
    a.max_entries = m;
    fds[i] = (int)sys_bpf(BPF_MAP_CREATE, &a);
    if (fds[i] < 0) {
      printf("MAPFAIL %d %s\n", errno, strerror(errno));
      return 3;
    }
  }
  static struct bpf_insn insns[1 << 20];
  size_t n = fread(insns, sizeof(struct bpf_insn), 1 << 20, stdin);
  for (size_t i = 0; i < n; i++) {
    if (insns[i].code == (BPF_LD | BPF_DW | BPF_IMM) && (insns[i].src_reg == 1 || insns[i].src_reg == 2)) {
      int idx = insns[i].imm;
      if (idx >= 0 && idx < nmaps) insns[i].imm = fds[idx];
    }
  }
  union bpf_attr a;
  memset(&a, 0, sizeof(a));
  a.prog_type = type;
  a.insns = (uint64_t)(uintptr_t)insns;
  a.insn_cnt = (uint32_t)n;
  a.license = (uint64_t)(uintptr_t) "GPL";
  a.log_buf = (uint64_t)(uintptr_t)logbuf;
  a.log_size = sizeof(logbuf);
  a.log_level = level;
  int fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
  if (fd >= 0) printf("ACCEPT\n");
  else printf("REJECT %d\n", errno);
  fputs(logbuf, stdout);
  return 0;
}
