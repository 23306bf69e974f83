import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { SyncMessages } from './sync-messages.ts';

describe('SyncMessages (conmon sync pipe, api version 1)', () => {
  it('yields each message, however the pipe cuts them, then rejects once it closed', async () => {
    const pipe = new PassThrough();
    const messages = new SyncMessages(pipe);
    const first = messages.next();
    pipe.write('{"data": 42');
    pipe.write('17}\n{"data": -1, "message": "exec failed: \\"x\\" not found\\n"}\n{"da');
    assert.deepEqual(await first, { data: 4217, message: undefined });
    assert.deepEqual(await messages.next(), { data: -1, message: 'exec failed: "x" not found\n' });
    pipe.end('ta": 3}\n');
    assert.deepEqual(await messages.next(), { data: 3, message: undefined });
    await assert.rejects(messages.next(), /closed its sync pipe/);
  });

  it('turns a line it cannot read into a failure', async () => {
    const pipe = new PassThrough();
    const messages = new SyncMessages(pipe);
    pipe.end('not json\n');
    assert.deepEqual(await messages.next(), { data: -1, message: 'unreadable conmon message: not json' });
  });
});
