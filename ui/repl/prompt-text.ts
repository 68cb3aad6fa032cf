// The prompt strings: the first line of an entry and its continuation lines.
export const PROMPT = 'bpfsim> ';
export const CONTINUATION = '   ...> ';
