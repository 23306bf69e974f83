/**
 * Key ordering and prefix ranges shared by the backends.
 *
 * Keys compare by their UTF-8 bytes, the order SQLite's BINARY collation and etcd use, so every backend
 * pages through a prefix in the same order (JS `<` compares UTF-16 code units, which differs above U+FFFF).
 */

/** Compares two keys by UTF-8 byte order. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Exclusive upper bound of the keys starting with `prefix`, as a string. Every string that starts with
 * `prefix` sorts below it except those continuing with U+10FFFF itself, which never occur in API keys.
 */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}

/** Sorts key-values by key in the backends' shared byte order. */
export function byKey<T extends { key: string }>(a: T, b: T): number {
  return compareKeys(a.key, b.key);
}
