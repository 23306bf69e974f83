/** What every plugin has: a name, used in CycleState keys, logs and statuses. */
export interface Plugin {
  readonly name: string;
}
