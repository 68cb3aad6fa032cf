// The end-to-end cases of cases/basics.
import { defineSuite } from './suite';

defineSuite('basics');
