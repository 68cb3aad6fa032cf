// One finished entry of the REPL's scrollback (rendered once, inside Ink's <Static>):
// the echoed input with its prompt, program output, values, messages and errors.
import { Box, Text } from 'ink';
import type { TranscriptEntry } from './controller';
import { PROMPT, CONTINUATION } from './prompt-text';

export function TranscriptItem({ entry }: { entry: TranscriptEntry }) {
  switch (entry.kind) {
    case 'input':
      return (
        <Box flexDirection="column">
          {entry.text.split('\n').map((line, i) => (
            <Text key={i}>
              <Text color="cyan">{i === 0 ? PROMPT : CONTINUATION}</Text>
              {line}
            </Text>
          ))}
        </Box>
      );
    case 'stdout':
    case 'value':
      return <Text>{entry.text}</Text>;
    case 'stderr':
      return <Text color="yellow">{entry.text}</Text>;
    case 'info':
      return <Text dimColor>{entry.text}</Text>;
    case 'error':
      return <Text color="red">{entry.text}</Text>;
    default: {
      const never: never = entry.kind;
      return never;
    }
  }
}
