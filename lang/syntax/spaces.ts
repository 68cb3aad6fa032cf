// The grammar's `spaces` (what Ohm skips before each token of a syntactic rule) as a
// plain scanner, installed into each match so that skipping no longer goes through a
// memoized rule application. It accepts exactly what the `space` rule of bpftrace.ohm
// does (characters \x00 to space, // line comments, terminated /* block */ comments);
// test/lang/spaces.test.ts checks the two agree. Parsing itself stays in parser.ts.

/** The end of the run of spaces and comments that starts at `pos` in `text`. */
export function skipSpacesAndComments(text: string, pos: number): number {
  const n = text.length;
  let i = pos;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c <= 32) {
      i++;
    } else if (c === 47 /* / */) {
      const d = text.charCodeAt(i + 1);
      if (d === 47) {
        const e = text.indexOf('\n', i + 2);
        i = e < 0 ? n : e;
      } else if (d === 42 /* * */) {
        const e = text.indexOf('*/', i + 2);
        if (e < 0) return i;
        i = e + 2;
      } else return i;
    } else return i;
  }
  return i;
}

/** The part of Ohm's match state the scanner uses (ohm-js 17 MatchState). */
interface OhmMatchState {
  input: string;
  inputStream: { pos: number; examinedLength: number };
  skipSpaces(): number;
  inSyntacticContext(): boolean;
  currentApplication(): { ruleName: string; isSyntactic(): boolean } | undefined;
  inLexifiedContext(): boolean;
}

/** Whether a rule is syntactic: Ohm's test (the name's first letter is a capital) without a string per call. */
function isSyntacticRule(app: { ruleName: string; isSyntactic(): boolean }): boolean {
  const c = app.ruleName.charCodeAt(0);
  if (c >= 97 && c <= 122) return false;
  if (c >= 65 && c <= 90) return true;
  return app.isSyntactic();
}

/**
 * Makes a match state skip spaces with the scanner. Ohm's own skipping saves and restores
 * the failure information around the `spaces` application, so spaces never show in
 * syntax errors, and the scanner leaves that information alone: match results and their
 * failures are unchanged. The state also tells syntactic rules apart more cheaply.
 */
export function useFastSpaces(state: OhmMatchState): void {
  const stream = state.inputStream;
  const text = state.input;
  state.skipSpaces = () => {
    const end = skipSpacesAndComments(text, stream.pos);
    // Ohm looks at one character past the spaces to find where they end.
    if (end + 1 > stream.examinedLength) stream.examinedLength = end + 1;
    stream.pos = end;
    return end;
  };
  const inSyntacticContext = state.inSyntacticContext;
  state.inSyntacticContext = function (this: OhmMatchState) {
    const app = this.currentApplication();
    if (!app) return inSyntacticContext.call(this);
    return isSyntacticRule(app) && !this.inLexifiedContext();
  };
}
