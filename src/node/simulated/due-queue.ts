/** Timed actions in one min-heap, drained by a single ticker: no timer per node or per pod. */
export class DueQueue<T> {
  private readonly heap: Array<{ at: number; item: T }> = [];

  get size(): number {
    return this.heap.length;
  }

  push(at: number, item: T): void {
    const h = this.heap;
    h.push({ at, item });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((h[p] as { at: number }).at <= at) break;
      [h[i], h[p]] = [h[p] as { at: number; item: T }, h[i] as { at: number; item: T }];
      i = p;
    }
  }

  /** Removes and returns every item due at or before `now`, earliest first. */
  popDue(now: number): T[] {
    const out: T[] = [];
    while (this.heap.length && (this.heap[0] as { at: number }).at <= now) out.push(this.popTop());
    return out;
  }

  private popTop(): T {
    const h = this.heap;
    const top = h[0] as { at: number; item: T };
    const last = h.pop() as { at: number; item: T };
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && (h[l] as { at: number }).at < (h[m] as { at: number }).at) m = l;
        if (r < h.length && (h[r] as { at: number }).at < (h[m] as { at: number }).at) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as { at: number; item: T }, h[i] as { at: number; item: T }];
        i = m;
      }
    }
    return top.item;
  }
}
