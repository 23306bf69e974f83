import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCriLog, renderLog } from './cri-log.ts';
import { pickInstance } from './kubelet-server.ts';
import type { ContainerStatus } from '../runtime/container-runtime.ts';

const text = [
  '2026-01-01T00:00:01.000000000Z stdout F one',
  '2026-01-01T00:00:02.000000000Z stderr P tw',
  '2026-01-01T00:00:02.100000000Z stderr F o',
  '2026-01-01T00:00:03.000000000Z stdout F three',
  '2026-01-01T00:00:04.000000000Z stdout P partial',
].join('\n');

describe('CRI log reading', () => {
  it('joins partial lines and keeps an unterminated one for later', () => {
    const { lines, rest } = parseCriLog(text);
    assert.deepEqual(lines.map((l) => [l.stream, l.text]), [['stdout', 'one'], ['stderr', 'two'], ['stdout', 'three']]);
    assert.equal(rest, '2026-01-01T00:00:04.000000000Z stdout P partial');
  });

  it('renders with timestamps, tailLines, sinceTime and limitBytes', () => {
    const { lines } = parseCriLog(text);
    assert.equal(renderLog(lines, {}), 'one\ntwo\nthree\n');
    assert.equal(renderLog(lines, { tailLines: 1, timestamps: true }), '2026-01-01T00:00:03.000000000Z three\n');
    assert.equal(renderLog(lines, { sinceMs: Date.parse('2026-01-01T00:00:02Z') }), 'two\nthree\n');
    assert.equal(renderLog(lines, { limitBytes: 5 }), 'one\nt');
    assert.equal(renderLog(lines, { tailLines: 0 }), '');
  });

  it('picks the newest instance, or the previous one', () => {
    const c = (id: string, attempt: number): ContainerStatus => ({ id, state: 'exited', createdAt: '', podUid: 'u', podNamespace: 'ns', podName: 'p', containerName: 'c', labels: { 'minato.io/restart-count': String(attempt) } });
    const all = [c('a0', 0), c('a2', 2), c('a1', 1)];
    assert.equal(pickInstance(all, 'ns', 'p', 'c', false)?.id, 'a2');
    assert.equal(pickInstance(all, 'ns', 'p', 'c', true)?.id, 'a1');
    assert.equal(pickInstance(all, 'ns', 'p', 'other', false), undefined);
  });
});
