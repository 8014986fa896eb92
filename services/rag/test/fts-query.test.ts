import "../src/quiet-sqlite-warning";
import { DatabaseSync } from "node:sqlite";
import { MAX_QUERY_TERMS, ftsMatchExpression, queryWords } from "../src/fts-query";

test("every word becomes a quoted FTS5 string joined by OR; stop words go unless nothing else is left", () => {
  expect(ftsMatchExpression("What is the U-value of the roof?")).toBe('"u" OR "value" OR "roof"');
  expect(ftsMatchExpression('"AND OR (')).toBe('"and" OR "or"');
  expect(ftsMatchExpression("?!* () :")).toBeUndefined();
  expect(queryWords("Façade façade FAÇADE 2.1 %")).toEqual(["façade", "2", "1"]);
  expect(ftsMatchExpression(Array.from({ length: 50 }, (_, i) => `w${i}`).join(" "))!.split(" OR ")).toHaveLength(MAX_QUERY_TERMS);
});

test("hostile queries are valid FTS5 syntax (run against a real FTS5 table)", () => {
  const db = new DatabaseSync(":memory:");
  db.exec("CREATE VIRTUAL TABLE t USING fts5(heading, text, tokenize = 'porter unicode61 remove_diacritics 2')");
  db.prepare("INSERT INTO t (heading, text) VALUES (?, ?)").run("Fire", "NEAR the AND door, heading: text OR column");
  const hostile = ['"AND OR (', "NEAR(a b, 2)", "heading: fire", "text:*", "^door", "a\"b\"c", "door*", "-door +fire", "AND", "(((", "col:\"x", "'; DROP TABLE t; --", "\u0000door"];
  for (const query of hostile) {
    const match = ftsMatchExpression(query);
    if (match === undefined) continue;
    expect(() => db.prepare("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank").all(match)).not.toThrow();
  }
  // The words themselves still find the row: "door" in "door*", "fire" in "heading: fire".
  expect(db.prepare("SELECT count(*) AS n FROM t WHERE t MATCH ?").get(ftsMatchExpression("door*")!)).toEqual({ n: 1 });
  expect(db.prepare("SELECT count(*) AS n FROM t WHERE t MATCH ?").get(ftsMatchExpression("heading: fire")!)).toEqual({ n: 1 });
  db.close();
});
