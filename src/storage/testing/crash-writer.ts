/**
 * Child process for the crash-safety test: opens the store named by argv[2] (data dir argv[3]) and
 * creates keys from several concurrent writers until killed, printing "ack <writer> <key> <revision>"
 * for every acknowledged write.
 */
import { openStore } from '../open-store.ts';

const WRITERS = 16;

async function writer(id: number, create: (key: string, value: string) => Promise<number>): Promise<never> {
  for (let i = 0; ; i++) {
    const key = `/crash/w${id}/k${i}`;
    const revision = await create(key, JSON.stringify({ writer: id, i, pad: 'x'.repeat(200) }));
    process.stdout.write(`ack ${id} ${key} ${revision}\n`);
  }
}

async function main(): Promise<void> {
  const [url = '', dataDir = '.'] = process.argv.slice(2);
  const store = await openStore(url, { dataDir });
  process.stdout.write('ready\n');
  await Promise.all(Array.from({ length: WRITERS }, (_, id) => writer(id, (k, v) => store.create(k, v))));
}

main().catch((err: unknown) => {
  process.stderr.write(`crash-writer failed: ${String(err)}\n`);
  process.exit(1);
});
