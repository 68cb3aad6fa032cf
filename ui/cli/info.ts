// `bpfsim --info`: what the simulated system offers, in the layout of `bpftrace --info`
// (System, Build, Kernel helpers, Kernel features, Map types, Probe types), read from the
// tables the VM and the probe catalogue define, so it never drifts from what runs.
// Loaded on demand: it pulls in the VM's tables.
import { ENGINES, HELPERS, MAP_TYPE_NAMES, PROBE_KINDS } from '../../runtime/system-info';
import { VERSION } from '../../runtime/version';

/** The kernel release the simulated machine reports. */
const SIM_KERNEL = '6.8.0-bpfsim';

export function infoText(): string {
  const yes = (name: string) => `  ${name}: yes`;
  const out: string[] = [
    'System',
    `  OS: Linux ${SIM_KERNEL} (simulated)`,
    '  Arch: x86_64 (simulated)',
    '',
    'Build',
    `  version: v${VERSION}`,
    `  node: ${process.version}`,
    `  engines: ${ENGINES.map((e) => e.name).join(', ')}`,
    '',
    'Kernel helpers',
    ...[...HELPERS].sort((a, b) => a.id - b.id).map((h) => yes(h.name)),
    '',
    'Kernel features',
    '  Instruction limit: 1000000',
    '  Loop support: yes',
    '  btf: yes',
    '',
    'Map types',
    ...[...MAP_TYPE_NAMES.values()].map(yes),
    '',
    'Probe types',
    ...PROBE_KINDS.map((k) => yes(k.name)),
  ];
  return out.join('\n') + '\n';
}
