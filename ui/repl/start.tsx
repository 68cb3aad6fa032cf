// Starts the interactive REPL: builds the controller over a backend, renders the Ink app
// on the terminal and resolves with the exit code when the user leaves. This module (and
// with it Ink and React) is loaded only for an interactive terminal.
import { BUILTINS, FUNCTIONS } from '../../runtime/system-info';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { render } from 'ink';
import type { ReplBackend } from './backend';
import { App } from './app';
import { ReplController, type ReplIo } from './controller';
import { History, historyPath } from './history';

/** Paths starting with a prefix, directories with a trailing `/`; unreadable directories give nothing. */
export function listFiles(prefix: string): string[] {
  const dir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/') + 1) : '';
  try {
    return readdirSync(dir === '' ? '.' : dir)
      .map((name) => dir + name)
      .filter((p) => p.startsWith(prefix))
      .map((p) => {
        try {
          return statSync(p).isDirectory() ? p + '/' : p;
        } catch {
          return p;
        }
      });
  } catch {
    return [];
  }
}

export const NODE_IO: ReplIo = {
  readFile: (p) => readFileSync(p, 'utf8'),
  writeFile: (p, t) => writeFileSync(p, t),
  listFiles,
};

export function languageNames() {
  return { builtins: BUILTINS.map((b) => b.name), functions: FUNCTIONS.map((f) => f.name) };
}

export async function startRepl(backend: ReplBackend, banner: string): Promise<number> {
  const controller = new ReplController(backend, new History(historyPath()), NODE_IO, languageNames());
  controller.note(banner);
  const app = render(<App controller={controller} />, { exitOnCtrlC: false });
  await app.waitUntilExit();
  return 0;
}

