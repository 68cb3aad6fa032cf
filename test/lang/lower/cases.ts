// Reader of the lowering case files (test/lang/lower/cases/*.cases). A case:
//
//   === name
//   PROG kprobe:vfs_read { @[arg0] = count(); }
//   PARAMS 42 hello            (positional parameters, optional)
//   FIRE 1 2 pid=7 comm=bash   (one probe firing: arg0.. then env values; repeatable)
//   OUT                        (exact stdout before the map dump; lines follow)
//   MAPS                       (exact map dump; lines follow)
//   STDERR                     (exact stderr; lines follow; empty when absent)
//   ERROR text                 (compiling fails with a message containing text)
//   EXIT 3                     (exit() was called with this code)
//
// PROG continues on following lines indented by at least one space.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Firing } from './rig';

export interface LowerCase {
  file: string;
  name: string;
  prog: string;
  params: string[];
  fire: Firing[];
  /** The FIRE lines as written. */
  fireText: string[];
  out?: string;
  maps?: string;
  stderr?: string;
  error?: string;
  exit?: number;
}

const KEYWORDS = /^(PROG|PARAMS|FIRE|OUT|MAPS|STDERR|ERROR|EXIT)\b ?(.*)$/;

function parseFire(text: string): Firing {
  const args: bigint[] = [];
  const env: Record<string, string | number | bigint> = {};
  let ret: bigint | undefined;
  for (const w of text.split(/\s+/).filter(Boolean)) {
    const m = /^(\w+)=(.*)$/.exec(w);
    if (!m) {
      args.push(BigInt(w));
      continue;
    }
    const [, k, v] = m;
    if (k === 'ret') ret = BigInt(v);
    else if (k === 'comm') env.comm = v;
    else if (k === 'ktimeNs' || k === 'funcIp' || k === 'cgroupId' || k === 'task') env[k] = BigInt(v);
    else env[k] = Number(v);
  }
  return { args, ret, env };
}

export function readCases(dir: string): LowerCase[] {
  const out: LowerCase[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.cases')).sort()) {
    const lines = readFileSync(join(dir, f), 'utf8').split('\n');
    let cur: LowerCase | undefined;
    let block: 'out' | 'maps' | 'stderr' | 'prog' | undefined;
    const flush = (): void => {
      if (!cur) return;
      if (cur.out !== undefined) cur.out = cur.out.replace(/\n*$/, '\n').replace(/^\n$/, '');
      if (cur.maps !== undefined) cur.maps = cur.maps.replace(/\n*$/, '\n').replace(/^\n$/, '');
      if (cur.stderr !== undefined) cur.stderr = cur.stderr.replace(/\n*$/, '\n').replace(/^\n$/, '');
      out.push(cur);
    };
    for (const line of lines) {
      if (line.startsWith('=== ')) {
        flush();
        cur = { file: f, name: line.slice(4).trim(), prog: '', params: [], fire: [], fireText: [] };
        block = undefined;
        continue;
      }
      if (!cur) continue;
      const m = KEYWORDS.exec(line);
      if (m) {
        const [, kw, rest] = m;
        block = undefined;
        switch (kw) {
          case 'PROG':
            cur.prog = rest;
            block = 'prog';
            break;
          case 'PARAMS':
            cur.params = rest.split(/\s+/).filter(Boolean);
            break;
          case 'FIRE':
            cur.fire.push(parseFire(rest));
            cur.fireText.push(rest);
            break;
          case 'OUT':
            cur.out = '';
            block = 'out';
            break;
          case 'MAPS':
            cur.maps = '';
            block = 'maps';
            break;
          case 'STDERR':
            cur.stderr = '';
            block = 'stderr';
            break;
          case 'ERROR':
            cur.error = rest;
            break;
          case 'EXIT':
            cur.exit = Number(rest);
            break;
        }
        continue;
      }
      if (block === 'prog' && /^\s/.test(line)) cur.prog += '\n' + line;
      else if (block === 'out') cur.out += line + '\n';
      else if (block === 'maps') cur.maps += line + '\n';
      else if (block === 'stderr') cur.stderr += line + '\n';
    }
    flush();
  }
  return out;
}
