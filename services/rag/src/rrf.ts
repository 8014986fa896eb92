/** Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): score(d) = Σ 1 / (k + rank), ranks from 1. */

export const RRF_K = 60;

export interface Fused<T> {
  id: T;
  score: number;
  /** The item's 1-based rank in each input list, or null where it is absent. */
  ranks: (number | null)[];
}

/**
 * Fuses ranked lists (best first) into one, best first. Ties in score go to the item with the
 * better best rank, then to the earlier list's order, so the result is deterministic.
 */
export function reciprocalRankFusion<T>(lists: readonly (readonly T[])[], k: number = RRF_K): Fused<T>[] {
  const fused = new Map<T, Fused<T>>();
  lists.forEach((list, l) => {
    list.forEach((id, i) => {
      let entry = fused.get(id);
      if (!entry) {
        entry = { id, score: 0, ranks: lists.map(() => null) };
        fused.set(id, entry);
      }
      if (entry.ranks[l] !== null) return; // a duplicate within one list counts once, at its best rank
      entry.ranks[l] = i + 1;
      entry.score += 1 / (k + i + 1);
    });
  });
  const bestRank = (f: Fused<T>) => Math.min(...f.ranks.map((r) => r ?? Infinity));
  // Map iteration order is first appearance, and Array.prototype.sort is stable.
  return [...fused.values()].sort((a, b) => b.score - a.score || bestRank(a) - bestRank(b));
}
