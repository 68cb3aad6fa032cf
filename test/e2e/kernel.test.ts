// End-to-end cases of the simulated kernel as the tools see it (cases/kernel): the
// machine is already running when tracing starts, and the gaps the tools' authors found.
import { defineSuite } from './suite';

defineSuite('kernel');
