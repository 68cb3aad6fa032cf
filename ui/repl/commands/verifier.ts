// `.verifier`: the verifier's log for the last program.
import { stageCommand } from './stage';

export const verifierCommand = stageCommand('verifier', "the verifier's log for the last program");
