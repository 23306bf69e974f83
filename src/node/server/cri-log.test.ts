import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { realClock } from '../../client/clock.ts';
import { CriLogDecoder, parseCriRecord, renderLog } from './cri-log.ts';
import { streamLog } from './log-follow.ts';

const LOG = [
  '2026-01-01T00:00:01.000000001Z stdout F one',
  '2026-01-01T00:00:02.500000000Z stderr F two',
  '2026-01-01T00:00:03.000000000Z stdout P thr',
  '2026-01-01T00:00:03.100000000Z stdout F ee',
  '2026-01-01T00:00:04.000000000Z stdout F four',
  '',
].join('\n');

describe('CRI log records', () => {
  it('parses stream, tag and text, and rejects foreign lines', () => {
    assert.deepEqual(parseCriRecord('2026-01-01T00:00:01.5Z stderr P a b '), { time: '2026-01-01T00:00:01.5Z', stream: 'stderr', partial: true, text: 'a b ' });
    assert.deepEqual(parseCriRecord('2026-01-01T00:00:01Z stdout F'), { time: '2026-01-01T00:00:01Z', stream: 'stdout', partial: false, text: '' });
    assert.equal(parseCriRecord('hello world'), undefined);
    assert.equal(parseCriRecord('2026 stdin F x'), undefined);
  });

  it('joins partial records into one line and keeps a cut line for the next chunk', () => {
    const d = new CriLogDecoder();
    const cut = LOG.indexOf('thr') + 1;
    const first = d.push(LOG.slice(0, cut));
    const rest = d.push(LOG.slice(cut));
    assert.deepEqual([...first, ...rest].map((e) => e.text), ['one', 'two', 'three', 'four']);
    assert.equal(rest.find((e) => e.text === 'three')?.time, '2026-01-01T00:00:03.000000000Z', 'an entry keeps its first fragment time');
  });

  it('renders the whole log, a tail, since a time, with timestamps and within limitBytes', () => {
    assert.equal(renderLog(LOG, {}), 'one\ntwo\nthree\nfour\n');
    assert.equal(renderLog(LOG, { tailLines: 2 }), 'three\nfour\n');
    assert.equal(renderLog(LOG, { tailLines: 0 }), '');
    assert.equal(renderLog(LOG, { sinceTime: new Date('2026-01-01T00:00:02.400Z') }), 'two\nthree\nfour\n');
    assert.equal(renderLog(LOG, { tailLines: 1, timestamps: true }), '2026-01-01T00:00:04.000000000Z four\n');
    assert.equal(renderLog(LOG, { limitBytes: 6 }), 'one\ntw');
  });

  it('follows a growing file until the container stops', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'minato-cri-log-'));
    const path = join(dir, 'c.log');
    try {
      await writeFile(path, LOG);
      const out = new PassThrough();
      let text = '';
      out.on('data', (c: Buffer) => (text += c.toString()));
      let running = true;
      const done = streamLog(path, out, { follow: true, tailLines: 1, isRunning: async () => running, clock: realClock, signal: new AbortController().signal, pollMs: 20 });
      await new Promise((r) => setTimeout(r, 60));
      await appendFile(path, '2026-01-01T00:00:05Z stdout P fi\n2026-01-01T00:00:05.1Z stdout F ve\n2026-01-01T00:00:06Z stderr F si');
      await new Promise((r) => setTimeout(r, 60));
      assert.equal(text, 'four\nfive\n', 'a record cut mid-line waits for the rest');
      await appendFile(path, 'x\n');
      await new Promise((r) => setTimeout(r, 60));
      running = false;
      await done;
      assert.equal(text, 'four\nfive\nsix\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
