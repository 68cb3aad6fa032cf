// The end-to-end cases of cases/builtins.
import { defineSuite } from './suite';

defineSuite('builtins');
