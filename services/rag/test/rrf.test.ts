import { RRF_K, reciprocalRankFusion } from "../src/rrf";

test("the DOMAIN.md test vector: A = [d1, d2, d3], B = [d3, d1, d4] with k = 60", () => {
  const fused = reciprocalRankFusion([
    ["d1", "d2", "d3"],
    ["d3", "d1", "d4"],
  ]);
  expect(RRF_K).toBe(60);
  expect(fused.map((f) => f.id)).toEqual(["d1", "d3", "d2", "d4"]);
  const scores = Object.fromEntries(fused.map((f) => [f.id, Number(f.score.toFixed(6))]));
  expect(scores).toEqual({ d1: 0.032522, d3: 0.032266, d2: 0.016129, d4: 0.015873 });
  expect(fused.find((f) => f.id === "d1")!.ranks).toEqual([1, 2]);
  expect(fused.find((f) => f.id === "d4")!.ranks).toEqual([null, 3]);
});

test("equal scores keep the earlier list's order; appearing in both lists beats a better single rank", () => {
  const fused = reciprocalRankFusion([
    ["a", "b"],
    ["b", "a"],
  ]);
  expect(fused[0]!.score).toBeCloseTo(fused[1]!.score, 15);
  expect(fused.map((f) => f.id)).toEqual(["a", "b"]);
  const single = reciprocalRankFusion([["p", "q"], ["q"]]);
  expect(single.map((f) => f.id)).toEqual(["q", "p"]);
});

test("a duplicate inside one list counts once, at its best rank; empty lists fuse to nothing", () => {
  const fused = reciprocalRankFusion([["a", "a", "b"]], 60);
  expect(fused.map((f) => [f.id, f.ranks[0]])).toEqual([
    ["a", 1],
    ["b", 3],
  ]);
  expect(fused[0]!.score).toBeCloseTo(1 / 61, 12);
  expect(reciprocalRankFusion([[], []])).toEqual([]);
});

test("k changes the weighting of top ranks", () => {
  const lists = [["a", "b", "c"], ["c"]];
  expect(reciprocalRankFusion(lists, 60)[0]!.id).toBe("c"); // 1/63 + 1/61 > 1/61
  expect(reciprocalRankFusion(lists, 1)[0]!.score).toBeCloseTo(1 / 4 + 1 / 2, 12);
});
