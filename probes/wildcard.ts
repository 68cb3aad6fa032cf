// bpftrace's wildcard matching: `*` matches any run of characters (including none); every
// other character matches itself. A pattern without a leading `*` is anchored at the
// start, one without a trailing `*` at the end.

export function hasWildcard(s: string): boolean {
  return s.includes('*');
}

/** Splits a pattern into its literal tokens and anchoring, once, for repeated matching. */
export function compileWildcard(pattern: string): (text: string) => boolean {
  if (!hasWildcard(pattern)) return (text) => text === pattern;
  const startWild = pattern.startsWith('*');
  const endWild = pattern.endsWith('*');
  const tokens = pattern.split('*').filter((t) => t !== '');
  return (text) => {
    let at = 0;
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i];
      if (i === 0 && !startWild) {
        if (!text.startsWith(tok)) return false;
        at = tok.length;
        continue;
      }
      if (i === tokens.length - 1 && !endWild) {
        return text.length - tok.length >= at && text.endsWith(tok);
      }
      const found = text.indexOf(tok, at);
      if (found < 0) return false;
      at = found + tok.length;
    }
    return endWild || at === text.length || tokens.length === 0;
  };
}

export function wildcardMatch(pattern: string, text: string): boolean {
  return compileWildcard(pattern)(text);
}
