import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { processIdentity, processLiveness } from './process-identity.ts';

test('a live process is alive; a reused pid or a reaped child is gone', async () => {
  const self = await processIdentity(process.pid);
  assert.ok(self && self.startTicks > 0);
  assert.equal(await processLiveness(self), 'alive');
  assert.equal(await processLiveness({ pid: process.pid, startTicks: self.startTicks + 1 }), 'gone');

  const child = spawn('/bin/sleep', ['30'], { stdio: 'ignore' });
  const id = await processIdentity(child.pid ?? -1);
  assert.ok(id);
  assert.equal(await processLiveness(id), 'alive');
  child.kill('SIGKILL');
  await once(child, 'exit');
  assert.equal(await processLiveness(id), 'gone'); // node reaped it before 'exit' fired
  assert.equal(await processIdentity(0x3fffffff), undefined);
});
