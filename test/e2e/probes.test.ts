// End-to-end cases of every probe kind and of the classic one-liners (cases/probes,
// oneliners).
import { defineSuite } from './suite';

for (const s of ['probes', 'oneliners']) defineSuite(s);
