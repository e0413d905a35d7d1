import type { Decider } from '../decider';
import { decideApplication, type ApplicationCommand } from './decide';
import { evolveApplication, initialApplicationState, type ApplicationState } from './state';

export * from './decide';
export * from './state';
export * from './reference-number';

export const applicationDecider: Decider<ApplicationCommand, ApplicationState> = {
  initialState: initialApplicationState,
  evolve: evolveApplication,
  decide: decideApplication,
};
