import { describe } from 'node:test';
import { crudCases } from './crud-cases.ts';
import { withStoreFrom, type MakeStore } from './harness.ts';
import { listCases } from './list-cases.ts';
import { watchCases } from './watch-cases.ts';

export type { MakeStore } from './harness.ts';

/**
 * Registers the Store conformance suite (node:test) for one backend. Every backend runs the same
 * cases; `makeStore` must return a fresh store whose keys no other test sees.
 */
export function runStoreConformance(name: string, makeStore: MakeStore): void {
  const withStore = withStoreFrom(makeStore);
  void describe(`Store conformance: ${name}`, () => {
    crudCases(withStore);
    listCases(withStore);
    watchCases(withStore);
  });
}
