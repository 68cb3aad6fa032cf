// The end-to-end cases of cases/output.
import { defineSuite } from './suite';

defineSuite('output');
