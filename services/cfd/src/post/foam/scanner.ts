/**
 * A byte cursor over an OpenFOAM ASCII file. Numbers are read straight from the bytes (no string
 * per token): this is the hot path when a field holds millions of values.
 */

export class FoamParseError extends Error {
  constructor(
    message: string,
    /** Byte offset of the problem in the file. */
    readonly offset: number,
    /** 1-based line of the problem. */
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
    this.name = "FoamParseError";
  }
}

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const SLASH = 47;
const STAR = 42;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const LOWER_E = 101;
const UPPER_E = 69;
const QUOTE = 34;

/** Bytes that end a word or a number: whitespace and OpenFOAM's punctuation. */
const DELIMITER = new Uint8Array(256);
for (const c of [SPACE, TAB, LF, CR, 11, 12, 40, 41, 123, 125, 91, 93, 59, QUOTE]) DELIMITER[c] = 1;

/** 10^0 … 10^22: every one is exact in a double, which makes the fast path below exact. */
const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Beyond 15 digits the mantissa may not fit 2^53 exactly: such tokens take the exact slow path. */
const MAX_FAST_DIGITS = 15;

export class Scanner {
  pos = 0;
  readonly length: number;

  constructor(readonly buf: Uint8Array) {
    this.length = buf.length;
  }

  /** Skips whitespace, `// …` and `/* … *\/` comments. */
  skipSpace(): void {
    const b = this.buf;
    const len = this.length;
    let p = this.pos;
    while (p < len) {
      const c = b[p];
      if (c === SPACE || c === LF || c === TAB || c === CR || c === 11 || c === 12) {
        p++;
      } else if (c === SLASH && p + 1 < len && b[p + 1] === SLASH) {
        p += 2;
        while (p < len && b[p] !== LF) p++;
      } else if (c === SLASH && p + 1 < len && b[p + 1] === STAR) {
        const start = p;
        p += 2;
        while (p + 1 < len && !(b[p] === STAR && b[p + 1] === SLASH)) p++;
        if (p + 1 >= len) this.fail("unterminated /* comment", start);
        p += 2;
      } else {
        break;
      }
    }
    this.pos = p;
  }

  /** The next significant byte (after whitespace and comments), or -1 at the end. */
  peek(): number {
    this.skipSpace();
    return this.pos < this.length ? this.buf[this.pos] : -1;
  }

  atEnd(): boolean {
    return this.peek() === -1;
  }

  /** Consumes `ch` (a punctuation byte) or fails naming what was found instead. */
  expect(ch: number, context: string): void {
    if (this.peek() !== ch) this.fail(`expected '${String.fromCharCode(ch)}' ${context}, found ${this.describeNext()}`);
    this.pos++;
  }

  /** Consumes `ch` if it is next; says whether it did. */
  accept(ch: number): boolean {
    if (this.peek() !== ch) return false;
    this.pos++;
    return true;
  }

  /** A word: a keyword, a type such as `List<vector>`, a patch name, `#include`, `$var`, a bare number. */
  word(): string {
    this.skipSpace();
    const start = this.pos;
    const b = this.buf;
    let p = start;
    while (p < this.length && DELIMITER[b[p]] === 0) p++;
    if (p === start) this.fail(`expected a word, found ${this.describeNext()}`);
    this.pos = p;
    return latin1(b, start, p);
  }

  /** Whether the next token is exactly `word` (nothing is consumed). */
  lookingAt(word: string): boolean {
    this.skipSpace();
    const p = this.pos;
    if (p + word.length > this.length) return false;
    for (let i = 0; i < word.length; i++) if (this.buf[p + i] !== word.charCodeAt(i)) return false;
    return p + word.length === this.length || DELIMITER[this.buf[p + word.length]] === 1;
  }

  /** A double-quoted string (the quotes removed, `\"` unescaped). */
  quoted(): string {
    this.skipSpace();
    const start = this.pos;
    if (this.buf[start] !== QUOTE) this.fail(`expected a quoted string, found ${this.describeNext()}`);
    let p = start + 1;
    while (p < this.length && this.buf[p] !== QUOTE) p += this.buf[p] === 92 ? 2 : 1;
    if (p >= this.length) this.fail("unterminated string", start);
    this.pos = p + 1;
    return latin1(this.buf, start + 1, p).replace(/\\"/g, '"');
  }

  /** A non-negative integer (a list size). */
  integer(what: string): number {
    this.skipSpace();
    const b = this.buf;
    let p = this.pos;
    let value = 0;
    const start = p;
    while (p < this.length && b[p] >= ZERO && b[p] <= NINE) value = value * 10 + (b[p++] - ZERO);
    if (p === start || (p < this.length && DELIMITER[b[p]] === 0)) this.fail(`expected ${what} (an integer), found ${this.describeNext()}`);
    this.pos = p;
    return value;
  }

  /**
   * A number, read from the bytes. Up to 15 significant digits and a decimal exponent within
   * ±22 (OpenFOAM writes 6 digits by default) the result is exact: an exact integer mantissa
   * times or divided by an exact power of ten, rounded once (Clinger's fast path). Longer or
   * extreme tokens, `nan` and `inf` go through `Number()`.
   */
  number(): number {
    this.skipSpace();
    const b = this.buf;
    const len = this.length;
    const start = this.pos;
    let p = start;
    let c = p < len ? b[p] : 0;
    let negative = false;
    if (c === MINUS) {
      negative = true;
      c = ++p < len ? b[p] : 0;
    } else if (c === PLUS) {
      c = ++p < len ? b[p] : 0;
    }
    let mantissa = 0;
    let digits = 0;
    let exponent = 0;
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      c = ++p < len ? b[p] : 0;
    }
    if (c === DOT) {
      c = ++p < len ? b[p] : 0;
      while (c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        digits++;
        exponent--;
        c = ++p < len ? b[p] : 0;
      }
    }
    if (digits === 0) return this.specialNumber(start);
    if (c === LOWER_E || c === UPPER_E) {
      c = ++p < len ? b[p] : 0;
      let expNegative = false;
      if (c === MINUS) {
        expNegative = true;
        c = ++p < len ? b[p] : 0;
      } else if (c === PLUS) {
        c = ++p < len ? b[p] : 0;
      }
      let e = 0;
      const expStart = p;
      while (c >= ZERO && c <= NINE) {
        e = e * 10 + (c - ZERO);
        c = ++p < len ? b[p] : 0;
      }
      if (p === expStart) this.fail(`malformed number '${latin1(b, start, p)}'`, start);
      exponent += expNegative ? -e : e;
    }
    if (p < len && DELIMITER[c] === 0) this.fail(`malformed number '${latin1(b, start, Math.min(len, p + 1))}'`, start);
    this.pos = p;
    if (digits <= MAX_FAST_DIGITS && exponent >= -22 && exponent <= 22) {
      const value = exponent < 0 ? mantissa / POW10[-exponent] : mantissa * POW10[exponent];
      return negative ? -value : value;
    }
    return Number(latin1(b, start, p));
  }

  /** `nan`, `inf`, `-inf`, `infinity` as OpenFOAM may write them. */
  private specialNumber(start: number): number {
    this.pos = start;
    const token = this.word();
    const lower = token.toLowerCase();
    const sign = lower.startsWith("-") ? -1 : 1;
    const bare = lower.replace(/^[-+]/, "");
    if (bare === "nan") return Number.NaN;
    if (bare === "inf" || bare === "infinity") return sign * Number.POSITIVE_INFINITY;
    this.fail(`expected a number, found '${token}'`, start);
  }

  /**
   * Reads `count` values of `components` numbers each into `out` from `offset` — in parentheses
   * when `components` > 1 (vectors, tensors); the list's own parentheses are the caller's.
   * This is the parser's hot path: one loop with the common case (plain whitespace, short
   * decimal numbers) inlined, and everything unusual (comments, long or special numbers,
   * malformed input) handed to the general methods above.
   */
  readValues(out: Float64Array, offset: number, count: number, components: number): void {
    const b = this.buf;
    const len = this.length;
    const tuple = components > 1;
    let p = this.pos;
    let o = offset;
    for (let i = 0; i < count; i++) {
      if (tuple) {
        let c = b[p];
        while (c === SPACE || c === LF || c === TAB || c === CR) c = b[++p];
        if (c !== 40) {
          this.pos = p;
          this.expect(40, "opening a list element");
          p = this.pos;
        } else {
          p++;
        }
      }
      for (let j = 0; j < components; j++) {
        let c = b[p];
        while (c === SPACE || c === LF || c === TAB || c === CR) c = b[++p];
        const start = p;
        let negative = false;
        if (c === MINUS) {
          negative = true;
          c = b[++p];
        }
        let mantissa = 0;
        let digits = 0;
        let exponent = 0;
        while (c >= ZERO && c <= NINE) {
          mantissa = mantissa * 10 + (c - ZERO);
          digits++;
          c = b[++p];
        }
        if (c === DOT) {
          c = b[++p];
          while (c >= ZERO && c <= NINE) {
            mantissa = mantissa * 10 + (c - ZERO);
            digits++;
            exponent--;
            c = b[++p];
          }
        }
        if (c === LOWER_E || c === UPPER_E) {
          c = b[++p];
          let expNegative = false;
          if (c === MINUS) {
            expNegative = true;
            c = b[++p];
          } else if (c === PLUS) {
            c = b[++p];
          }
          let e = 0;
          let expDigits = 0;
          while (c >= ZERO && c <= NINE) {
            e = e * 10 + (c - ZERO);
            expDigits++;
            c = b[++p];
          }
          exponent = expDigits === 0 ? 1000 : exponent + (expNegative ? -e : e);
        }
        if (digits === 0 || digits > MAX_FAST_DIGITS || exponent < -22 || exponent > 22 || p >= len || DELIMITER[c] === 0) {
          // Anything but a short plain number: the general path parses it or explains the error.
          this.pos = start;
          out[o++] = this.number();
          p = this.pos;
          continue;
        }
        const value = exponent < 0 ? mantissa / POW10[-exponent] : mantissa * POW10[exponent];
        out[o++] = negative ? -value : value;
      }
      if (tuple) {
        let c = b[p];
        while (c === SPACE || c === LF || c === TAB || c === CR) c = b[++p];
        if (c !== 41) {
          this.pos = p;
          this.expect(41, "closing a list element");
          p = this.pos;
        } else {
          p++;
        }
      }
    }
    this.pos = p;
  }

  /**
   * Skips a value up to (not including) the `;` that ends its entry, over nested brackets,
   * strings and comments; returns its text with runs of whitespace collapsed.
   */
  rawValue(): string {
    this.skipSpace();
    const start = this.pos;
    const b = this.buf;
    let depth = 0;
    while (this.pos < this.length) {
      const c = b[this.pos];
      if (c === QUOTE) {
        this.quoted();
        continue;
      }
      if (c === SLASH && (b[this.pos + 1] === SLASH || b[this.pos + 1] === STAR)) {
        this.skipSpace();
        continue;
      }
      if (c === 40 || c === 91 || c === 123) depth++;
      else if (c === 41 || c === 93 || c === 125) {
        if (depth === 0) break;
        depth--;
      } else if (c === 59 && depth === 0) break;
      this.pos++;
    }
    return latin1(b, start, this.pos).trim().replace(/\s+/g, " ");
  }

  describeNext(): string {
    if (this.pos >= this.length) return "the end of the file";
    const end = Math.min(this.length, this.pos + 24);
    return `'${latin1(this.buf, this.pos, end).split(/\s/)[0] || String.fromCharCode(this.buf[this.pos])}'`;
  }

  fail(message: string, at = this.pos): never {
    let line = 1;
    for (let i = 0; i < at && i < this.length; i++) if (this.buf[i] === LF) line++;
    throw new FoamParseError(message, at, line);
  }
}

function latin1(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString("latin1");
}
