// The Ink application with ink-testing-library: typing, multi-line entry, history,
// completion, Ctrl-C, the live panel and leaving, over the fake backend.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../ui/repl/app';
import { LivePanel } from '../../ui/repl/live-panel';
import { TranscriptItem } from '../../ui/repl/transcript-item';
import { makeRepl } from './repl-harness';

const ENTER = '\r';
const TAB = '\t';
const CTRL_C = '\x03';
const CTRL_D = '\x04';
const UP = '\x1b[A';
const BACKSPACE = '\x7f';

const settle = (ms = 40) => new Promise((r) => setTimeout(r, ms));

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

function start() {
  const repl = makeRepl({ 'x.bt': 'BEGIN { printf("from x\\n"); exit(); }' });
  const ui = render(<App controller={repl.controller} />);
  cleanup = ui.unmount;
  const type = async (...keys: string[]) => {
    for (const k of keys) {
      ui.stdin.write(k);
      await settle();
    }
  };
  return { ...repl, ui, type, frame: () => ui.lastFrame() ?? '' };
}

describe('REPL application', () => {
  it('shows the prompt and echoes what is typed', async () => {
    const t = start();
    await t.type('1 << 4');
    expect(t.frame()).toContain('bpfsim> 1 << 4');
    await t.type(ENTER);
    await settle(80);
    expect(t.frame()).toMatch(/bpfsim> 1 << 4\n16\n/);
  });

  it('continues an entry while braces are open and submits it whole', async () => {
    const t = start();
    await t.type('kprobe:vfs_read {', ENTER, '@[comm] = count();', ENTER);
    expect(t.frame()).toContain('bpfsim> kprobe:vfs_read {\n   ...> @[comm] = count();\n   ...>');
    await t.type('}', ENTER);
    await settle(80);
    expect(t.backend.programs()).toHaveLength(1);
    expect(t.frame()).toContain('Attached 1 probe');
  });

  it('submits pasted lines one entry at a time', async () => {
    const t = start();
    await t.type('1 + 1\r2 + 2\r');
    await settle(120);
    expect(t.frame()).toMatch(/bpfsim> 1 \+ 1\n2\nbpfsim> 2 \+ 2\n4\n/);
  });

  it('shows the live panel while programs run, and Ctrl-C prints the maps and hides it', async () => {
    const t = start();
    await t.type('kprobe:vfs_read { @[comm] = count(); }', ENTER);
    await settle(80);
    t.backend.tick();
    await settle();
    expect(t.frame()).toContain('1 program running · sim 0.1s');
    expect(t.frame()).toContain('[1] kprobe:vfs_read { @[comm] = count(); }');
    expect(t.frame()).toMatch(/│ @\[cron\]: 5 +│/);
    await t.type(CTRL_C);
    await settle(80);
    expect(t.frame()).not.toContain('program running');
    expect(t.frame()).toContain('@[bash]: 1\n@[sshd]: 2\n@[nginx]: 3\n@[postgres]: 4\n@[cron]: 5');
    expect(t.frame()).toMatch(/bpfsim>\s*$/);
  });

  it('recalls history with the up arrow and edits it', async () => {
    const t = start();
    await t.type('2 * 21', ENTER);
    await settle(80);
    await t.type(UP);
    expect(t.frame()).toMatch(/bpfsim> 2 \* 21 ?$/m);
    await t.type(BACKSPACE, BACKSPACE, '3', ENTER);
    await settle(80);
    expect(t.frame()).toMatch(/bpfsim> 2 \* 3\n6\n/);
  });

  it('completes on Tab and lists the candidates when there are several', async () => {
    const t = start();
    await t.type('.wor', TAB);
    expect(t.frame()).toMatch(/bpfsim> \.workload\s*$/);
    await t.type('d', TAB);
    expect(t.frame()).toMatch(/bpfsim> \.workload d/);
    expect(t.frame()).toContain('db  default');
  });

  it('runs dot-commands and shows errors in the scrollback', async () => {
    const t = start();
    await t.type('.attach x.bt', ENTER);
    await settle(80);
    expect(t.frame()).toContain('from x');
    await t.type('nsecs + oops', ENTER);
    await settle(80);
    expect(t.frame()).toContain("stdin:1:9-13: ERROR: Unknown identifier: 'oops'\nnsecs + oops\n        ~~~~");
  });

  it('leaves on Ctrl-D', async () => {
    const t = start();
    await t.type(CTRL_D);
    await settle(80);
    expect(t.backend.closed).toBe(true);
    expect(t.frame()).not.toMatch(/bpfsim>\s*$/);
  });
});

describe('components', () => {
  it('renders transcript entries by kind', () => {
    const input = render(<TranscriptItem entry={{ id: 1, kind: 'input', text: 'BEGIN {\n}' }} />);
    expect(input.lastFrame()).toBe('bpfsim> BEGIN {\n   ...> }');
    const err = render(<TranscriptItem entry={{ id: 2, kind: 'error', text: 'ERROR: x' }} />);
    expect(err.lastFrame()).toContain('ERROR: x');
  });

  it('renders the live panel in a box', () => {
    const ui = render(
      <LivePanel
        stats={{ simTimeNs: 1e9, eventsPerSec: 1500, programs: [{ id: 3, source: 'BEGIN { }', file: 'stdin', probes: 1 }], maps: [] }}
        world={{ workload: 'db', seed: 2, speed: { kind: 'max' } }}
        budget={10}
      />,
    );
    const frame = ui.lastFrame() ?? '';
    expect(frame).toContain('1 program running · sim 1.0s · 1.5k events/s · db seed 2 max');
    expect(frame).toContain('[3] BEGIN { }');
    expect(frame.split('\n')[0]).toMatch(/^┌─+┐$/);
  });
});
