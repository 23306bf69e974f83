import type { Readable } from 'node:stream';

/**
 * Reads conmon's sync-pipe message (`{"pid": N}` or `{"pid": -1, "message": "..."}`) and
 * then lets go of the pipe: conmon keeps its end open for the container's whole life.
 */
export function readSyncMessage(stream: Readable, timeoutMs: number): Promise<{ pid: number; message?: string }> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => finish(new Error(`conmon gave no sync message within ${timeoutMs} ms`)), timeoutMs);
    function finish(err: Error | undefined, value?: { pid: number; message?: string }) {
      clearTimeout(timer);
      stream.removeAllListeners('data');
      stream.destroy();
      if (err) reject(err);
      else if (value) resolve(value);
    }
    stream.on('data', (d: Buffer) => {
      buf += d.toString();
      const end = buf.indexOf('}');
      if (end < 0) return;
      try {
        const msg = JSON.parse(buf.slice(0, end + 1)) as { pid?: number; data?: number; message?: string };
        finish(undefined, { pid: msg.pid ?? msg.data ?? -1, message: msg.message });
      } catch (e) {
        finish(e as Error);
      }
    });
    stream.on('error', (e) => finish(e));
    stream.on('end', () => finish(new Error(`conmon closed the sync pipe without a message: ${buf}`)));
  });
}
