// The Output implementations: which stream each kind of message goes to and its exact
// words in text and JSON mode (printf/time/cat/join/system output, print() of values,
// attached probes, lost events, helper and runtime errors, errorf/warnf).
import { describe, expect, it } from 'vitest';
import { JsonOutput } from '../../../runtime/output/json-output';
import { mapToValue } from '../../../runtime/output/map-snapshot';
import {
  attachedProbesText,
  helperErrorMessage,
  logText,
  lostEventsText,
  strftimeFailedText,
  totalLostEventsText,
} from '../../../runtime/output/messages';
import { StringSink, type Output, type SourceLocation } from '../../../runtime/output/output';
import { strerror } from '../../../runtime/output/errno';
import { TextOutput } from '../../../runtime/output/text-output';
import { int, primitiveValue, str, tuple } from '../../../runtime/output/value';

const LOC: SourceLocation = {
  filename: 'stdin',
  line: 1,
  column: 37,
  text: 'stdin:1:37-52',
  context: ['BEGIN { $tmp = ((struct foo*) 0)->a; }', '                                    ~~~~~~~~~~~~~~~'],
};
const MACRO: SourceLocation = { filename: 'stdin', line: 3, column: 5, text: 'stdin:3:5-12', context: ['    m();', '    ~~~~~~~'] };

function both(f: (o: Output) => void): { text: StringSink; json: StringSink } {
  const text = new StringSink();
  const json = new StringSink();
  f(new TextOutput(text));
  f(new JsonOutput(json));
  return { text, json };
}

// [name, action, text stdout, text stderr, json stdout]
const CASES: [string, (o: Output) => void, string, string, string][] = [
  ['printf', (o) => o.printf('a "b"\n'), 'a "b"\n', '', '{"type": "printf", "data": "a \\"b\\"\\n"}\n'],
  ['time', (o) => o.time('12:00:01\n'), '12:00:01\n', '', '{"type": "time", "data": "12:00:01\\n"}\n'],
  ['cat', (o) => o.cat('line\n'), 'line\n', '', '{"type": "cat", "data": "line\\n"}\n'],
  ['join', (o) => o.join('/bin/echo,A'), '/bin/echo,A\n', '', '{"type": "join", "data": "/bin/echo,A"}\n'],
  ['system', (o) => o.syscall('a b c\n'), 'a b c\n\n', '', '{"type": "syscall", "data": "a b c\\n"}\n'],
  ['print int', (o) => o.value(primitiveValue(int(5))), '5\n', '', '{"type": "value", "data": 5}\n'],
  ['print tuple', (o) => o.value(primitiveValue(tuple(int(1), str('x')))), '(1, x)\n', '', '{"type": "value", "data": [1,"x"]}\n'],
  [
    'print scalar map',
    (o) => o.map('@x', mapToValue({ name: '@x', scalar: true, agg: 'int', signed: true, size: 8, entries: [{ key: str(''), value: 3n }] })),
    '@x: 3\n',
    '',
    '{"type": "map", "data": {"@x": 3}}\n',
  ],
  ['one probe', (o) => o.attachedProbes(1), '', 'Attached 1 probe\n', '{"type": "attached_probes", "count": 1, "data": {"probes": 1}}\n'],
  ['probes', (o) => o.attachedProbes(3), '', 'Attached 3 probes\n', '{"type": "attached_probes", "count": 3, "data": {"probes": 3}}\n'],
  ['lost events', (o) => o.lostEvents(12n), '', 'Lost 12 events\n', '{"type": "lost_events", "count": 12, "data": {"events": 12}}\n'],
  [
    'helper error',
    (o) => o.runtimeError({ kind: 'helper', helper: 'probe_read', retcode: -14, locations: [LOC] }),
    '',
    'stdin:1:37-52: WARNING: Bad address\nAdditional Info - helper: probe_read, retcode: -14\n' + LOC.context?.join('\n') + '\n',
    '{"type": "helper_error", "msg": "Bad address", "helper": "probe_read", "retcode": -14, "filename": "stdin", "line": 1, "col": 37}\n',
  ],
  [
    'full map',
    (o) => o.runtimeError({ kind: 'helper', helper: 'map_update_elem', retcode: -7, locations: [LOC, MACRO] }),
    '',
    "stdin:1:37-52: WARNING: Map full; can't update element. Try increasing max_map_keys config or manually setting the max entries in a map declaration e.g. `let @a = hash(5000)`\nAdditional Info - helper: map_update_elem, retcode: -7\n" +
      LOC.context?.join('\n') +
      '\nstdin:3:5-12: WARNING: expanded from\n    m();\n    ~~~~~~~\n',
    '{"type": "helper_error", "msg": "Argument list too long", "helper": "map_update_elem", "retcode": -7, "filename": "stdin", "line": 1, "col": 37}\n',
  ],
  [
    'runtime error',
    (o) => o.runtimeError({ kind: 'runtime', message: 'division by zero', locations: [LOC] }),
    '',
    'stdin:1:37-52: WARNING: division by zero\n' + LOC.context?.join('\n') + '\n',
    '{"type": "runtime_error", "msg": "division by zero", "filename": "stdin", "line": 1, "col": 37}\n',
  ],
  [
    'errorf',
    (o) => o.printfDiagnostic('error', 'Something bad with args: 10, arg2', [LOC]),
    '',
    'stdin:1:37-52: ERROR: Something bad with args: 10, arg2\n',
    '{"type": "errorf", "msg": "Something bad with args: 10, arg2", "filename": "stdin", "line": 1, "col": 37}\n',
  ],
  [
    'warnf from a macro',
    (o) => o.printfDiagnostic('warning', 'careful', [LOC, MACRO]),
    '',
    'stdin:1:37-52: WARNING: careful\nstdin:3:5-12: WARNING: expanded from\n    m();\n    ~~~~~~~\n',
    '{"type": "warnf", "msg": "careful", "filename": "stdin", "line": 1, "col": 37}\n',
  ],
  ['end', (o) => o.end(), '\n\n', '', ''],
];

describe('outputs', () => {
  it.each(CASES.map(([n, f, a, b, c]) => [n, f, a, b, c] as const))('%s', (_, f, textOut, textErr, jsonOut) => {
    const { text, json } = both(f);
    expect(text.stdout).toBe(textOut);
    expect(text.stderr).toBe(textErr);
    expect(json.stdout).toBe(jsonOut);
    expect(json.stderr).toBe('');
  });
});

describe('messages', () => {
  it('words helper failures as bpftrace does', () => {
    expect(helperErrorMessage('map_delete_elem', -2)).toBe("Can't delete map element because it does not exist.");
    expect(helperErrorMessage('map_lookup_elem', 0)).toBe("Can't lookup map element because it does not exist.");
    expect(helperErrorMessage('map_update_elem', -12)).toBe('Cannot allocate memory');
    expect(helperErrorMessage('probe_read_user', -999)).toBe('Unknown error 999');
  });

  it('has the texts of the session messages', () => {
    expect(attachedProbesText(0)).toBe('Attached 0 probes\n');
    expect(lostEventsText(1)).toBe('Lost 1 events\n');
    expect(totalLostEventsText(7)).toBe('WARNING: Total lost event count: 7\n');
    expect(strftimeFailedText()).toBe('WARNING: strftime returned 0\n');
    expect(logText('error', 'x', { filename: 'f.bt', line: 2, column: 1, text: 'f.bt:2:1-4' })).toBe('f.bt:2:1-4: ERROR: x\n');
  });

  it('knows glibc strerror texts', () => {
    expect([1, 2, 7, 14, 22, 28, 95, 111].map(strerror)).toEqual([
      'Operation not permitted',
      'No such file or directory',
      'Argument list too long',
      'Bad address',
      'Invalid argument',
      'No space left on device',
      'Operation not supported',
      'Connection refused',
    ]);
  });
});
