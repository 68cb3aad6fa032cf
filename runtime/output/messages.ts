// The words bpftrace uses for session messages: attached probes, lost events, helper
// failures, and the `file:line:col: WARNING: ...` form of located messages. Texts only;
// which stream they go to is decided by the Output implementations.
import { strerror } from './errno';
import type { SourceLocation } from './output';

export const E2BIG = 7;
export const ENOENT = 2;

/** `Attached 1 probe` / `Attached N probes` (stderr in text mode). */
export function attachedProbesText(count: number): string {
  return count === 1 ? `Attached ${count} probe\n` : `Attached ${count} probes\n`;
}

/** Reported each time the ring buffer dropped events (stderr in text mode). */
export function lostEventsText(count: bigint | number): string {
  return `Lost ${count} events\n`;
}

/** The warning printed after the run when any event was lost. */
export function totalLostEventsText(count: bigint | number): string {
  return logText('warning', `Total lost event count: ${count}`);
}

/**
 * bpftrace's message for a failed helper call: map-specific advice for a full map, a
 * missing key on delete or lookup, otherwise strerror() of the return code.
 */
export function helperErrorMessage(helper: string, retcode: number): string {
  if (helper === 'map_update_elem' && retcode === -E2BIG) {
    return (
      "Map full; can't update element. Try increasing max_map_keys config or manually " +
      'setting the max entries in a map declaration e.g. `let @a = hash(5000)`'
    );
  }
  if (helper === 'map_delete_elem' && retcode === -ENOENT) return "Can't delete map element because it does not exist.";
  if (helper === 'map_lookup_elem') return "Can't lookup map element because it does not exist.";
  return strerror(-retcode);
}

/**
 * A log line as bpftrace's LOG() prints it: `[location: ]SEVERITY: message`, then the
 * source context lines when given.
 */
export function logText(severity: 'error' | 'warning', message: string, location?: SourceLocation, withContext = true): string {
  const label = severity === 'error' ? 'ERROR' : 'WARNING';
  let out = location ? `${location.text}: ${label}: ${message}\n` : `${label}: ${message}\n`;
  if (location && withContext && location.context) for (const line of location.context) out += line + '\n';
  return out;
}

/** Warning when time()'s strftime produced nothing (or too much for its buffer). */
export function strftimeFailedText(): string {
  return logText('warning', 'strftime returned 0');
}
