// The end-to-end cases of cases/maps.
import { defineSuite } from './suite';

defineSuite('maps');
