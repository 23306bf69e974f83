/**
 * What the agent needs from images, and its adapter over the node's {@link ImageService}
 * (`src/node/images/`): pull per imagePullPolicy with pull-secret credentials, one rootfs per
 * container instance.
 */
import { join } from 'node:path';
import type { ImageService } from '../images/image-store.ts';

/** The parts of an OCI image config the agent uses. */
export interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  /** "uid[:gid]" (names are not resolved). */
  user?: string;
}

/** Credentials for one registry host, from an imagePullSecret. */
export interface RegistryAuth {
  registry: string;
  username?: string;
  password?: string;
  /** A `registrytoken`, sent to the registry as `Bearer`. */
  token?: string;
}

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** A pull that failed; the agent reports it as ErrImagePull / ImagePullBackOff (or ErrImageNeverPull). */
export class ImagePullError extends Error {
  constructor(message: string, readonly reason: 'ErrImagePull' | 'ErrImageNeverPull' = 'ErrImagePull') {
    super(message);
  }
}

/** An image ready to run; `pulled` is false when it was already on the node. */
export interface EnsuredImage {
  imageId: string;
  config: ImageConfig;
  pulled: boolean;
}

/** The image side of running a container. */
export interface PodImageService {
  /** Makes `image` present per `policy` and returns its id (sha256:…) and config. Throws {@link ImagePullError}. */
  ensureImage(image: string, policy: PullPolicy, auth: RegistryAuth[]): Promise<EnsuredImage>;
  /** A writable root filesystem for one container instance. */
  prepareRootfs(containerId: string, image: string): Promise<string>;
  /** Removes what prepareRootfs made. Unknown ids are fine. */
  releaseRootfs(containerId: string): Promise<void>;
}

/** {@link PodImageService} over the node's ImageStore; container dirs live under `containersDir`. */
export class StoreImages implements PodImageService {
  constructor(private readonly store: ImageService, private readonly containersDir: string) {}

  async ensureImage(image: string, policy: PullPolicy, auth: RegistryAuth[]): Promise<EnsuredImage> {
    let pulled = false;
    let info = policy === 'Always' ? undefined : await this.store.get(image);
    if (!info) {
      if (policy === 'Never') throw new ImagePullError(`Container image "${image}" is not present with pull policy of Never`, 'ErrImageNeverPull');
      const cred = auth.find((a) => a.token !== undefined || (a.username !== undefined && a.password !== undefined));
      try {
        info = await this.store.pull(image, cred ? { auth: { username: cred.username, password: cred.password, token: cred.token } } : {});
        pulled = true;
      } catch (e) {
        throw new ImagePullError(`failed to pull image "${image}": ${(e as Error).message}`);
      }
    }
    const c = info.config;
    return { imageId: info.digest, pulled, config: { entrypoint: c.entrypoint, cmd: c.cmd, env: c.env, workingDir: c.workingDir, user: c.user } };
  }

  async prepareRootfs(containerId: string, image: string): Promise<string> {
    return (await this.store.prepareRootfs(image, join(this.containersDir, containerId))).rootfs;
  }

  async releaseRootfs(containerId: string): Promise<void> {
    await this.store.releaseRootfs(join(this.containersDir, containerId));
  }
}
