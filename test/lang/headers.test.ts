// `#include` of a header in lang/headers.ts defines its macros (as bpftrace gets them from
// clang): each case includes a header and checks the constant a name folds to; names of
// headers not included, and headers not in the table, stay unknown; a later #define wins.
import { describe, expect, test } from 'vitest';
import { frontEnd } from '../../lang';
import { CATALOGUE } from './fixtures/catalogue';

/** The value `name` folds to after `#include <header>`, or the first error's message. */
function valueOf(header: string, name: string, extra = ''): string {
  const r = frontEnd(`#include <${header}>\n${extra}BEGIN { @ = ${name}; }`, { catalogue: CATALOGUE });
  if (!r.ok) return r.diagnostics.find((d) => d.severity === 'error')?.message ?? 'failed';
  const probe = r.program!.items.find((i) => i.kind === 'probe');
  const stmt = probe?.kind === 'probe' ? probe.body.stmts[0] : undefined;
  if (stmt?.kind !== 'assign') return `not an assignment: ${stmt?.kind}`;
  let value = stmt.value;
  while (value.kind === 'cast' && value.implicit) value = value.expr;
  if (value.kind !== 'int') return `not a constant: ${value.kind}`;
  return `${value.negative ? '-' : ''}${value.value}`;
}

const CASES: [header: string, name: string, want: string][] = [
  ['linux/sched.h', 'TASK_RUNNING', '0'],
  ['linux/sched.h', 'TASK_UNINTERRUPTIBLE', '2'],
  ['linux/sched.h', 'CLONE_THREAD', '65536'],
  ['linux/socket.h', 'AF_INET', '2'],
  ['linux/socket.h', 'AF_INET6', '10'],
  ['net/sock.h', 'AF_INET6', '10'],
  ['linux/in.h', 'IPPROTO_TCP', '6'],
  ['fcntl.h', 'O_CREAT', '64'],
  ['fcntl.h', 'AT_FDCWD', '-100'],
  ['linux/signal.h', 'SIGKILL', '9'],
  ['linux/capability.h', 'CAP_SYS_ADMIN', '21'],
  ['linux/capability.h', 'CAP_CHECKPOINT_RESTORE', '40'],
  ['linux/errno.h', 'EACCES', '13'],
];

describe('header macros', () => {
  test.each(CASES)('<%s> defines %s', (header, name, want) => {
    expect(valueOf(header, name)).toBe(want);
  });
  test('a name from another header stays unknown', () => {
    expect(valueOf('linux/socket.h', 'TASK_RUNNING')).toMatch(/Unknown identifier: 'TASK_RUNNING'/);
  });
  test('a header outside the table brings nothing', () => {
    expect(valueOf('linux/nonexistent.h', 'AF_INET')).toMatch(/Unknown identifier: 'AF_INET'/);
  });
  test('a #define after the include wins', () => {
    expect(valueOf('linux/socket.h', 'AF_INET', '#define AF_INET 99\n')).toBe('99');
  });
});
