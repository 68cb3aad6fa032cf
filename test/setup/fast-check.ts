// Every fast-check property runs from one fixed seed unless it names its own, so that
// each run of the suite (and CI) checks the same generated cases. BPFSIM_FC_SEED=N picks
// another seed; BPFSIM_FC_SEED=random a new one per run, for exploring.
import fc from 'fast-check';

const chosen = process.env.BPFSIM_FC_SEED ?? '20261122';
if (chosen !== 'random') {
  const seed = Number(chosen);
  if (!Number.isSafeInteger(seed)) throw new Error(`BPFSIM_FC_SEED must be an integer or 'random', got '${chosen}'`);
  fc.configureGlobal({ seed });
}
