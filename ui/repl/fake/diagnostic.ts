// A diagnostic in bpftrace's layout (`stdin:1:5-9: ERROR: message`, the line, a `~~~`
// underline) for the fake backend's own refusals. The real backend's diagnostics come
// from the language front end.
export function fakeDiagnostic(file: string, source: string, start: number, end: number, message: string): string {
  const before = source.slice(0, start);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = source.indexOf('\n', start) < 0 ? source.length : source.indexOf('\n', start);
  const col = start - lineStart + 1;
  const stop = Math.min(end, lineEnd);
  const endCol = col + Math.max(1, stop - start);
  const text = source.slice(lineStart, lineEnd);
  return `${file}:${line}:${col}-${endCol}: ERROR: ${message}\n${text}\n${' '.repeat(col - 1)}${'~'.repeat(endCol - col)}\n`;
}
