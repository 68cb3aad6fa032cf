// The REPL's persistent history: one entry per line in a file under the user's home
// (`~/.bpfsim_history`, or the path in BPFSIM_HISTORY; an empty BPFSIM_HISTORY keeps it in
// memory only). Multi-line entries are stored with `\n` escaped so each stays one line.
// Failing to read or write the file never stops the REPL: history is then in memory only.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const HISTORY_LIMIT = 1000;

export function historyPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env.BPFSIM_HISTORY;
  if (v !== undefined) return v === '' ? undefined : v;
  try {
    return join(homedir(), '.bpfsim_history');
  } catch {
    return undefined;
  }
}

export function escapeEntry(entry: string): string {
  return entry.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function unescapeEntry(line: string): string {
  return line.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

export class History {
  private entries: string[] = [];

  constructor(private readonly path: string | undefined) {
    if (!path) return;
    try {
      this.entries = readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map(unescapeEntry)
        .slice(-HISTORY_LIMIT);
    } catch {
      this.entries = [];
    }
  }

  all(): readonly string[] {
    return this.entries;
  }

  /** Records an entry (not blank, not a repeat of the last one) and appends it to the file. */
  add(entry: string): void {
    if (entry.trim() === '' || this.entries[this.entries.length - 1] === entry) return;
    this.entries.push(entry);
    if (!this.path) return;
    try {
      if (this.entries.length > HISTORY_LIMIT) {
        this.entries = this.entries.slice(-HISTORY_LIMIT);
        writeFileSync(this.path, this.entries.map((e) => escapeEntry(e) + '\n').join(''));
      } else appendFileSync(this.path, escapeEntry(entry) + '\n');
    } catch {
      // An unwritable history file leaves the history in memory only.
    }
  }
}
