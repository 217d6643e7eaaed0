/**
 * What every protocol machine of shared/protocol is made of: `decide(state, observation)` returns
 * a step (the next state and the one action the driver performs next), and `TRANSITIONS` lists
 * every (state, observation, next state) it can take: its state diagram, as data.
 */
export interface MachineStep<State, Action> {
  state: State;
  action: Action;
}

export type Transitions<StateName extends string, ObservationKind extends string> = ReadonlyArray<readonly [StateName, ObservationKind, StateName]>;
