// The REPL application: finished entries scroll above in Ink's <Static>, the live panel
// shows while programs run, and the prompt sits at the bottom. State lives in the
// controller; this component re-renders when it changes and leaves when it quits.
import { Box, Static, useApp, useStdout } from 'ink';
import { useEffect, useReducer } from 'react';
import type { ReplController } from './controller';
import { LivePanel } from './live-panel';
import { Prompt } from './prompt';
import { TranscriptItem } from './transcript-item';

export interface AppProps {
  controller: ReplController;
}

export function App({ controller }: AppProps) {
  const [, refresh] = useReducer((n: number) => n + 1, 0);
  const { exit } = useApp();
  const { stdout } = useStdout();
  useEffect(() => controller.onChange(refresh), [controller]);

  // Leave after React has drawn the last frame (the prompt gone, the final maps shown).
  const exitSoon = () => setTimeout(() => exit(), 0);
  const leave = () => {
    void controller.quit().then(exitSoon);
  };
  const stats = controller.stats;
  const rows = stdout.rows ?? 24;
  const running = stats !== undefined && stats.programs.length > 0;
  return (
    <Box flexDirection="column">
      <Static items={controller.transcript}>{(entry) => <TranscriptItem key={entry.id} entry={entry} />}</Static>
      {running ? <LivePanel stats={stats} world={controller.backend.settings()} budget={Math.max(4, rows - 8)} /> : null}
      {controller.quitting ? null : (
        <Prompt
          history={() => controller.history.all()}
          onSubmit={(entry) => {
            void controller.submit(entry).then((r) => {
              if (r === 'quit') exitSoon();
            });
          }}
          onInterrupt={() => void controller.interrupt()}
          onEof={leave}
          onComplete={(text, cursor) => controller.complete(text, cursor)}
        />
      )}
    </Box>
  );
}
