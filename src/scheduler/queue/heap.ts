/** A binary min-heap by `less`, with removal by key (the active queue needs updates and deletes). */
export class KeyedHeap<T> {
  private readonly items: T[] = [];
  private readonly index = new Map<string, number>();

  constructor(
    private readonly keyOf: (t: T) => string,
    private readonly less: (a: T, b: T) => boolean,
  ) {}

  get size(): number {
    return this.items.length;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  get(key: string): T | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.items[i];
  }

  /** Adds, or replaces the item with the same key and restores order. */
  push(item: T): void {
    const key = this.keyOf(item);
    const at = this.index.get(key);
    if (at !== undefined) {
      this.items[at] = item;
      this.down(this.up(at));
      return;
    }
    this.items.push(item);
    this.index.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top === undefined) return undefined;
    this.removeAt(0);
    return top;
  }

  delete(key: string): T | undefined {
    const at = this.index.get(key);
    if (at === undefined) return undefined;
    const item = this.items[at];
    this.removeAt(at);
    return item;
  }

  values(): T[] {
    return [...this.items];
  }

  private removeAt(at: number): void {
    const last = this.items.pop() as T;
    this.index.delete(this.keyOf(last));
    if (at === this.items.length) return;
    const removed = this.items[at] as T;
    this.index.delete(this.keyOf(removed));
    this.items[at] = last;
    this.index.set(this.keyOf(last), at);
    this.down(this.up(at));
  }

  private up(i: number): number {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.items[i] as T, this.items[parent] as T)) break;
      this.swap(i, parent);
      i = parent;
    }
    return i;
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(this.items[l] as T, this.items[m] as T)) m = l;
      if (r < n && this.less(this.items[r] as T, this.items[m] as T)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    const x = this.items[a] as T;
    const y = this.items[b] as T;
    this.items[a] = y;
    this.items[b] = x;
    this.index.set(this.keyOf(y), a);
    this.index.set(this.keyOf(x), b);
  }
}
