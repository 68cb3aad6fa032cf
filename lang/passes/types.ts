// Pass `types`: type inference and checking over the whole program (see types/checker.ts
// for the walk, types/exprs.ts and types/calls.ts for the rules). Leaves a type on every
// expression, a binding on every variable, settled key and value types on every map.
import type { Pass } from '../context';
import { Checker } from './types/checker';

export const typesPass: Pass = {
  name: 'types',
  run(ctx) {
    const c = new Checker(ctx);
    c.run();
    ctx.typed = { maps: c.maps.states, namedParams: c.namedParams };
  },
};
