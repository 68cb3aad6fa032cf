// What the REPL and the CLI's debug flags use: fragments (a lone expression, statements
// or a whole program), checking a lone expression, the AST dump after a named pass, and
// stopping at the first pass with errors.
import { describe, expect, test } from 'vitest';
import { PASS_NAMES, checkExpression, dumpExpression, frontEnd, parseFragment, parseStatements, tyToString } from '../../lang';
import { CATALOGUE } from './fixtures/catalogue';
import { U64 } from '../../lang/types';

describe('fragments', () => {
  test.each([
    ['nsecs', 'expr'],
    ['1 << 10', 'expr'],
    ['@m[1]', 'expr'],
    ['sizeof(struct task_struct)', 'expr'],
    ['$x = 1; print($x)', 'stmts'],
    ['@m[1] = 2', 'stmts'],
    ['if (1) { print(1) }', 'stmts'],
    ['kprobe:vfs_read { @ = count(); }', 'program'],
    ['BEGIN { }', 'program'],
  ])('%s is a %s', (src, kind) => {
    expect(parseFragment(src).fragment?.kind).toBe(kind);
  });

  test.each([
    // source, where the error is reported, its message
    ['kprobe:vfs_read {', 17, 'syntax error, unexpected end of file, expecting }'],
    ['1 +', 3, 'syntax error, unexpected end of file'],
    ['$x = 1 + ; $y', 9, 'syntax error, unexpected ;'],
  ])('the unparsable line %j reports the error of the reading that got furthest', (src, at, message) => {
    const r = parseFragment(src);
    expect(r.fragment).toBeUndefined();
    expect(r.diagnostics[0].span?.start).toBe(at);
    expect(r.diagnostics[0].message).toBe(message);
  });

  test('statements keep a final expression as a statement', () => {
    expect(parseStatements('$a = 1; $a + 1').stmts?.map((s) => s.kind)).toEqual(['assign', 'exprStmt']);
  });
});

describe('checking a lone expression', () => {
  test.each([
    ['nsecs', 'uint64'],
    ['1 << 10', 'uint64'],
    ['comm', 'string[16]'],
    ['sizeof(struct task_struct)', 'uint64'],
    ['curtask->real_parent->comm', 'string[16]'],
    ['(1, "a")', '(uint8,string[2])'],
  ])('%s has type %s', (src, ty) => {
    const r = checkExpression(src, { catalogue: CATALOGUE });
    expect(r.rendered).toBe('');
    expect(r.expr?.ty && tyToString(r.expr.ty)).toBe(ty);
  });

  test('sizeof is computed at compile time', () => {
    const r = checkExpression('sizeof(struct task_struct)', { catalogue: CATALOGUE });
    expect(r.expr?.kind === 'sizeof' && r.expr.value).toBe(3264);
  });

  test("a session's maps are known", () => {
    const knownMaps = [
      { name: 'm', key: U64, value: U64 },
      { name: 'c', value: { k: 'agg', fn: 'count', signed: true } as const },
    ];
    const r = checkExpression('@m[1] + 1', { catalogue: CATALOGUE, knownMaps });
    expect(r.rendered).toBe('');
    expect(r.expr?.ty && tyToString(r.expr.ty)).toBe('uint64');
    expect(checkExpression('@c', { catalogue: CATALOGUE, knownMaps }).expr?.ty).toEqual({ k: 'agg', fn: 'count', signed: true });
    expect(checkExpression('@other', { catalogue: CATALOGUE, knownMaps }).rendered).toMatch(/Undefined map: @other/);
  });

  test('errors point into the expression itself', () => {
    const r = checkExpression('1 + nosuch', { catalogue: CATALOGUE });
    expect(r.rendered).toBe("stdin:1:5-11: ERROR: Unknown identifier: 'nosuch'\n1 + nosuch\n    ~~~~~~\n");
  });
});

describe('the pipeline', () => {
  test('lists its passes in order', () => {
    expect(PASS_NAMES).toEqual(['parse', 'config', 'macros', 'preamble', 'positional', 'attach-points', 'names', 'map-sugar', 'types', 'casts', 'resources']);
  });

  test('stops at the first pass with errors', () => {
    const r = frontEnd('kprobe:nosuch { @x = undefinedthing; }', { catalogue: CATALOGUE });
    expect(r.failedPass).toBe('attach-points');
    expect(r.diagnostics).toHaveLength(1);
  });

  test('dumps the AST after a named pass', () => {
    const src = 'kprobe:vfs_read /pid == 1/ { @x[comm] = count(); $y = arg0 + 1; }';
    const parsed = frontEnd(src, { catalogue: CATALOGUE, dumpAfter: 'parse' });
    expect(parsed.dump).toBe(
      [
        'Program',
        ' kprobe:vfs_read',
        '  pred',
        '   ==',
        '    identifier: pid',
        '    int: 1',
        '  =',
        '   map: @x',
        '    identifier: comm',
        '   call: count',
        '  =',
        '   variable: $y',
        '   +',
        '    identifier: arg0',
        '    int: 1',
        '',
      ].join('\n'),
    );
    const typed = frontEnd(src, { catalogue: CATALOGUE, dumpAfter: 'types', dumpTypes: true });
    expect(typed.dump).toBe(
      [
        'Program',
        ' kprobe:vfs_read',
        '  pred',
        '   == :: type[bool]',
        '    builtin: pid :: type[uint32]',
        '    int: 1 :: type[uint8]',
        '  = (count)',
        '   map: @x :: type[count_t]',
        '    builtin: comm :: type[string[16]]',
        '   call: count :: type[count_t]',
        '  =',
        '   variable: $y :: type[uint64]',
        '   + :: type[uint64]',
        '    builtin: arg0 :: type[uint64]',
        '    int: 1 :: type[uint8]',
        '',
      ].join('\n'),
    );
  });

  test('an expression dump', () => {
    const r = checkExpression('(uint32)1 + 2', { catalogue: CATALOGUE });
    expect(dumpExpression(r.expr!, { types: true })).toBe('+ :: type[uint64]\n (uint32) :: type[uint32]\n  int: 1 :: type[uint8]\n int: 2 :: type[uint8]\n');
  });
});
