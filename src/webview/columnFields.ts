// Which form fields name a column of the query's output: the host sends their paths as patterns
// (init's `columnFields`, from the kind's `mappedColumns`), `'*'` standing for any key or index.
import type { JsonPath } from '../shared/jsonPath.ts';

export function matchesPattern(path: JsonPath, pattern: readonly string[]): boolean {
  return path.length === pattern.length && pattern.every((segment, i) => segment === '*' || segment === String(path[i]));
}
