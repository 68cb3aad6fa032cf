// The end-to-end cases of cases/functions.
import { defineSuite } from './suite';

defineSuite('functions');
