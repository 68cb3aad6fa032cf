// Open files (what a file descriptor refers to) and the two in-kernel byte channels
// besides sockets: pipes and terminals. A terminal's input comes from a typist (the
// simulated person at the keyboard) one keystroke at a time.
import { WaitQueue, type OpenFileLike } from '../kernel/task';
import type { Mount } from './node';
import type { FsNode } from './node';

export type FileKind = OpenFileLike['kind'];

export class OpenFile implements OpenFileLike {
  refs = 1;
  pos = 0;
  /** Snapshot of generated (/proc) content taken at open. */
  text: Uint8Array | null = null;
  /** Directory read position (entries returned so far). */
  dirPos = 0;
  pipe: Pipe | null = null;
  tty: Tty | null = null;
  /** The socket (net/ object) for kind 'socket'. */
  sock: unknown = null;
  /** Pseudo-files: the epoll set, eventfd counter, ... */
  extra: unknown = null;

  constructor(
    readonly kind: FileKind,
    /** Linear offset of struct file. */
    readonly lin: number,
    readonly node: FsNode | null,
    readonly mount: Mount | null,
    public flags: number,
  ) {}

  readable(): boolean {
    return (this.flags & 3) !== 1;
  }

  writable(): boolean {
    return (this.flags & 3) !== 0;
  }
}

export const PIPE_BUF_BYTES = 65536;

export class Pipe {
  bytes = 0;
  readers = 1;
  writers = 1;
  /** The most recent data written (what a reader copies out). */
  last: Uint8Array = new Uint8Array(0);
  readonly readWait = new WaitQueue();
  readonly writeWait = new WaitQueue();
  readonly ino: number;

  constructor(ino: number) {
    this.ino = ino;
  }
}

/** One line a person types: the text (a newline is added) and how long they think first. */
export interface Typed {
  text: string;
  thinkNs: number;
  /** Time between keystrokes. */
  keyNs: number;
}

export class Tty {
  /** Characters typed but not yet read. */
  pending = '';
  /** When the next character arrives (Infinity: nobody is typing). */
  nextAt = Infinity;
  queued = '';
  keyNs = 120_000_000;
  readonly readWait = new WaitQueue();
  /** Supplies the next line when the reader runs out (null: nobody types). */
  typist: (() => Typed | null) | null = null;
  /** Bytes written to the terminal (a bounded tail, for tests and curiosity). */
  output = '';

  constructor(readonly name: string) {}
}
