/**
 * `status.completedIndexes` / `failedIndexes` text: sorted intervals like `1,3-5,7`, as upstream
 * writes them for Indexed Jobs.
 */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    const first = sorted[i] ?? 0;
    let last = first;
    while (sorted[i + 1] === last + 1) last = sorted[++i] ?? last;
    parts.push(first === last ? String(first) : `${first}-${last}`);
    i++;
  }
  return parts.join(',');
}

/** Reads the interval text back; malformed parts are skipped (upstream tolerates them too). */
export function parseIndexes(text: string | undefined): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const [a, b] = part.split('-');
    const first = Number(a);
    const last = b === undefined ? first : Number(b);
    if (part === '' || !Number.isInteger(first) || !Number.isInteger(last)) continue;
    for (let i = first; i <= last; i++) out.add(i);
  }
  return out;
}
