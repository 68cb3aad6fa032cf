// End-to-end cases of the language: the first slices, control flow, errors, structs,
// maps and aggregations (cases/basics, control, errors, structs, maps, aggregations).
import { defineSuite } from './suite';

for (const s of ['basics', 'control', 'errors', 'structs', 'maps', 'aggregations']) defineSuite(s);
