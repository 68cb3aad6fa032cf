// strftime(3) in the C locale (glibc's conversions and flags) over a deterministic clock,
// plus bpftrace's extension for `strftime()`: `%f` (microseconds). The time zone is
// given as data (the simulated machine's), never read from the host. What does not fit
// in the output buffer fails like C's strftime (returns null).

/** The simulated machine's local time zone: a fixed offset and its abbreviation. */
export interface TimeZone {
  /** Minutes east of UTC (e.g. 60 for CET, -300 for EST). */
  utcOffsetMinutes: number;
  /** What `%Z` prints. */
  name: string;
}

export const UTC: TimeZone = { utcOffsetMinutes: 0, name: 'UTC' };

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

/** Broken-down time (struct tm) of a wall-clock instant in a zone. */
export interface BrokenDownTime {
  year: number;
  /** 0-11 */
  month: number;
  /** 1-31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday */
  weekday: number;
  /** 0-365 */
  yearDay: number;
  /** Seconds since the epoch (UTC), for `%s`. */
  epochSeconds: bigint;
  zone: TimeZone;
}

export function brokenDown(epochSeconds: bigint, zone: TimeZone = UTC): BrokenDownTime {
  const local = Number(epochSeconds) + zone.utcOffsetMinutes * 60;
  const d = new Date(local * 1000);
  const year = d.getUTCFullYear();
  const startOfYear = Date.UTC(year, 0, 1) / 1000;
  return {
    year,
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
    yearDay: Math.floor((local - startOfYear) / 86400),
    epochSeconds,
    zone,
  };
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** ISO 8601 week-based year and week number (for %G, %g, %V), as glibc computes them. */
function isoWeek(t: BrokenDownTime): { year: number; week: number } {
  const wdayMon = (t.weekday + 6) % 7; // 0 = Monday
  let year = t.year;
  // Day of year of this week's Thursday decides the year.
  let week = Math.floor((t.yearDay - wdayMon + 10) / 7);
  if (week < 1) {
    year -= 1;
    const prevDays = isLeap(year) ? 366 : 365;
    week = Math.floor((t.yearDay + prevDays - wdayMon + 10) / 7);
  } else {
    const days = isLeap(year) ? 366 : 365;
    if (t.yearDay - wdayMon + 3 >= days) {
      year += 1;
      week = 1;
    }
  }
  return { year, week };
}

interface Conv {
  flag: string;
  width: number | undefined;
}

/** Number conversion: default padding char and width, overridable by flags and width. */
function num(n: number, defWidth: number, defPad: '0' | ' ', c: Conv): string {
  const neg = n < 0;
  const digits = String(Math.abs(n));
  let pad: string = defPad;
  if (c.flag === '_') pad = ' ';
  else if (c.flag === '0') pad = '0';
  const width = c.width ?? defWidth;
  if (c.flag === '-') return (neg ? '-' : '') + digits;
  const body = (neg ? '-' : '') + digits;
  if (body.length >= width) return body;
  if (pad === '0') return (neg ? '-' : '') + digits.padStart(width - (neg ? 1 : 0), '0');
  return body.padStart(width, ' ');
}

function text(s: string, c: Conv, caseFlag: 'upper' | 'swap' | undefined): string {
  let out = s;
  if (caseFlag === 'upper') out = out.toUpperCase();
  else if (caseFlag === 'swap') out = out === out.toUpperCase() ? out.toLowerCase() : out.toUpperCase();
  if (c.width !== undefined && out.length < c.width) out = out.padStart(c.width, c.flag === '0' ? '0' : ' ');
  return out;
}

function zoneOffset(t: BrokenDownTime): string {
  const m = t.zone.utcOffsetMinutes;
  const a = Math.abs(m);
  return (m < 0 ? '-' : '+') + String(Math.floor(a / 60)).padStart(2, '0') + String(a % 60).padStart(2, '0');
}

/** One conversion character; null when glibc would print the directive unchanged. */
function convert(ch: string, t: BrokenDownTime, c: Conv, caseFlag: 'upper' | 'swap' | undefined): string | null {
  const hour12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
  const sub = (fmt: string): string => format(fmt, t) ?? '';
  switch (ch) {
    case 'a': return text(DAYS[t.weekday].slice(0, 3), c, caseFlag);
    case 'A': return text(DAYS[t.weekday], c, caseFlag);
    case 'b':
    case 'h': return text(MONTHS[t.month].slice(0, 3), c, caseFlag);
    case 'B': return text(MONTHS[t.month], c, caseFlag);
    case 'c': return text(sub('%a %b %e %H:%M:%S %Y'), c, caseFlag);
    case 'C': return num(Math.floor(t.year / 100), 2, '0', c);
    case 'd': return num(t.day, 2, '0', c);
    case 'D': return text(sub('%m/%d/%y'), c, caseFlag);
    case 'e': return num(t.day, 2, ' ', c);
    case 'F': return text(sub('%Y-%m-%d'), c, caseFlag);
    case 'G': return num(isoWeek(t).year, 1, '0', c);
    case 'g': return num(((isoWeek(t).year % 100) + 100) % 100, 2, '0', c);
    case 'H': return num(t.hour, 2, '0', c);
    case 'I': return num(hour12, 2, '0', c);
    case 'j': return num(t.yearDay + 1, 3, '0', c);
    case 'k': return num(t.hour, 2, ' ', c);
    case 'l': return num(hour12, 2, ' ', c);
    case 'm': return num(t.month + 1, 2, '0', c);
    case 'M': return num(t.minute, 2, '0', c);
    case 'n': return '\n';
    case 'p': return text(t.hour < 12 ? 'AM' : 'PM', c, caseFlag === 'swap' ? 'swap' : caseFlag);
    case 'P': return text(t.hour < 12 ? 'am' : 'pm', c, caseFlag);
    case 'r': return text(sub('%I:%M:%S %p'), c, caseFlag);
    case 'R': return text(sub('%H:%M'), c, caseFlag);
    case 's': return text(String(t.epochSeconds), c, undefined);
    case 'S': return num(t.second, 2, '0', c);
    case 't': return '\t';
    case 'T': return text(sub('%H:%M:%S'), c, caseFlag);
    case 'u': return num(t.weekday === 0 ? 7 : t.weekday, 1, '0', c);
    case 'U': return num(Math.floor((t.yearDay + 7 - t.weekday) / 7), 2, '0', c);
    case 'V': return num(isoWeek(t).week, 2, '0', c);
    case 'w': return num(t.weekday, 1, '0', c);
    case 'W': return num(Math.floor((t.yearDay + 7 - ((t.weekday + 6) % 7)) / 7), 2, '0', c);
    case 'x': return text(sub('%m/%d/%y'), c, caseFlag);
    case 'X': return text(sub('%H:%M:%S'), c, caseFlag);
    case 'y': return num(((t.year % 100) + 100) % 100, 2, '0', c);
    case 'Y': return num(t.year, 1, '0', c);
    case 'z': return text(zoneOffset(t), c, undefined);
    case 'Z': return text(t.zone.name, c, caseFlag);
    case '%': return '%';
    default: return null;
  }
}

/** Formats broken-down time with a strftime format; the C-locale result, unbounded. */
function format(fmt: string, t: BrokenDownTime): string {
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const ch = fmt[i];
    if (ch !== '%') {
      out += ch;
      i++;
      continue;
    }
    const start = i;
    i++;
    let flag = '';
    let caseFlag: 'upper' | 'swap' | undefined;
    while (i < fmt.length && '_-0^#'.includes(fmt[i])) {
      if (fmt[i] === '^') caseFlag = 'upper';
      else if (fmt[i] === '#') caseFlag = caseFlag ?? 'swap';
      else flag = fmt[i];
      i++;
    }
    let widthText = '';
    while (i < fmt.length && fmt[i] >= '0' && fmt[i] <= '9') widthText += fmt[i++];
    if (i < fmt.length && (fmt[i] === 'E' || fmt[i] === 'O')) i++;
    if (i >= fmt.length) {
      out += fmt.slice(start);
      break;
    }
    const conv: Conv = { flag, width: widthText ? Number(widthText) : undefined };
    const r = convert(fmt[i], t, conv, caseFlag);
    out += r ?? fmt.slice(start, i + 1);
    i++;
  }
  return out;
}

/**
 * C strftime: the formatted text, or null where C returns 0 (an empty result, or one
 * that does not fit in `bufferSize` bytes including the terminating NUL).
 */
export function strftime(fmt: string, t: BrokenDownTime, bufferSize = Infinity): string | null {
  const s = format(fmt, t);
  if (s.length === 0 || s.length + 1 > bufferSize) return null;
  return s;
}

/**
 * bpftrace's timestamp formatting for `strftime()` values: `%f` becomes the
 * microseconds (six digits) before strftime runs; an instant at second 0 of the epoch
 * and a failed strftime both print `(?)`.
 */
export function formatTimestamp(fmt: string, epochNs: bigint, zone: TimeZone = UTC, bufferSize = 1024): string {
  const seconds = epochNs >= 0n ? epochNs / 1_000_000_000n : -((-epochNs + 999_999_999n) / 1_000_000_000n);
  if (seconds === 0n) return '(?)';
  const nsRem = epochNs - seconds * 1_000_000_000n;
  const usecs = String(nsRem / 1000n).padStart(6, '0');
  const expanded = fmt.split('%f').join(usecs);
  return strftime(expanded, brokenDown(seconds, zone), bufferSize) ?? '(?)';
}

/** Size of the buffer bpftrace formats `time()` into (AsyncHandlers::MAX_TIME_STR_LEN). */
export const TIME_BUFFER_SIZE = 64;

/**
 * `time(fmt)`: the simulated wall clock, in whole seconds, through plain strftime (no
 * `%f`). Null where strftime returns 0: bpftrace then warns "strftime returned 0" and
 * prints nothing.
 */
export function formatTimeBuiltin(fmt: string, epochNs: bigint, zone: TimeZone = UTC): string | null {
  const seconds = epochNs >= 0n ? epochNs / 1_000_000_000n : -((-epochNs + 999_999_999n) / 1_000_000_000n);
  return strftime(fmt, brokenDown(seconds, zone), TIME_BUFFER_SIZE);
}

/** The default format of `time()` without arguments. */
export const DEFAULT_TIME_FORMAT = '%H:%M:%S\n';
