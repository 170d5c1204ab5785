// After new figures land, the computed MSG rank and trend of the measures they fed are
// recomputed with the one shared method (src/measures/computed), never a copy of it.
import type { Store } from '../store/schema.ts';

export function refreshComputed(_draft: Store, _measureIds: string[]): void {
  // Wired to src/measures/computed once it lands (see the import commit that follows).
}
