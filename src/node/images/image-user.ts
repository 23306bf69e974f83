/**
 * Resolves an image's `User` ("name", "uid", "name:group", "uid:gid") to numbers using the image's
 * own /etc/passwd and /etc/group, as runtimes do; the runtime only takes numeric ids.
 */
import { readFile } from 'node:fs/promises';
import { resolveInRoot } from './unpack.ts';

/** Numeric identity for the container process. */
export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
}

async function readInRoot(rootfs: string, path: string): Promise<string> {
  try {
    return await readFile(await resolveInRoot(rootfs, path.split('/').filter(Boolean)), 'utf8');
  } catch {
    return '';
  }
}

function rows(text: string): string[][] {
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'));
}

/** Resolves `user` against the rootfs; an empty string means root. Throws for unknown names. */
export async function resolveImageUser(rootfs: string, user: string): Promise<ResolvedUser> {
  if (user === '') return { uid: 0, gid: 0, additionalGids: [] };
  const [u = '', g] = user.split(':');
  const passwd = rows(await readInRoot(rootfs, '/etc/passwd'));
  const groups = rows(await readInRoot(rootfs, '/etc/group'));
  const entry = /^\d+$/.test(u) ? passwd.find((r) => r[2] === u) : passwd.find((r) => r[0] === u);
  if (!entry && !/^\d+$/.test(u)) throw new Error(`user ${u} not found in the image's /etc/passwd`);
  const uid = Number(entry?.[2] ?? u);
  let gid = Number(entry?.[3] ?? 0);
  if (g !== undefined && g !== '') {
    const group = /^\d+$/.test(g) ? undefined : groups.find((r) => r[0] === g);
    if (!/^\d+$/.test(g) && !group) throw new Error(`group ${g} not found in the image's /etc/group`);
    gid = Number(group?.[2] ?? g);
  }
  const name = entry?.[0];
  const additionalGids = name ? groups.filter((r) => (r[3] ?? '').split(',').includes(name)).map((r) => Number(r[2])).filter((n) => n !== gid) : [];
  return { uid, gid, additionalGids };
}
