// strftime in the C locale against glibc: data/strftime.json holds (epoch seconds, zone
// offset in minutes, zone name, format, glibc's result) rows produced with glibc's
// strftime (Python's time.strftime under fixed-offset TZ settings). Plus bpftrace's
// timestamp rules: `%f` microseconds, `(?)` for the epoch's first second and for
// results that do not fit, and time()'s 64-byte buffer.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  brokenDown,
  DEFAULT_TIME_FORMAT,
  formatTimeBuiltin,
  formatTimestamp,
  strftime,
  UTC,
  type TimeZone,
} from '../../../runtime/output/strftime';

type Row = [number, number, string, string, string];
const ROWS = JSON.parse(readFileSync(new URL('./data/strftime.json', import.meta.url), 'utf8')) as Row[];

describe('strftime matches glibc', () => {
  it.each(ROWS.map((r) => [`${r[0]} ${r[2]} ${JSON.stringify(r[3])}`, ...r] as const))('%s', (_, epoch, offset, name, fmt, want) => {
    const zone: TimeZone = { utcOffsetMinutes: offset, name };
    expect(strftime(fmt, brokenDown(BigInt(epoch), zone))).toBe(want);
  });
});

describe('bpftrace timestamps', () => {
  const cases: [string, bigint, TimeZone, string][] = [
    ['%H:%M:%S.%f', 1_700_000_000_123_456_789n, UTC, '22:13:20.123456'],
    ['%f', 1_700_000_000_000_001_999n, UTC, '000001'],
    ['%Y-%m-%dT%H:%M:%S%z', 1_700_000_000_000_000_000n, { utcOffsetMinutes: 60, name: 'CET' }, '2023-11-14T23:13:20+0100'],
    ['%%f', 1_700_000_000_000_500_000n, UTC, '%000500'],
    ['%H', 999_999_999n, UTC, '(?)'],
    ['', 1_700_000_000_000_000_000n, UTC, '(?)'],
  ];
  it.each(cases)('%j at %s', (fmt, ns, zone, want) => {
    expect(formatTimestamp(fmt, ns, zone)).toBe(want);
  });

  it('fails like C when the result does not fit the buffer', () => {
    expect(formatTimestamp('%Y'.repeat(10), 1_700_000_000_000_000_000n, UTC, 40)).toBe('(?)');
    expect(formatTimestamp('%Y'.repeat(10), 1_700_000_000_000_000_000n, UTC, 41)).toBe('2023'.repeat(10));
  });
});

describe('time()', () => {
  it('prints whole seconds of the simulated clock with the default format', () => {
    expect(formatTimeBuiltin(DEFAULT_TIME_FORMAT, 1_700_000_000_999_000_000n)).toBe('22:13:20\n');
  });

  it('does not expand %f', () => {
    expect(formatTimeBuiltin('%f', 1_700_000_000_000_000_000n)).toBe('%f');
  });

  it('returns null when strftime returns 0 (empty, or over 63 characters)', () => {
    expect(formatTimeBuiltin('', 1_700_000_000_000_000_000n)).toBeNull();
    expect(formatTimeBuiltin('x'.repeat(64), 1_700_000_000_000_000_000n)).toBeNull();
    expect(formatTimeBuiltin('x'.repeat(63), 1_700_000_000_000_000_000n)).toBe('x'.repeat(63));
  });
});
