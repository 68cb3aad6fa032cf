// The prompt's editing rules as data: keys in, text/cursor/action out.
import { describe, expect, it } from 'vitest';
import { applyKey, emptyEditor, type EditorAction, type EditorKey, type EditorState } from '../../ui/repl/line-editor';
import { balance, isComplete } from '../../ui/repl/multiline';

type Step = string | [string, EditorKey];
const K = (k: EditorKey, input = ''): Step => [input, k];
const ENTER = K({ return: true });
const BS = K({ backspace: true });
const LEFT = K({ leftArrow: true });
const RIGHT = K({ rightArrow: true });
const UP = K({ upArrow: true });
const DOWN = K({ downArrow: true });
const ctrl = (c: string): Step => [c, { ctrl: true }];

function play(steps: Step[], history: string[] = []): { state: EditorState; actions: EditorAction[] } {
  let state = emptyEditor();
  const actions: EditorAction[] = [];
  for (const step of steps) {
    const [input, key] = typeof step === 'string' ? [step, {}] : step;
    const r = applyKey(state, input, key, history);
    state = r.state;
    if (r.action) actions.push(r.action);
  }
  return { state, actions };
}

/** Text with `|` where the cursor is. */
const show = (s: EditorState) => s.text.slice(0, s.cursor) + '|' + s.text.slice(s.cursor);

describe('line editor', () => {
  const cases: [string, Step[], string, EditorAction[], string[]?][] = [
    ['types text', ['nsecs'], 'nsecs|', []],
    ['submits a complete line', ['1 + 2', ENTER], '1 + 2|', ['submit']],
    ['continues while a brace is open', ['BEGIN {', ENTER, 'exit();', ENTER], 'BEGIN {\nexit();\n|', []],
    ['submits once the braces close', ['BEGIN {', ENTER, '}', ENTER], 'BEGIN {\n}|', ['submit']],
    ['ignores braces in strings', ['BEGIN { printf("{"); }', ENTER], 'BEGIN { printf("{"); }|', ['submit']],
    ['backspace deletes before the cursor', ['abc', LEFT, BS], 'a|c', []],
    ['backspace at the start does nothing', [BS], '|', []],
    ['arrows move within the text', ['abc', LEFT, LEFT, 'X', RIGHT, 'Y'], 'aXbY|c', []],
    ['Ctrl-A and Ctrl-E go to the line ends', ['abc', ctrl('a'), '>', ctrl('e'), '<'], '>abc<|', []],
    ['Ctrl-U kills to the line start', ['abc def', LEFT, LEFT, ctrl('u')], '|ef', []],
    ['Ctrl-K kills to the line end', ['abc def', ctrl('a'), RIGHT, ctrl('k')], 'a|', []],
    ['Ctrl-W kills the word before', ['print(@x) nsecs', ctrl('w')], 'print(@x) |', []],
    ['Ctrl-D on an empty line ends the input', [ctrl('d')], '|', ['eof']],
    ['Ctrl-D in text deletes the character under the cursor', ['ab', LEFT, ctrl('d')], 'a|', []],
    ['Ctrl-C interrupts', ['partial', ctrl('c')], 'partial|', ['interrupt']],
    ['Tab asks for completion', ['kpr', K({ tab: true })], 'kpr|', ['complete']],
    ['control characters are dropped and tabs become spaces', ['a\x07b\tc'], 'ab    c|', []],
    ['a paste keeps its line breaks', ['BEGIN {\r\n exit(); }'], 'BEGIN {\n exit(); }|', []],
    ['up recalls the history, newest first', [UP, UP], 'first|', [], ['first', 'second']],
    ['down returns to the fresh entry', ['draft', UP, DOWN], 'draft|', [], ['first']],
    ['up stops at the oldest entry', [UP, UP, UP], 'only|', [], ['only']],
    ['up moves between lines of a multi-line entry first', ['a {', ENTER, 'bc', UP, 'X'], 'a X|{\nbc', [], ['old']],
    ['down moves to the next line', ['ab {', ENTER, 'c', UP, ctrl('a'), DOWN, 'Y'], 'ab {\nY|c', []],
  ];
  it.each(cases)('%s', (_name, steps, expected, actions, history) => {
    const r = play(steps, history);
    expect(show(r.state)).toBe(expected);
    expect(r.actions).toEqual(actions);
  });
});

describe('entry completeness', () => {
  it.each([
    ['nsecs', true, 0],
    ['BEGIN {', false, 1],
    ['BEGIN { if (1) { }', false, 1],
    ['BEGIN { }', true, 0],
    ['BEGIN { printf("}"); ', false, 1],
    ['BEGIN { // }', false, 1],
    ['BEGIN { /* } */ }', true, 0],
    ['/* open comment', false, 0],
    ['}', true, -1],
    ['"unterminated {', true, 0],
    ['BEGIN { printf("a\\"{"); }', true, 0],
  ])('%j complete=%s depth=%d', (text, complete, depth) => {
    expect(isComplete(text)).toBe(complete);
    expect(balance(text).depth).toBe(depth);
  });
});
