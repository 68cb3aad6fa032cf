// `npm run bench [NAME...]`: runs every benchmark (or those whose names contain a NAME)
// and writes test/bench/results.json.
import { runBenchmarks, type Benchmark } from './harness';
import { repoPath } from './paths';
import { startupBenchmarks } from './startup.bench';
import { vmBenchmarks } from './vm.bench';
import { outputBenchmarks } from './output.bench';
import { jitBenchmarks } from './jit.bench';
import { verifierBenchmarks } from './verifier.bench';
import { langBenchmarks } from './lang.bench';
import { uiBenchmarks } from './ui.bench';
import { kernelBenchmarks } from './kernel.bench';
import { e2eBenchmarks } from './e2e.bench';
import { scriptsBenchmarks } from './scripts.bench';

const ALL: Benchmark[] = [...startupBenchmarks, ...vmBenchmarks, ...outputBenchmarks, ...jitBenchmarks, ...verifierBenchmarks, ...langBenchmarks, ...uiBenchmarks, ...kernelBenchmarks, ...e2eBenchmarks, ...scriptsBenchmarks];

await runBenchmarks(ALL, process.argv.slice(2), repoPath('test/bench/results.json'));
