// The output interface the session drives (one method per kind of thing bpftrace prints)
// and the sinks it writes to. Implementations: TextOutput (text-output.ts) and JsonOutput
// (json-output.ts). Nothing here formats values.
import type { MapValue } from './value';

/** Where output goes: stdout and stderr of the simulated bpftrace process. */
export interface OutputSink {
  out(text: string): void;
  err(text: string): void;
}

/** A sink that keeps everything written, for tests and for the REPL's transcript. */
export class StringSink implements OutputSink {
  stdout = '';
  stderr = '';
  out(text: string): void {
    this.stdout += text;
  }
  err(text: string): void {
    this.stderr += text;
  }
}

/** A position in the script, as runtime messages cite it. */
export interface SourceLocation {
  filename: string;
  line: number;
  column: number;
  /** The rendered location, e.g. `stdin:1:9-62`. */
  text: string;
  /** Source context lines printed under the message (the line and its `~~~` underline). */
  context?: readonly string[];
}

/** A runtime error raised by a probe (helper failure or a bpftrace runtime check). */
export type RuntimeError =
  | {
      kind: 'helper';
      /** Helper name without the bpf_ prefix, e.g. `probe_read`, `map_update_elem`. */
      helper: string;
      /** Negative errno the helper returned. */
      retcode: number;
      /** Innermost first; later entries are macro expansion sites. */
      locations: readonly SourceLocation[];
    }
  | { kind: 'runtime'; message: string; locations: readonly SourceLocation[] };

/** Everything a bpftrace session prints, one method per kind (bpftrace's output::Output). */
export interface Output {
  /** A map, by `print(@m)` or the end-of-run dump. */
  map(name: string, value: MapValue): void;
  /** `print(expr)` of a non-map value. */
  value(value: MapValue): void;
  printf(text: string): void;
  /** `errorf()` / `warnf()`: a message with the call's location. */
  printfDiagnostic(severity: 'error' | 'warning', text: string, locations: readonly SourceLocation[]): void;
  time(text: string): void;
  cat(text: string): void;
  join(text: string): void;
  /** Output of a `system()` command. */
  syscall(text: string): void;
  lostEvents(count: bigint | number): void;
  attachedProbes(count: number): void;
  runtimeError(error: RuntimeError): void;
  /** The main loop finished; the end-of-run map dump follows. */
  end(): void;
}
