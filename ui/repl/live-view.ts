// The live panel's content as lines, from the latest statistics and a line budget: a
// status line (programs, simulated time, events per second, the world), the running
// programs, then the maps as bpftrace prints them, keyed maps cut to their top entries
// (the largest, which bpftrace prints last) and histograms whole while they fit.
// Pure, so the layout is testable without a terminal.
import { mapText } from '../../runtime/output/text-output';
import type { MapValue } from '../../runtime/output/value';
import type { LiveStats, WorldSettings } from './backend';
import { speedText } from '../cli/values';

export const TOP_N = 8;

export function formatRate(perSec: number): string {
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(1)}M`;
  if (perSec >= 1e3) return `${(perSec / 1e3).toFixed(1)}k`;
  return String(Math.round(perSec));
}

export function formatSimTime(ns: number): string {
  const s = ns / 1e9;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${(s - m * 60).toFixed(0).padStart(2, '0')}s`;
}

function topOf(value: MapValue, n: number): { value: MapValue; hidden: number } {
  if (value.kind === 'map' && value.map.entries.length > n) {
    return { value: { kind: 'map', map: { entries: value.map.entries.slice(-n) } }, hidden: value.map.entries.length - n };
  }
  if (value.kind === 'stats' && value.value.kind === 'map' && value.value.map.entries.length > n) {
    const entries = value.value.map.entries;
    return { value: { kind: 'stats', value: { kind: 'map', map: { entries: entries.slice(-n) } } }, hidden: entries.length - n };
  }
  return { value, hidden: 0 };
}

export interface LiveLine {
  text: string;
  style: 'status' | 'program' | 'map' | 'dim';
}

export function liveLines(stats: LiveStats, world: WorldSettings, budget: number): LiveLine[] {
  const n = stats.programs.length;
  const lines: LiveLine[] = [
    {
      text: `${n} program${n === 1 ? '' : 's'} running · sim ${formatSimTime(stats.simTimeNs)} · ${formatRate(stats.eventsPerSec)} events/s · ${world.workload} seed ${world.seed} ${speedText(world.speed)}`,
      style: 'status',
    },
  ];
  for (const p of stats.programs) {
    const first = p.source.split('\n')[0];
    lines.push({ text: `[${p.id}] ${first.length > 70 ? first.slice(0, 67) + '...' : first}${p.source.includes('\n') ? ' ...' : ''}`, style: 'program' });
  }
  const shared = new Set(stats.maps.filter((m, i) => stats.maps.findIndex((o) => o.name === m.name) !== i).map((m) => m.name));
  for (const m of stats.maps) {
    if (lines.length >= budget) break;
    // Maps of different programs with the same name say whose they are.
    if (shared.has(m.name) && m.program !== undefined) lines.push({ text: `[${m.program}] ${m.name}`, style: 'dim' });
    const { value, hidden } = topOf(m.value, TOP_N);
    const body = mapText(m.name, value).replace(/\n+$/, '').split('\n');
    const room = budget - lines.length - (hidden > 0 ? 1 : 0);
    if (room <= 0) break;
    // A histogram keeps its name line and lowest rows; a keyed map its largest (last) entries.
    const shown = body.length <= room ? body : value.kind === 'hist' ? body.slice(0, room) : body.slice(body.length - room);
    for (const l of shown) lines.push({ text: l, style: 'map' });
    const cut = hidden + (body.length - shown.length);
    if (cut > 0 && lines.length < budget) lines.push({ text: `  (${cut} more line${cut === 1 ? '' : 's'} of ${m.name}; .print ${m.name} shows all)`, style: 'dim' });
  }
  return lines.slice(0, Math.max(1, budget));
}
