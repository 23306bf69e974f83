/**
 * Shared vocabulary of Kubernetes remote-command streaming (apimachinery
 * `util/remotecommand/constants.go`): protocol names, the channel numbers of the WebSocket
 * framing, and the `metav1.Status` that reports how the command ended.
 */

export const WS_V5 = 'v5.channel.k8s.io';
export const WS_V4 = 'v4.channel.k8s.io';
/** kubectl ≥ 1.31 port-forward: SPDY/3.1 frames carried in binary WebSocket messages. */
export const WS_PORT_FORWARD_TUNNEL = 'SPDY/3.1+portforward.k8s.io';
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** Remote-command protocols we speak over SPDY, most preferred first (v1–v3 are older than kubectl 1.27). */
export const SPDY_EXEC_PROTOCOLS = [WS_V5, WS_V4];

export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export interface TerminalSize {
  width: number;
  height: number;
}

/** The Status written on the error channel/stream; Success for exit 0. */
export function exitStatus(exitCode: number, command: string[] = []): Record<string, unknown> {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** The Status for a command that could not run at all. */
export function failureStatus(message: string): Record<string, unknown> {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 };
}

/** Picks the first protocol we support from a comma-separated offer list; undefined when none. */
export function negotiate(offered: string | undefined, supported: readonly string[]): string | undefined {
  const offers = (offered ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  return supported.find((p) => offers.includes(p));
}

/** Encodes one WebSocket channel message: a channel byte, then the payload. */
export function encodeChannelMessage(channel: number, data: Buffer | string): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([Buffer.from([channel]), payload]);
}

/** Splits a WebSocket channel message; undefined for an empty message (no channel byte). */
export function decodeChannelMessage(message: Buffer): { channel: number; data: Buffer } | undefined {
  if (message.length === 0) return undefined;
  return { channel: message[0] as number, data: message.subarray(1) };
}

/**
 * Terminal sizes arrive as a stream of JSON objects `{"Width":80,"Height":24}` that may be cut or
 * concatenated arbitrarily by the transport; this yields each complete object.
 */
export class ResizeDecoder {
  private text = '';

  push(chunk: Buffer | string): TerminalSize[] {
    this.text += chunk.toString();
    const sizes: TerminalSize[] = [];
    for (;;) {
      const start = this.text.indexOf('{');
      const end = this.text.indexOf('}', start);
      if (start < 0 || end < 0) break;
      const raw = this.text.slice(start, end + 1);
      this.text = this.text.slice(end + 1);
      try {
        const o = JSON.parse(raw) as { Width?: number; Height?: number };
        sizes.push({ width: o.Width ?? 0, height: o.Height ?? 0 });
      } catch {
        // a malformed size is dropped, as the kubelet logs and ignores it
      }
    }
    return sizes;
  }
}
