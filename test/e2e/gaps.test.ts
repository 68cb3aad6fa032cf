// End-to-end cases of language and runtime features the first users asked for: per-CPU
// aggregate reads inside programs (cases/percpu), `args` as a whole value (cases/args), system() commands run as processes (cases/system), the errors of what the machine cannot back (cases/unsupported), comm(pid) (cases/comm).
import { defineSuite } from './suite';

for (const s of ['percpu', 'args', 'system', 'unsupported', 'comm']) defineSuite(s);
