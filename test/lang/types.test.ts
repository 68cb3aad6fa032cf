// Expression types (data/types.txt): each expression is checked inside its section's probe
// and its type, printed as bpftrace prints types, must match.
import { describe, expect, test } from 'vitest';
import { type Expr, frontEnd, tyToString } from '../../lang';
import { CATALOGUE } from './fixtures/catalogue';
import { dataFile } from './helpers';

interface TypeCase {
  probe: string;
  prelude: string;
  expr: string;
  want: string;
}

function cases(): TypeCase[] {
  const out: TypeCase[] = [];
  let probe = 'BEGIN';
  let prelude = '';
  for (const line of dataFile('types.txt').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (line.startsWith('@probe ')) {
      probe = line.slice(7).trim();
      prelude = '';
    } else if (line.startsWith('> ')) prelude += line.slice(2) + ' ';
    else {
      const i = line.lastIndexOf(' => ');
      out.push({ probe, prelude, expr: line.slice(0, i), want: line.slice(i + 4) });
    }
  }
  return out;
}

/** The checked type of `expr` inside `probe`, after `prelude`. */
function typeOf(c: TypeCase): string {
  const source = `${c.probe} { ${c.prelude}print(${c.expr}); }`;
  const r = frontEnd(source, { catalogue: CATALOGUE, params: ['42', 'hello'] });
  if (!r.ok) return `errors:\n${r.rendered}`;
  const probe = r.program!.items.find((i) => i.kind === 'probe');
  if (probe?.kind !== 'probe') return 'no probe';
  const last = probe.body.stmts[probe.body.stmts.length - 1];
  if (last.kind !== 'exprStmt' || last.expr.kind !== 'call') return 'no print';
  const arg: Expr = last.expr.args[0];
  return arg.ty ? tyToString(arg.ty) : 'untyped';
}

describe('types of data/types.txt', () => {
  const all = cases();
  test('has cases', () => expect(all.length).toBeGreaterThan(140));
  test.each(all.map((c) => [`${c.probe}: ${c.expr}`, c]))('%s', (_n, c) => {
    expect(typeOf(c)).toBe(c.want);
  });
});
