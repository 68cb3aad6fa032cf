// What `.ast`, `.bytecode`, `.verifier` and `.jit` share: printing one stage of the last
// program compiled in the session.
import type { DebugStage } from '../../cli/request';
import { error, text, type DotCommand } from './types';

export function stageCommand(stage: DebugStage, help: string): DotCommand {
  return {
    name: stage,
    args: '',
    argRequired: false,
    help,
    complete: 'none',
    async run(_arg, ctx) {
      const r = ctx.backend.stage(stage);
      return r.ok ? text(r.value.replace(/\n+$/, '')) : error(r.error);
    },
  };
}
