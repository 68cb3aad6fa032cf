// Tab completion by position: commands, command arguments, maps, probes, builtins and
// functions, over fixed sources.
import { describe, expect, it } from 'vitest';
import { DOT_COMMANDS } from '../../ui/repl/commands/index';
import { complete, type CompletionSources } from '../../ui/repl/completion';

const PROBES = ['kprobe:vfs_read', 'kprobe:vfs_readv', 'kprobe:vfs_write', 'tracepoint:syscalls:sys_enter_openat', 'BEGIN', 'END'];
const PROVIDERS = ['kprobe:', 'kretprobe:', 'tracepoint:', 'BEGIN', 'END'];

const sources: CompletionSources = {
  commands: DOT_COMMANDS,
  mapNames: () => ['@', '@bytes', '@count'],
  probes: (prefix) => (prefix.includes(':') ? PROBES : PROVIDERS).filter((p) => p.startsWith(prefix)),
  builtins: ['nsecs', 'comm', 'pid', 'cpu'],
  functions: ['count', 'comm', 'printf', 'print', 'hist'],
  workloads: () => ['default', 'io', 'db'],
  programIds: () => [1, 2, 12],
  files: (prefix) => ['scripts/', 'scripts.bt', 'x.bt'].filter((f) => f.startsWith(prefix)),
};

/** Runs completion with the cursor at `|` and shows the result the same way. */
function tab(input: string): { text: string; candidates: string[] } {
  const cursor = input.indexOf('|');
  const text = input.replace('|', '');
  const r = complete(text, cursor, sources);
  return { text: r.text.slice(0, r.cursor) + '|' + r.text.slice(r.cursor), candidates: r.candidates };
}

describe('completion', () => {
  const cases: [string, string, string[]][] = [
    // Dot-commands and their arguments.
    ['.he|', '.help |', []],
    ['.p|', '.pr|', ['print', 'probes']],
    ['.pr|', '.pr|', ['print', 'probes']],
    ['.pri|', '.print |', []],
    ['.print @b|', '.print @bytes |', []],
    ['.clear c|', '.clear @count |', []],
    ['.workload d|', '.workload d|', ['db', 'default']],
    ['.workload de|', '.workload default |', []],
    ['.detach 1|', '.detach 1|', ['1', '12']],
    ['.speed r|', '.speed realtime |', []],
    ['.attach scr|', '.attach scripts|', ['scripts.bt', 'scripts/']],
    ['.attach x|', '.attach x.bt |', []],
    ['.probes kprobe:vfs_w|', '.probes kprobe:vfs_write |', []],
    ['.maps |', '.maps |', []],
    ['.nosuch |', '.nosuch |', []],
    // Maps anywhere.
    ['@c|', '@count|', []],
    ['BEGIN { print(@|) }', 'BEGIN { print(@|) }', ['@bytes', '@count']],
    ['kprobe:vfs_read { @mine[comm] = count(); } END { print(@mi|', 'kprobe:vfs_read { @mine[comm] = count(); } END { print(@mine|', []],
    // Probes outside braces.
    ['kp|', 'kprobe:|', []],
    ['kprobe:vfs_r|', 'kprobe:vfs_read|', ['kprobe:vfs_read', 'kprobe:vfs_readv']],
    ['tracepoint:sys|', 'tracepoint:syscalls:sys_enter_openat |', []],
    ['kprobe:vfs_read, kprobe:vfs_w|', 'kprobe:vfs_read, kprobe:vfs_write |', []],
    ['BEGIN { } E|', 'BEGIN { } END |', []],
    // A lone word may be an expression.
    ['ns|', 'nsecs |', []],
    // Inside braces: builtins, functions with their parenthesis, keywords.
    ['BEGIN { @x = cou|', 'BEGIN { @x = count(|', []],
    ['BEGIN { pri|', 'BEGIN { print|', ['print', 'printf']],
    ['BEGIN { @[co|', 'BEGIN { @[co|', ['comm', 'continue', 'count']],
    ['BEGIN { @[comm|', 'BEGIN { @[comm|', []],
    ['BEGIN { whi|', 'BEGIN { while|', []],
    ['BEGIN { zzz|', 'BEGIN { zzz|', []],
  ];
  it.each(cases)('%j -> %j', (input, expected, candidates) => {
    const r = tab(input);
    expect(r.text).toBe(expected);
    expect(r.candidates).toEqual(candidates);
  });
});
