/**
 * Remembers the result of an expensive, pure function of a key, up to a number of keys. Files
 * repeat a few thousand codes over millions of rows; a file of garbage must not grow memory,
 * so past the limit results are computed and not kept.
 */
export class BoundedCache<K, V> {
  readonly #values = new Map<K, V>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get(key: K, compute: (key: K) => V): V {
    const known = this.#values.get(key);
    if (known !== undefined) return known;
    const value = compute(key);
    if (this.#values.size < this.#limit) this.#values.set(key, value);
    return value;
  }
}
