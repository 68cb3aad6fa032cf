// Where the UI meets the runtime session: whether one is connected, the runner the
// command line uses for programs, and the backend the REPL drives. Until runtime/ offers
// a session, programs are compiled and verified only (cli/check-only.ts: --dry-run and -d
// work) and the REPL is available only over the fake backend, through the hidden switch
// BPFSIM_REPL_BACKEND=fake (used by the terminal end-to-end test).
import type { Capabilities } from './cli/help';
import type { ProgramRunner } from './cli/run';
import type { ReplBackend } from './repl/backend';
import type { SimSettings } from './cli/request';

export interface Connection {
  caps: Capabilities;
  /** Loads the runner for program runs (on demand: it pulls in the compiler). */
  runner(): Promise<ProgramRunner>;
  /** Loads a REPL backend for these settings, or undefined when no REPL can run. */
  replBackend(sim: SimSettings): Promise<{ backend: ReplBackend; banner: string } | undefined>;
}

export function connect(env: NodeJS.ProcessEnv): Connection {
  const fake = env.BPFSIM_REPL_BACKEND === 'fake';
  return {
    caps: { session: false },
    async runner() {
      return (await import('./cli/check-only')).checkOnlyRunner;
    },
    async replBackend() {
      if (!fake) return undefined;
      const { FakeBackend } = await import('./repl/fake/backend');
      return { backend: new FakeBackend({ autoTickMs: 100 }), banner: 'bpfsim REPL over the fake backend (BPFSIM_REPL_BACKEND=fake). .help lists the commands.' };
    },
  };
}
