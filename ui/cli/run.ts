// Runs a validated RunRequest: the steps around the session that belong to the command
// line (the -o file opened after the program compiles, -B buffering, Ctrl-C and SIGTERM
// forwarded to the run) and the ProgramRunner port a session implements. The runner
// compiles, prints diagnostics and requested stages, attaches, runs and prints; this file
// decides nothing about programs.
import type { RunRequest } from './request';
import type { BufferMode } from './request';

/** Where program output goes: stdout or the -o file, with bpftrace's -B buffering. */
export interface OutputStream {
  write(text: string): void;
  /** Flushes what buffering held back. */
  flush(): void;
}

export interface RunIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Opens the -o file for writing (truncating it); throws a Node-style error when it cannot. */
  openFile(path: string): { write(text: string): void; close(): void };
  /** Registers a handler for Ctrl-C (SIGINT) and SIGTERM; returns its removal. */
  onInterrupt(handler: () => void): () => void;
}

export interface RunContext {
  /** Program output (printf, print, maps): stdout or the -o file. */
  out: OutputStream;
  /** Messages (Attached N probes, warnings, diagnostics). */
  err: (text: string) => void;
  /** Opens the -o file if one was asked for; returns false (after printing bpftrace's error) when it cannot. Call after compiling. */
  openOutput(): boolean;
  /** Called with a function that stops the run when the user interrupts it. */
  onInterrupt(stop: () => void): () => void;
}

/** What a session offers the command line: run one request to its end and give the exit code. */
export interface ProgramRunner {
  run(request: RunRequest, ctx: RunContext): Promise<number>;
}

export function bufferedStream(write: (text: string) => void, mode: BufferMode): OutputStream {
  let held = '';
  const FULL_LIMIT = 64 * 1024;
  return {
    write(text) {
      switch (mode) {
        case 'none':
          write(text);
          return;
        case 'line': {
          held += text;
          const cut = held.lastIndexOf('\n') + 1;
          if (cut > 0) {
            write(held.slice(0, cut));
            held = held.slice(cut);
          }
          return;
        }
        case 'full':
          held += text;
          if (held.length >= FULL_LIMIT) {
            write(held);
            held = '';
          }
          return;
        default: {
          const never: never = mode;
          return never;
        }
      }
    },
    flush() {
      if (held !== '') write(held);
      held = '';
    },
  };
}

/** Runs a request through a runner with the command line's I/O; always flushes and closes what it opened. */
export async function runRequest(request: RunRequest, runner: ProgramRunner, io: RunIo, strerror: (e: unknown) => string): Promise<number> {
  let file: { write(text: string): void; close(): void } | undefined;
  let target: (text: string) => void = (t) => io.stdout(t);
  const out = bufferedStream((t) => target(t), request.buffering);
  const ctx: RunContext = {
    out,
    err: (t) => io.stderr(t),
    openOutput() {
      if (request.outputFile === undefined || file) return true;
      try {
        file = io.openFile(request.outputFile);
      } catch (e) {
        io.stderr(`ERROR: Failed to open output file: "${request.outputFile}": ${strerror(e)}\n`);
        return false;
      }
      const f = file;
      target = (t) => f.write(t);
      return true;
    },
    onInterrupt: (stop) => io.onInterrupt(stop),
  };
  try {
    return await runner.run(request, ctx);
  } finally {
    out.flush();
    file?.close();
  }
}
