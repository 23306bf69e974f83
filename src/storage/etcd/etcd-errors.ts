import { GRPCUnavailableError, GRPCDeadlineExceededError, ClientClosedError } from 'etcd3';
import { StorageError } from '../types.ts';

/**
 * Translates etcd client errors into StorageError codes; anything unrecognised is rethrown as is,
 * so unexpected failures stay loud.
 */
export function toStorageError(err: unknown, compacted?: number): unknown {
  if (!(err instanceof Error) || err instanceof StorageError) return err;
  if (err.message.includes('required revision has been compacted')) {
    return new StorageError('Compacted', err.message, undefined, compacted);
  }
  if (err.message.includes('required revision is a future revision')) {
    return new StorageError('Unavailable', err.message);
  }
  if (err instanceof GRPCUnavailableError || err instanceof GRPCDeadlineExceededError || err instanceof ClientClosedError) {
    return new StorageError('Unavailable', `etcd unavailable: ${err.message}`);
  }
  return err;
}

/** Whether `err` is etcd's "required revision has been compacted". */
export function isEtcdCompacted(err: unknown): boolean {
  return err instanceof Error && err.message.includes('required revision has been compacted');
}
