// The parser's space scanner (lang/syntax/spaces.ts) against the grammar's own `spaces`
// rule: from every start, the scanner stops where the rule's greedy match ends, on a
// table of tricky cases and on random mixes of spaces, comments and tokens.
import fc from 'fast-check';
import * as ohm from 'ohm-js';
import { describe, expect, test } from 'vitest';
import recipe from '../../lang/syntax/bpftrace.ohm';
import { skipSpacesAndComments } from '../../lang/syntax/spaces';

const { makeRecipe } = ohm as unknown as { makeRecipe(recipe: unknown): ohm.Grammar };
const grammar = makeRecipe(JSON.parse(recipe as unknown as string));

/** Where the grammar's `spaces` stops from `start`: the longest prefix it matches whole. */
function ohmSpacesEnd(text: string, start: number): number {
  for (let end = text.length; end > start; end--) {
    if (grammar.match(text.slice(start, end), 'spaces').succeeded()) return end;
  }
  return start;
}

const CASES: readonly [string, string][] = [
  ['nothing to skip', 'x = 1'],
  ['blanks and control characters', ' \t\r\n\x00\x01\x1f x'],
  ['line comment', '// a comment\n  x'],
  ['line comment at the end', '  // no newline'],
  ['block comment', '/* a */ x'],
  ['block comment of stars', '/***/x'],
  ['block comment /*/ is not closed by its own star', '/*/ x */y'],
  ['unterminated block comment stays', '  /* open'],
  ['comments in a row', '/* a */// b\n/* c */\tx'],
  ['a lone slash is a token', ' / 2'],
  ['a division', '/ 2'],
  ['a non-ASCII space is a token', '\u00a0x'],
  ['an emoji is a token', ' \u{1F600}'],
  ['only spaces', '   \n\n'],
];

describe('space scanner agrees with the grammar', () => {
  test.each(CASES)('%s', (_name, text) => {
    for (let i = 0; i <= text.length; i++) expect(skipSpacesAndComments(text, i), `from ${i}`).toBe(ohmSpacesEnd(text, i));
  });

  test('random mixes of spaces, comments and tokens', () => {
    const piece = fc.constantFrom(' ', '\t', '\n', '\x00', '//', '/*', '*/', '*', '/', 'x', '"', '\u00a0', '1');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        for (let i = 0; i <= text.length; i++) expect(skipSpacesAndComments(text, i)).toBe(ohmSpacesEnd(text, i));
      }),
      { numRuns: 300 },
    );
  });
});
