// The end-to-end cases of cases/probes.
import { defineSuite } from './suite';

defineSuite('probes');
