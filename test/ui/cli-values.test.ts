import { describe, expect, it } from 'vitest';
import { parseBuffering, parseCpus, parseDebugStages, parseDuration, parseFormat, parsePid, parseSeed, parseSpeed, parseWorkload, speedText } from '../../ui/cli/values';

describe('flag values', () => {
  it.each([
    ['1', 1],
    ['4242', 4242],
    ['0x10', 16],
    ['010', 8],
    ['4_194_304', 4194304],
  ])('pid %s is %d', (text, pid) => expect(parsePid(text)).toEqual({ ok: true, value: pid }));

  it.each([
    ['abc', 'Failed to parse pid: invalid integer: abc'],
    ['-1', 'Failed to parse pid: invalid integer: -1'],
    ['12x', 'Failed to parse pid: invalid integer: 12x'],
    ['4194305', 'Pid out of range: 4194305'],
    ['0', 'Pid out of range: 0'],
  ])('pid %s is refused', (text, error) => expect(parsePid(text)).toEqual({ ok: false, error }));

  it.each([
    ['5s', 5e9],
    ['250ms', 250e6],
    ['1.5m', 90e9],
    ['2', 2e9],
    ['100us', 100e3],
    ['7ns', 7],
    ['1h', 3600e9],
  ])('duration %s is %d ns', (text, ns) => expect(parseDuration(text)).toEqual({ ok: true, value: ns }));

  it.each(['', '0', '5q', 's', '-1s', '1e3s', '0.0000000001ns'])('duration %j is refused', (text) => {
    const r = parseDuration(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(`USAGE: --duration must be a time such as 5s, 250ms or 2m (got '${text}').`);
  });

  it.each([
    ['realtime', 'realtime'],
    ['max', 'max'],
    ['10x', '10x'],
    ['0.5x', '0.5x'],
    ['3', '3x'],
    ['1x', 'realtime'],
  ])('speed %s reads back as %s', (text, back) => {
    const r = parseSpeed(text);
    expect(r.ok).toBe(true);
    if (r.ok) expect(speedText(r.value)).toBe(back);
  });

  it.each(['fast', '0x', '-2x', 'x', '', '2y'])('speed %j is refused', (text) => {
    expect(parseSpeed(text)).toEqual({ ok: false, error: `USAGE: --speed must be 'realtime', 'max' or a factor such as '10x' (got '${text}').` });
  });

  it('reads seeds and CPU counts', () => {
    expect(parseSeed('42')).toEqual({ ok: true, value: 42 });
    expect(parseSeed('0')).toEqual({ ok: true, value: 0 });
    expect(parseSeed('-3').ok).toBe(false);
    expect(parseSeed('99999999999999999999').ok).toBe(false);
    expect(parseCpus('1')).toEqual({ ok: true, value: 1 });
    expect(parseCpus('64')).toEqual({ ok: true, value: 64 });
    expect(parseCpus('0')).toEqual({ ok: false, error: "USAGE: --cpus must be an integer from 1 to 64 (got '0')." });
    expect(parseCpus('65').ok).toBe(false);
  });

  it('reads formats and buffering modes with bpftrace messages', () => {
    expect(parseFormat('json')).toEqual({ ok: true, value: 'json' });
    expect(parseFormat('xml')).toEqual({ ok: false, error: `Invalid output format "xml"\nValid formats: 'text', 'json'` });
    expect(parseBuffering('none')).toEqual({ ok: true, value: 'none' });
    expect(parseBuffering('x')).toEqual({ ok: false, error: "USAGE: -B must be either 'line', 'full', or 'none'." });
  });

  it('reads debug stages in pipeline order', () => {
    expect(parseDebugStages('jit,ast')).toEqual({ ok: true, value: ['ast', 'jit'] });
    expect(parseDebugStages('all')).toEqual({ ok: true, value: ['ast', 'types', 'bytecode', 'verifier', 'jit'] });
    expect(parseDebugStages('ast,,types')).toEqual({ ok: true, value: ['ast', 'types'] });
    expect(parseDebugStages('codegen')).toEqual({ ok: false, error: 'USAGE: invalid option for -d: codegen' });
  });

  it('checks workload names against the known ones', () => {
    expect(parseWorkload('io', ['default', 'io'])).toEqual({ ok: true, value: 'io' });
    expect(parseWorkload('nope', ['default', 'io'])).toEqual({ ok: false, error: "USAGE: unknown workload 'nope'. Valid workloads: 'default', 'io'" });
    expect(parseWorkload('web', undefined)).toEqual({ ok: true, value: 'web' });
    expect(parseWorkload('a b', undefined).ok).toBe(false);
  });
});
