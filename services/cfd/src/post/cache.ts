/**
 * A least-recently-used cache bounded by bytes, that also shares one in-flight load between
 * concurrent callers (two requests for the same field parse it once).
 */
export class ByteLru<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private readonly loading = new Map<string, Promise<V>>();
  private used = 0;

  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.used;
  }

  async getOrLoad(key: string, load: () => Promise<{ value: V; bytes: number }>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert: Map iteration order is the recency order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const pending = this.loading.get(key);
    if (pending) return pending;
    const promise = load().then(
      ({ value, bytes }) => {
        this.loading.delete(key);
        this.put(key, value, bytes);
        return value;
      },
      (error: unknown) => {
        this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, promise);
    return promise;
  }

  private put(key: string, value: V, bytes: number): void {
    if (bytes > this.maxBytes) return; // larger than the whole budget: use once, keep nothing
    this.entries.set(key, { value, bytes });
    this.used += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.used <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.used -= entry.bytes;
    }
  }
}
