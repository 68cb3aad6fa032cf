// End to end in a real terminal: the bpfsim binary under tmux, driven by keystrokes. A
// one-liner attaches and its live map updates in the panel, Ctrl-C prints the maps and
// stays in the REPL, .quit leaves with status 0, and the history file keeps the entries.
// Once over the real session on the default workload, once over the deterministic fake
// backend (the hidden BPFSIM_REPL_BACKEND=fake switch), whose exact layout is known.
// CI=true is set as a CI runner sets it (Ink would otherwise draw only its last frame).
// Skips when tmux is not installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const BIN = new URL('../../bin/bpfsim', import.meta.url).pathname;
const SOCKET = `bpfsim-test-${process.pid}`;
let SESSION = 'repl';

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', SESSION);

async function waitFor(pred: (s: string) => boolean, what: string, timeoutMs = 10_000): Promise<string> {
  const t0 = Date.now();
  let s = '';
  while (Date.now() - t0 < timeoutMs) {
    s = screen();
    if (pred(s)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${s}`);
}

/** Types text literally (tmux would read `;` as a command separator otherwise), then Enter. */
function typeLine(text: string): void {
  tmux('send-keys', '-t', SESSION, '-l', text);
  tmux('send-keys', '-t', SESSION, 'Enter');
}

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
});

describe.skipIf(!hasTmux)('bpfsim REPL in a terminal (tmux)', () => {
  it('runs a one-liner on the simulated machine, live, until Ctrl-C, then leaves with .quit', async () => {
    SESSION = 'real';
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-tmux-'));
    const cmd = `CI=true BPFSIM_HISTORY=${join(dir, 'history')} ${BIN}; echo BPFSIM_EXIT=$?; sleep 30`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '110', '-y', '45', cmd);
    await waitFor((s) => s.includes('bpfsim>'), 'the prompt', 20_000);
    typeLine('tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }');
    await waitFor((s) => s.includes('1 program running') && /│ @\[[\w.-]+\]: \d+/.test(s), 'the live panel', 20_000);
    const total = () => [...screen().matchAll(/│ @\[[\w.-]+\]: (\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
    const first = total();
    await waitFor(() => total() > first, 'a live update', 20_000);
    tmux('send-keys', '-t', SESSION, 'C-c');
    await waitFor((s) => !s.includes('program running') && /^@\[[\w.-]+\]: \d+$/m.test(s), 'the maps after Ctrl-C', 20_000);
    typeLine('sizeof(struct task_struct) > 0');
    await waitFor((s) => /^true$/m.test(s), 'the value of an expression', 20_000);
    typeLine('.quit');
    await waitFor((s) => s.includes('BPFSIM_EXIT=0'), 'the REPL to exit with status 0', 20_000);
  });

  it('attaches a one-liner, shows live output, prints maps on Ctrl-C and leaves with .quit (fake backend)', async () => {
    SESSION = 'fake';
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-tmux-'));
    const history = join(dir, 'history');
    const cmd = `CI=true BPFSIM_REPL_BACKEND=fake BPFSIM_HISTORY=${history} ${BIN}; echo BPFSIM_EXIT=$?; sleep 30`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '110', '-y', '45', cmd);

    await waitFor((s) => s.includes('bpfsim>'), 'the prompt');
    typeLine('kprobe:vfs_read { @[comm] = count(); }');
    const live = await waitFor((s) => s.includes('1 program running') && /│ @\[cron\]: \d+/.test(s), 'the live panel');
    expect(live).toContain('Attached 1 probe');
    // The panel keeps updating: the count of a key grows.
    const count = () => Number(/│ @\[cron\]: (\d+)/.exec(screen())?.[1] ?? NaN);
    const first = count();
    await waitFor(() => count() > first, 'a live update');

    tmux('send-keys', '-t', SESSION, 'C-c');
    const after = await waitFor((s) => !s.includes('program running') && /^@\[cron\]: \d+$/m.test(s), 'the maps after Ctrl-C');
    expect(after).toMatch(/^@\[bash\]: \d+\n@\[sshd\]: \d+\n@\[nginx\]: \d+\n@\[postgres\]: \d+\n@\[cron\]: \d+$/m);

    // Still in the REPL: an expression, a multi-line entry, a dot-command.
    typeLine('1 << 12');
    await waitFor((s) => /^4096$/m.test(s), 'the value of an expression');
    typeLine('BEGIN {');
    await waitFor((s) => s.includes('...>'), 'the continuation prompt');
    typeLine('printf("hello\\n"); exit(); }');
    await waitFor((s) => /^hello$/m.test(s), 'output of a multi-line program');

    typeLine('.quit');
    await waitFor((s) => s.includes('BPFSIM_EXIT=0'), 'the REPL to exit with status 0');
    expect(readFileSync(history, 'utf8')).toBe('kprobe:vfs_read { @[comm] = count(); }\n1 << 12\nBEGIN {\\nprintf("hello\\\\n"); exit(); }\n.quit\n');
  });
});
