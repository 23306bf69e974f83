/**
 * `COPY --chown` and `--chmod` values. `--chown=user[:group]` takes names or numbers; names are
 * looked up in the stage's own /etc/passwd and /etc/group. As Docker documents, a user without a
 * group (name or uid) gives the same number as gid. `--chmod` takes an octal mode.
 */
import { resolveImageUser } from '../image-user.ts';
import type { Owner } from './copy-into-rootfs.ts';

/** Resolves `--chown=spec` against a rootfs; throws with the flag in the message for unknown names. */
export async function resolveChown(rootfs: string, spec: string): Promise<Owner> {
  const [user = '', group, extra] = spec.split(':');
  if (user === '' || group === '' || extra !== undefined) throw new Error(`--chown=${spec}: expected user[:group]`);
  try {
    const { uid } = await resolveImageUser(rootfs, user);
    if (group === undefined) return { uid, gid: uid };
    const { gid } = await resolveImageUser(rootfs, `${user}:${group}`);
    return { uid, gid };
  } catch (e) {
    throw new Error(`--chown=${spec}: ${(e as Error).message}`, { cause: e });
  }
}

/** Parses `--chmod=0755`. */
export function parseChmod(spec: string): number {
  if (!/^[0-7]{3,4}$/.test(spec)) throw new Error(`--chmod=${spec}: only octal modes such as 0755 are supported`);
  return parseInt(spec, 8);
}
