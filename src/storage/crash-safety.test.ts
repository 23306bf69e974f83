import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore } from './open-store.ts';
import { startEtcd } from './testing/etcd-process.ts';
import type { WatchEvent } from './types.ts';

const WRITER_SCRIPT = fileURLToPath(new URL('./testing/crash-writer.ts', import.meta.url));

interface Ack {
  writer: string;
  key: string;
  revision: number;
}

/** Runs the writer child until it acknowledged `minAcks` writes, then SIGKILLs it mid-load. */
async function writeUntilKilled(url: string, dataDir: string, minAcks: number): Promise<Ack[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER_SCRIPT, url, dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`writer too slow; stderr: ${err}`)), 8000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.split('\nack ').length > minAcks) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => reject(new Error(`writer exited early; stderr: ${err}`)));
  });
  child.kill('SIGKILL');
  await exited;
  // Only complete lines were acknowledged; a torn last line was not.
  return out.split('\n').slice(0, -1).filter((line) => line.startsWith('ack ')).map((line) => {
    const [, writer = '', key = '', revision = ''] = line.split(' ');
    return { writer, key, revision: Number(revision) };
  });
}

async function checkSurvivors(url: string, dataDir: string, acks: Ack[]): Promise<void> {
  const store = await openStore(url, { dataDir });
  try {
    for (const ack of acks) {
      assert.equal((await store.get(ack.key))?.modRevision, ack.revision, `acknowledged ${ack.key} survives`);
    }
    const byWriter = new Map<string, number[]>();
    for (const ack of acks) byWriter.set(ack.writer, [...(byWriter.get(ack.writer) ?? []), ack.revision]);
    for (const revisions of byWriter.values()) {
      assert.deepEqual(revisions, [...revisions].sort((a, b) => a - b), 'each writer saw increasing revisions');
    }
    const lastSeen = Math.max(...acks.map((ack) => ack.revision));
    assert.ok((await store.currentRevision()) >= lastSeen);
    const events: WatchEvent[] = [];
    const controller = new AbortController();
    await store.watch({ prefix: '/crash/', afterRevision: lastSeen, signal: controller.signal, onEvents: (batch) => events.push(...batch) });
    const revision = await store.create('/crash/after-restart', 'v');
    for (let i = 0; i < 100 && !events.some((e) => e.kv.modRevision === revision); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    controller.abort();
    assert.ok(events.length > 0 && events.every((e) => e.kv.modRevision > lastSeen));
    assert.equal(events.at(-1)?.kv.key, '/crash/after-restart', 'the resumed watch reaches the new write');
  } finally {
    await store.close();
  }
}

void test('sqlite: every acknowledged write survives SIGKILL', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'minato-crash-'));
  try {
    const acks = await writeUntilKilled('sqlite://state.db', dataDir, 150);
    await checkSurvivors('sqlite://state.db', dataDir, acks);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

void test('etcd: every acknowledged write survives SIGKILL of the writer', async () => {
  const etcd = await startEtcd();
  try {
    const url = `etcd://${new URL(etcd.url).host}/crash-test`;
    const acks = await writeUntilKilled(url, tmpdir(), 150);
    await checkSurvivors(url, tmpdir(), acks);
  } finally {
    await etcd.stop();
  }
});
