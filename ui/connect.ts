// Where the UI meets the runtime session: whether one is connected, the runner the
// command line uses for programs (cli/session-runner.ts over runtime/run.ts) and the
// backend the REPL drives (repl/session-backend.ts over runtime/session.ts). Both load on
// demand. The hidden switch BPFSIM_REPL_BACKEND=fake puts the REPL on the deterministic
// fake backend instead (for driving the terminal UI in tests).
import { VERSION } from '../runtime/version';
import type { Capabilities } from './cli/help';
import type { SimSettings, WarningLevel } from './cli/request';
import type { ProgramRunner } from './cli/run';
import type { ReplBackend } from './repl/backend';

export interface ReplRequest {
  sim: SimSettings;
  unsafe: boolean;
  warnings: WarningLevel;
}

export interface Connection {
  caps: Capabilities;
  /** Loads the runner for program runs (on demand: it pulls in the compiler and the machine). */
  runner(): Promise<ProgramRunner>;
  /** Loads a REPL backend for these settings, or undefined when no REPL can run. */
  replBackend(request: ReplRequest): Promise<{ backend: ReplBackend; banner: string } | undefined>;
}

export function connect(env: NodeJS.ProcessEnv): Connection {
  const fake = env.BPFSIM_REPL_BACKEND === 'fake';
  return {
    caps: { session: true },
    async runner() {
      return (await import('./cli/session-runner')).sessionRunner;
    },
    async replBackend(request) {
      if (fake) {
        const { FakeBackend } = await import('./repl/fake/backend');
        return { backend: new FakeBackend({ autoTickMs: 100 }), banner: 'bpfsim REPL over the fake backend (BPFSIM_REPL_BACKEND=fake). .help lists the commands.' };
      }
      const { SessionBackend } = await import('./repl/session-backend');
      const { sim } = request;
      return {
        backend: new SessionBackend({ sim, unsafe: request.unsafe, warnings: request.warnings }),
        banner: `bpfsim v${VERSION} · workload ${sim.workload} · seed ${sim.seed} · ${sim.cpus} CPUs. Enter a probe block or an expression; .help lists the commands, Ctrl-D leaves.`,
      };
    },
  };
}
