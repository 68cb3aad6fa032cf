// A REPL controller over the fake backend, an in-memory history and file system, for
// the flow tests.
import { ReplController, type ReplIo, type TranscriptEntry } from '../../ui/repl/controller';
import { FakeBackend } from '../../ui/repl/fake/backend';
import { History } from '../../ui/repl/history';

export interface Repl {
  backend: FakeBackend;
  controller: ReplController;
  files: Map<string, string>;
  /** The transcript entries added since the last call, as `kind: text`. */
  take(): string[];
}

export const NAMES = { builtins: ['nsecs', 'comm', 'pid'], functions: ['count', 'hist', 'printf', 'print'] };

export function makeRepl(files: Record<string, string> = {}): Repl {
  const backend = new FakeBackend();
  const fs = new Map(Object.entries(files));
  const io: ReplIo = {
    readFile(p) {
      const f = fs.get(p);
      if (f === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return f;
    },
    writeFile(p, t) {
      if (p.startsWith('/readonly/')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      fs.set(p, t);
    },
    listFiles: (prefix) => [...fs.keys()].filter((k) => k.startsWith(prefix)),
  };
  const controller = new ReplController(backend, new History(undefined), io, NAMES);
  let seen = 0;
  return {
    backend,
    controller,
    files: fs,
    take() {
      controller.flushOutput(true);
      const fresh = controller.transcript.slice(seen);
      seen = controller.transcript.length;
      return fresh.map((e: TranscriptEntry) => `${e.kind}: ${e.text}`);
    },
  };
}
