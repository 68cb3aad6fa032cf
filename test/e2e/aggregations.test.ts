// The end-to-end cases of cases/aggregations.
import { defineSuite } from './suite';

defineSuite('aggregations');
