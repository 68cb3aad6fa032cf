// Persistent history: a file under the home directory or BPFSIM_HISTORY, multi-line
// entries kept whole, repeats and blanks skipped, unwritable files tolerated.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeEntry, History, HISTORY_LIMIT, historyPath, unescapeEntry } from '../../ui/repl/history';

const tmp = () => mkdtempSync(join(tmpdir(), 'bpfsim-hist-'));

describe('history', () => {
  it('lives under the home directory unless BPFSIM_HISTORY says otherwise', () => {
    expect(historyPath({})).toBe(join(homedir(), '.bpfsim_history'));
    expect(historyPath({ BPFSIM_HISTORY: '/x/h' })).toBe('/x/h');
    expect(historyPath({ BPFSIM_HISTORY: '' })).toBeUndefined();
  });

  it.each(['plain', 'BEGIN {\n  exit();\n}', 'a\\nb', 'back\\slash\n'])('escapes %j onto one line and back', (entry) => {
    const line = escapeEntry(entry);
    expect(line).not.toContain('\n');
    expect(unescapeEntry(line)).toBe(entry);
  });

  it('persists entries across sessions, skipping blanks and repeats', () => {
    const path = join(tmp(), 'h');
    const h = new History(path);
    h.add('nsecs');
    h.add('nsecs');
    h.add('   ');
    h.add('BEGIN {\n exit();\n}');
    expect(h.all()).toEqual(['nsecs', 'BEGIN {\n exit();\n}']);
    expect(readFileSync(path, 'utf8')).toBe('nsecs\nBEGIN {\\n exit();\\n}\n');
    expect(new History(path).all()).toEqual(['nsecs', 'BEGIN {\n exit();\n}']);
  });

  it('keeps the newest entries when the file grows past the limit', () => {
    const path = join(tmp(), 'h');
    writeFileSync(path, Array.from({ length: HISTORY_LIMIT }, (_, i) => `e${i}\n`).join(''));
    const h = new History(path);
    h.add('newest');
    expect(h.all().length).toBe(HISTORY_LIMIT);
    expect(h.all()[0]).toBe('e1');
    expect(new History(path).all().at(-1)).toBe('newest');
  });

  it('works in memory when the file cannot be read or written', () => {
    const dir = tmp();
    const h = new History(join(dir, 'no', 'such', 'dir', 'h'));
    h.add('x');
    expect(h.all()).toEqual(['x']);
    const mem = new History(undefined);
    mem.add('y');
    expect(mem.all()).toEqual(['y']);
  });
});
