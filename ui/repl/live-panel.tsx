// The live panel under the scrollback while programs run: status, running programs and
// live maps (see live-view.ts for the layout), redrawn as statistics arrive.
import { Box, Text } from 'ink';
import type { LiveStats, WorldSettings } from './backend';
import { liveLines } from './live-view';

export function LivePanel({ stats, world, budget }: { stats: LiveStats; world: WorldSettings; budget: number }) {
  const lines = liveLines(stats, world, budget);
  return (
    <Box flexDirection="column" borderStyle="single" borderColor="gray" paddingX={1}>
      {lines.map((l, i) =>
        l.style === 'status' ? (
          <Text key={i} color="green">
            {l.text}
          </Text>
        ) : l.style === 'program' ? (
          <Text key={i} color="cyan">
            {l.text}
          </Text>
        ) : l.style === 'dim' ? (
          <Text key={i} dimColor>
            {l.text}
          </Text>
        ) : (
          <Text key={i}>{l.text}</Text>
        ),
      )}
    </Box>
  );
}
