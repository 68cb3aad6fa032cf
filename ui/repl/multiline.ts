// Decides whether a REPL entry is complete: it continues while braces are open (or a
// block comment is unterminated), as a shell continues an open quote. Braces inside
// string literals and comments do not count. Also locates the brace depth at a position,
// which completion uses to tell probe names from expressions.

export interface Balance {
  /** Open `{` minus closing `}` (negative when there are more closing braces). */
  depth: number;
  /** Inside an unterminated block comment at the end. */
  inComment: boolean;
  /** Inside an unterminated string literal at the end (strings do not span lines, so this ends the entry). */
  inString: boolean;
}

export function balance(text: string, end = text.length): Balance {
  let depth = 0;
  let i = 0;
  let inComment = false;
  let inString = false;
  while (i < end) {
    const c = text[i];
    const next = text[i + 1];
    if (inComment) {
      if (c === '*' && next === '/') {
        inComment = false;
        i += 2;
        continue;
      }
      i++;
      continue;
    }
    if (inString) {
      if (c === '\\') i += 2;
      else {
        if (c === '"' || c === '\n') inString = false;
        i++;
      }
      continue;
    }
    if (c === '/' && next === '*') {
      inComment = true;
      i += 2;
      continue;
    }
    if (c === '/' && next === '/') {
      while (i < end && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    i++;
  }
  return { depth, inComment, inString: inString && i >= end };
}

/** Whether Enter should submit the entry (true) or start a continuation line (false). */
export function isComplete(text: string): boolean {
  const b = balance(text);
  return b.depth <= 0 && !b.inComment;
}
