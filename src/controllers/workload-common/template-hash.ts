/** The alphabet upstream's SafeEncodeString maps to: no vowels, no confusable digits. */
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * JSON with object keys sorted and null-valued fields dropped, so equal objects always print (and
 * hash) the same. Nulls are dropped because upstream decodes into Go structs, where `null` and an
 * absent field are the same zero value: `kubectl rollout undo` sends the template with
 * `metadata.creationTimestamp: null`, and that template must still match its old ReplicaSet.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== null);
      return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Upstream's ComputeHash shape: FNV-32a over the object (here its canonical JSON), then the
 * collision count as 4 little-endian bytes, printed in decimal and mapped onto the safe alphabet
 * (so `pod-template-hash` values look like `7c5ddbdf54`).
 */
export function computeHash(value: unknown, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(value)));
  if (collisionCount !== undefined && collisionCount !== 0) {
    const extra = new Uint8Array(4);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(extra, h);
  }
  return [...String(h)].map((c) => SAFE[c.charCodeAt(0) % SAFE.length]).join('');
}
