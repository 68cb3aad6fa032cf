// `.ast`: the last program's AST after the semantic passes, with types.
import { stageCommand } from './stage';

export const astCommand = stageCommand('ast', "the last program's AST");
