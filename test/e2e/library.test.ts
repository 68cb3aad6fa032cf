// End-to-end cases of the builtins, the functions and every output kind (cases/builtins,
// functions, output).
import { defineSuite } from './suite';

for (const s of ['builtins', 'functions', 'output']) defineSuite(s);
