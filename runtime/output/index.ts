// The public surface of bpfsim's output layer: the value model, map snapshots and their
// ordering, the text and JSON formatters, printf (parse, check, format), strftime,
// string-literal escapes and session messages. The session engine and the UI import from
// here; the compiler imports checkFormat (and unescapeString) from here.
export * from './value';
export * from './decode';
export * from './hist';
export * from './map-snapshot';
export * from './output';
export * from './text-primitive';
export * from './text-output';
export * from './json-output';
export * from './messages';
export * from './errno';
export * from './strftime';
export * from './escapes';
export * from './printf/format-string';
export * from './printf/check';
export * from './printf/apply';
export * from './printf/gfp-flags';
export * from './exit-dump';
