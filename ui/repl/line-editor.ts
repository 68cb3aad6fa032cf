// The prompt's editing model as pure functions over a small state: text (possibly several
// lines), cursor, and a position in the history. Keys map to edits in the manner of
// readline (Ctrl-A/E/B/F/U/K/W, arrows, Home/End, Backspace/Delete) and to actions the
// REPL acts on: submit, continue on a new line, complete, interrupt, end of input. No
// React and no terminal here, so every editing rule is testable as data.
import { isComplete } from './multiline';

export interface EditorState {
  text: string;
  cursor: number;
  /** Index into the history while browsing it; at least history.length when editing a fresh entry. */
  historyIndex: number;
  /** The fresh entry kept aside while browsing the history. */
  draft: string;
}

/** The keys the editor understands (a subset of Ink's Key). */
export interface EditorKey {
  return?: boolean;
  backspace?: boolean;
  delete?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  home?: boolean;
  end?: boolean;
  tab?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  escape?: boolean;
}

export type EditorAction = 'submit' | 'complete' | 'interrupt' | 'eof' | 'clear-screen';

export interface EditResult {
  state: EditorState;
  action?: EditorAction;
}

/** A fresh entry (its history position is past the newest entry, whatever the history holds). */
export function emptyEditor(): EditorState {
  return { text: '', cursor: 0, historyIndex: Number.MAX_SAFE_INTEGER, draft: '' };
}

function lineStart(text: string, cursor: number): number {
  return text.lastIndexOf('\n', cursor - 1) + 1;
}

function lineEnd(text: string, cursor: number): number {
  const e = text.indexOf('\n', cursor);
  return e < 0 ? text.length : e;
}

function insert(s: EditorState, chunk: string): EditorState {
  return { ...s, text: s.text.slice(0, s.cursor) + chunk + s.text.slice(s.cursor), cursor: s.cursor + chunk.length };
}

function wordStartBefore(text: string, cursor: number): number {
  let i = cursor;
  while (i > 0 && /\s/.test(text[i - 1])) i--;
  while (i > 0 && !/\s/.test(text[i - 1])) i--;
  return i;
}

function fromHistory(s: EditorState, history: readonly string[], index: number): EditorState {
  const text = index >= history.length ? s.draft : history[index];
  return { ...s, text, cursor: text.length, historyIndex: index };
}

/** Moves the cursor one line up or down keeping the column; undefined at the first/last line. */
function verticalMove(s: EditorState, dir: -1 | 1): EditorState | undefined {
  const start = lineStart(s.text, s.cursor);
  const col = s.cursor - start;
  if (dir < 0) {
    if (start === 0) return undefined;
    const prevStart = lineStart(s.text, start - 1);
    return { ...s, cursor: Math.min(prevStart + col, start - 1) };
  }
  const end = lineEnd(s.text, s.cursor);
  if (end >= s.text.length) return undefined;
  const nextStart = end + 1;
  return { ...s, cursor: Math.min(nextStart + col, lineEnd(s.text, nextStart)) };
}

/** Applies one key press (or a pasted chunk) to the editor. */
export function applyKey(s: EditorState, input: string, key: EditorKey, history: readonly string[]): EditResult {
  if (key.ctrl && !key.meta) {
    switch (input) {
      case 'c':
        return { state: s, action: 'interrupt' };
      case 'd':
        if (s.text === '') return { state: s, action: 'eof' };
        return { state: { ...s, text: s.text.slice(0, s.cursor) + s.text.slice(s.cursor + 1) } };
      case 'a':
        return { state: { ...s, cursor: lineStart(s.text, s.cursor) } };
      case 'e':
        return { state: { ...s, cursor: lineEnd(s.text, s.cursor) } };
      case 'b':
        return { state: { ...s, cursor: Math.max(0, s.cursor - 1) } };
      case 'f':
        return { state: { ...s, cursor: Math.min(s.text.length, s.cursor + 1) } };
      case 'u': {
        const start = lineStart(s.text, s.cursor);
        return { state: { ...s, text: s.text.slice(0, start) + s.text.slice(s.cursor), cursor: start } };
      }
      case 'k':
        return { state: { ...s, text: s.text.slice(0, s.cursor) + s.text.slice(lineEnd(s.text, s.cursor)) } };
      case 'w': {
        const start = wordStartBefore(s.text, s.cursor);
        return { state: { ...s, text: s.text.slice(0, start) + s.text.slice(s.cursor), cursor: start } };
      }
      case 'l':
        return { state: s, action: 'clear-screen' };
      case 'p':
        return applyKey(s, '', { upArrow: true }, history);
      case 'n':
        return applyKey(s, '', { downArrow: true }, history);
      default:
        return { state: s };
    }
  }
  if (key.return) {
    if (isComplete(s.text)) return { state: s, action: 'submit' };
    return { state: insert(s, '\n') };
  }
  if (key.tab) return { state: s, action: 'complete' };
  if (key.backspace) {
    if (s.cursor === 0) return { state: s };
    return { state: { ...s, text: s.text.slice(0, s.cursor - 1) + s.text.slice(s.cursor), cursor: s.cursor - 1 } };
  }
  if (key.delete) return { state: { ...s, text: s.text.slice(0, s.cursor) + s.text.slice(s.cursor + 1) } };
  if (key.leftArrow) return { state: { ...s, cursor: Math.max(0, s.cursor - 1) } };
  if (key.rightArrow) return { state: { ...s, cursor: Math.min(s.text.length, s.cursor + 1) } };
  if (key.home) return { state: { ...s, cursor: lineStart(s.text, s.cursor) } };
  if (key.end) return { state: { ...s, cursor: lineEnd(s.text, s.cursor) } };
  if (key.upArrow) {
    const moved = verticalMove(s, -1);
    if (moved) return { state: moved };
    if (s.historyIndex === 0 || history.length === 0) return { state: s };
    const draft = s.historyIndex >= history.length ? s.text : s.draft;
    return { state: fromHistory({ ...s, draft }, history, Math.min(s.historyIndex, history.length) - 1) };
  }
  if (key.downArrow) {
    const moved = verticalMove(s, 1);
    if (moved) return { state: moved };
    if (s.historyIndex >= history.length) return { state: s };
    return { state: fromHistory(s, history, s.historyIndex + 1) };
  }
  if (key.escape || key.meta || input === '') return { state: s };
  // Printable text (a key or a paste): tabs become spaces, control characters are dropped.
  const clean = input.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').replace(/[\x00-\x09\x0b-\x1f\x7f]/g, '');
  return { state: insert(s, clean) };
}
