/**
 * port-forward over SPDY/3.1, raw (kubectl ≤ 1.30) or tunnelled in a WebSocket (1.31+). Per local
 * connection the client opens an `error` and a `data` stream sharing a `requestid` and naming a
 * `port`; we connect to that port on the pod's IP and splice the data stream to it. A failure is
 * reported as text on the error stream.
 */
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { SpdySession, type SpdyStream } from './spdy/session.ts';

export interface PortForwardTarget {
  namespace: string;
  pod: string;
  /** The pod's IP, reachable from this host (bridge route into the pod network). */
  podIp: string;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
  started: boolean;
}

/** Serves a port-forward session until the client closes it; resolves then. */
export function servePortForward(transport: Duplex, t: PortForwardTarget): Promise<void> {
  const pairs = new Map<string, Pair>();
  return new Promise((resolve) => {
    new SpdySession(transport, {
      onStream(stream) {
        const id = stream.headers.requestid ?? '';
        const pair = pairs.get(id) ?? { started: false };
        pairs.set(id, pair);
        if (stream.headers.streamtype === 'error') pair.error = stream;
        else if (stream.headers.streamtype === 'data') pair.data = stream;
        else {
          stream.destroy();
          return;
        }
        if (pair.error && pair.data && !pair.started) {
          pair.started = true;
          forward(t, pair.error, pair.data, stream.headers.port ?? '', () => pairs.delete(id));
        }
      },
      onClose: () => resolve(),
      log: t.log,
    });
  });
}

function forward(t: PortForwardTarget, error: SpdyStream, data: SpdyStream, portText: string, done: () => void): void {
  error.resume(); // the client never writes on it, but its FIN must be read
  const port = Number(portText);
  const fail = (message: string) => {
    if (!error.writableEnded) error.end(message);
    if (!data.writableEnded) data.end();
    done();
  };
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return fail(`invalid port "${portText}"`);
  const socket: Socket = connect({ host: t.podIp, port });
  socket.once('connect', () => {
    data.pipe(socket);
    socket.pipe(data);
  });
  socket.once('error', (err) => fail(`error forwarding port ${port} to pod ${t.namespace}/${t.pod}: ${err.message}`));
  socket.once('close', () => {
    if (!data.writableEnded) data.end();
    if (!error.writableEnded) error.end();
    done();
  });
  data.once('close', () => socket.destroy());
}
