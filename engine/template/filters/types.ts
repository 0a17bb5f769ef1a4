import type { FilterFn, TestFn } from '../runtime.js';

/** What filters that apply other filters or tests (map, select ...) may ask for. */
export interface FilterHelpers {
  filter(name: string): FilterFn | undefined;
  test(name: string): TestFn | undefined;
}

export type FilterTable = Record<string, FilterFn>;
