import dgram from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { Clock } from '../../../client/clock.ts';

/** Sends a query upstream and returns the raw reply, or undefined when no upstream answered in time. */
export interface UpstreamForwarder {
  forward(query: Buffer): Promise<Buffer | undefined>;
}

/** Configuration of {@link UdpForwarder}. */
export interface UdpForwarderConfig {
  /** `ip` or `ip:port` entries; tried in order, each with the full timeout. */
  servers: string[];
  timeoutMs?: number;
  clock: Clock;
}

/**
 * Forwards over UDP from a fresh socket per query (a random source port, as resolvers do against
 * spoofing) and accepts only a reply from the server asked, carrying the query's id.
 */
export class UdpForwarder implements UpstreamForwarder {
  private readonly timeoutMs: number;

  constructor(private readonly config: UdpForwarderConfig) {
    this.timeoutMs = config.timeoutMs ?? 2000;
  }

  async forward(query: Buffer): Promise<Buffer | undefined> {
    for (const server of this.config.servers) {
      const reply = await this.ask(server, query);
      if (reply) return reply;
    }
    return undefined;
  }

  private ask(server: string, query: Buffer): Promise<Buffer | undefined> {
    const { host, port } = splitHostPort(server);
    return new Promise((resolve) => {
      const sock = dgram.createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
      const done = (reply: Buffer | undefined): void => {
        timer.cancel();
        sock.close();
        resolve(reply);
      };
      const timer = this.config.clock.setTimer(this.timeoutMs, () => done(undefined));
      sock.on('error', () => done(undefined));
      sock.on('message', (msg, rinfo) => {
        if (rinfo.address === host && rinfo.port === port && msg.length >= 2 && msg.readUInt16BE(0) === query.readUInt16BE(0)) done(msg);
      });
      sock.send(query, port, host, (err) => err && done(undefined));
    });
  }
}

/** Nameservers from a resolv.conf, without `exclude` (our own address: forwarding to ourselves would loop). */
export async function upstreamsFromResolvConf(path = '/etc/resolv.conf', exclude: string[] = []): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((parts) => parts[0] === 'nameserver' && parts[1] && isIP(parts[1]) !== 0)
    .map((parts) => parts[1] ?? '')
    .filter((ip) => !exclude.includes(ip));
}

function splitHostPort(server: string): { host: string; port: number } {
  if (isIP(server)) return { host: server, port: 53 };
  const idx = server.lastIndexOf(':');
  return { host: server.slice(0, idx).replace(/^\[|\]$/g, ''), port: Number(server.slice(idx + 1)) };
}
