// The shape of a system call implementation: given the kernel, the calling task and its
// operation (number and six arguments), return the result at once or a kernel path (a
// generator) that may block before returning it.
import type { Kernel } from '../kernel/kernel';
import type { KGen, Task, UOp } from '../kernel/task';

export type SysImpl = (k: Kernel, t: Task, op: UOp) => KGen | number;
