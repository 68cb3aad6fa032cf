// Re-captures the V017 / V017_ERR blocks of the output case files from the installed
// bpftrace (0.17 here): `npx tsx test/runtime/output/capture-017.ts [file...]`.
// Needs root and bpftrace; the tests themselves only read the captured text.
import { readFileSync, writeFileSync } from 'node:fs';
import { bpftraceAvailable, bpftraceVersion, runBpftrace } from './harness/bpftrace-017';
import { formatCases, headerOf, parseCases } from './harness/cases';

const DEFAULT_FILES = ['text.cases', 'json.cases'].map((f) => new URL(`./data/${f}`, import.meta.url).pathname);

const why = bpftraceAvailable();
if (why) {
  process.stderr.write(`cannot capture: ${why}\n`);
  process.exit(1);
}
process.stderr.write(`capturing with ${bpftraceVersion()}\n`);
for (const file of process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_FILES) {
  const text = readFileSync(file, 'utf8');
  const cases = parseCases(text, file);
  for (const c of cases) {
    const r = runBpftrace(c.prog, c.mode);
    c.v017 = r.stdout;
    c.v017err = r.status === 0 ? undefined : r.stderr.trim() + '\n';
    process.stderr.write(`${r.status === 0 ? 'ok  ' : 'fail'} ${c.name}\n`);
  }
  writeFileSync(file, formatCases(cases, headerOf(text)));
}
