// The prompt: shows the entry being edited (several lines while braces are open) with a
// cursor, and turns keys into editor changes (line-editor.ts) and REPL actions (submit,
// complete, Ctrl-C, Ctrl-D). A paste arrives as one chunk; its line breaks act as Enter.
import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import { applyKey, emptyEditor, type EditorKey, type EditorState } from './line-editor';
import { CONTINUATION, PROMPT } from './prompt-text';

export interface PromptProps {
  history: () => readonly string[];
  onSubmit: (entry: string) => void;
  onInterrupt: () => void;
  onEof: () => void;
  onComplete: (text: string, cursor: number) => { text: string; cursor: number; candidates: string[] };
}

function renderLines(s: EditorState, showCursor: boolean) {
  const lines = s.text.split('\n');
  let offset = 0;
  return lines.map((line, i) => {
    const start = offset;
    offset += line.length + 1;
    const prefix = <Text color="cyan">{i === 0 ? PROMPT : CONTINUATION}</Text>;
    if (!showCursor || s.cursor < start || s.cursor > start + line.length) {
      return (
        <Text key={i}>
          {prefix}
          {line}
        </Text>
      );
    }
    const at = s.cursor - start;
    return (
      <Text key={i}>
        {prefix}
        {line.slice(0, at)}
        <Text inverse>{line[at] ?? ' '}</Text>
        {line.slice(at + 1)}
      </Text>
    );
  });
}

export function Prompt(props: PromptProps) {
  const [state, setState] = useState<EditorState>(() => emptyEditor());
  const [candidates, setCandidates] = useState<string[]>([]);
  // Keys can arrive faster than React re-renders: edit the latest state, not the rendered one.
  const ref = useRef(state);
  const update = (s: EditorState) => {
    ref.current = s;
    setState(s);
  };

  const handle = (input: string, key: EditorKey) => {
    const r = applyKey(ref.current, input, key, props.history());
    switch (r.action) {
      case undefined:
        update(r.state);
        setCandidates([]);
        return;
      case 'submit': {
        const entry = r.state.text;
        update(emptyEditor());
        setCandidates([]);
        props.onSubmit(entry);
        return;
      }
      case 'complete': {
        const c = props.onComplete(r.state.text, r.state.cursor);
        update({ ...r.state, text: c.text, cursor: c.cursor });
        setCandidates(c.candidates);
        return;
      }
      case 'interrupt':
        update(emptyEditor());
        setCandidates([]);
        props.onInterrupt();
        return;
      case 'eof':
        props.onEof();
        return;
      case 'clear-screen':
        return;
      default: {
        const never: never = r.action;
        return never;
      }
    }
  };

  useInput((input, key) => {
    // Terminals send DEL (0x7f) for Backspace, which Ink reports as `delete`.
    const k: EditorKey = { ...key, backspace: key.backspace || key.delete, delete: false };
    if (input.length > 1 && /[\r\n]/.test(input) && !key.ctrl && !key.meta) {
      // A pasted chunk: each line break is an Enter.
      const parts = input.split(/\r\n|\r|\n/);
      parts.forEach((part, i) => {
        if (part !== '') handle(part, {});
        if (i < parts.length - 1) handle('', { return: true });
      });
      return;
    }
    if (input === '\r' || input === '\n') {
      handle('', { return: true });
      return;
    }
    handle(input, k);
  });

  return (
    <Box flexDirection="column">
      {renderLines(state, true)}
      {candidates.length > 0 ? <Text dimColor>{candidates.slice(0, 40).join('  ') + (candidates.length > 40 ? `  ... (${candidates.length})` : '')}</Text> : null}
    </Box>
  );
}
