// The end-of-run map dump: after the main loop ends, bpftrace tells the output it is done
// (text mode prints two empty lines) and prints every printable map in name order
// (byte order of the names: `@` first, upper case before `_` before lower case).
import { mapToValue, type MapSnapshot } from './map-snapshot';
import type { Output } from './output';

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Prints the exit dump of `snapshots` (maps the script declared printable). */
export function printMapsAtExit(out: Output, snapshots: readonly MapSnapshot[]): void {
  out.end();
  for (const snapshot of [...snapshots].sort((a, b) => byteOrder(a.name, b.name))) out.map(snapshot.name, mapToValue(snapshot));
}
