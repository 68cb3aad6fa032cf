// The REPL's dot-commands, in the order `.help` lists them, and the lookup by name
// (a unique prefix works too: `.pr` is ambiguous, `.pri` is `.print`).
import { astCommand } from './ast';
import { attachCommand } from './attach';
import { bytecodeCommand } from './bytecode';
import { clearCommand } from './clear';
import { detachCommand } from './detach';
import { helpCommand } from './help';
import { jitCommand } from './jit';
import { listCommand } from './list';
import { mapsCommand } from './maps';
import { printCommand } from './print';
import { probesCommand } from './probes';
import { quitCommand } from './quit';
import { saveCommand } from './save';
import { seedCommand } from './seed';
import { speedCommand } from './speed';
import type { DotCommand } from './types';
import { verifierCommand } from './verifier';
import { workloadCommand } from './workload';

export const DOT_COMMANDS: readonly DotCommand[] = [
  helpCommand,
  probesCommand,
  listCommand,
  attachCommand,
  detachCommand,
  mapsCommand,
  printCommand,
  clearCommand,
  workloadCommand,
  seedCommand,
  speedCommand,
  astCommand,
  bytecodeCommand,
  verifierCommand,
  jitCommand,
  saveCommand,
  quitCommand,
];

export type Lookup = { ok: true; command: DotCommand } | { ok: false; error: string };

export function findCommand(name: string, commands: readonly DotCommand[] = DOT_COMMANDS): Lookup {
  const exact = commands.find((c) => c.name === name);
  if (exact) return { ok: true, command: exact };
  const matches = commands.filter((c) => c.name.startsWith(name));
  if (matches.length === 1) return { ok: true, command: matches[0] };
  if (matches.length > 1) return { ok: false, error: `ambiguous command '.${name}': ${matches.map((c) => '.' + c.name).join(', ')}` };
  return { ok: false, error: `unknown command '.${name}' (.help lists the commands)` };
}
