import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveImageUser } from './image-user.ts';

describe('resolveImageUser', () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'minato-user-'));
    await mkdir(join(root, 'etc'));
    await writeFile(join(root, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n');
    await writeFile(join(root, 'etc/group'), 'root:x:0:\napp:x:1001:\nextra:x:2000:app\n');
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('resolves names and numbers', async () => {
    assert.deepEqual(await resolveImageUser(root, ''), { uid: 0, gid: 0, additionalGids: [] });
    assert.deepEqual(await resolveImageUser(root, 'app'), { uid: 1000, gid: 1001, additionalGids: [2000] });
    assert.deepEqual(await resolveImageUser(root, '1000:extra'), { uid: 1000, gid: 2000, additionalGids: [] });
    assert.deepEqual(await resolveImageUser(root, '4242:7'), { uid: 4242, gid: 7, additionalGids: [] });
    await assert.rejects(resolveImageUser(root, 'nobody'), /not found/);
  });
});
