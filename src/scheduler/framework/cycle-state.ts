/**
 * Data plugins compute in PreFilter and read in Filter/Score, for one pod's scheduling cycle.
 * Keys are plugin names; each plugin owns its own entry's type.
 */
export class CycleState {
  private readonly data = new Map<string, unknown>();

  write<T>(key: string, value: T): void {
    this.data.set(key, value);
  }

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
}
