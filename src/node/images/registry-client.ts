/**
 * A pull-only client of the OCI distribution API. It answers 401 challenges as the spec and Docker
 * do: `Basic` with the configured credentials, or `Bearer` by fetching a token from the realm the
 * `WWW-Authenticate` header names (with the credentials, if any, as basic auth for that request).
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { INDEX_TYPES, MANIFEST_TYPES, MEDIA } from './oci.ts';
import { registryBaseUrl, type ImageRef } from './image-ref.ts';

/** Registry credentials: a user and password, or a registry token sent as-is (`Bearer`). */
export interface RegistryAuth {
  username?: string;
  password?: string;
  /** A docker config `registrytoken`: sent as `Authorization: Bearer` from the first request on. */
  token?: string;
}

/** Parses `Bearer realm="...",service="...",scope="..."` into its scheme and parameters. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  const re = /([a-zA-Z_]+)=(?:"([^"]*)"|([^,\s]*))/g;
  for (const m of (space < 0 ? '' : header.slice(space + 1)).matchAll(re)) params[(m[1] ?? '').toLowerCase()] = m[2] ?? m[3] ?? '';
  return { scheme, params };
}

/** Talks to one repository of one registry. */
export class RegistryClient {
  private authorization: string | undefined;
  private readonly base: string;

  constructor(private readonly ref: ImageRef, private readonly auth?: RegistryAuth) {
    this.base = registryBaseUrl(ref.registry);
    if (auth?.token) this.authorization = `Bearer ${auth.token}`;
  }

  /** Fetches a manifest or index by tag or digest; returns the raw bytes and media type. */
  async manifest(reference: string): Promise<{ body: Buffer; mediaType: string }> {
    const res = await this.get(`/v2/${this.ref.repository}/manifests/${reference}`, [...INDEX_TYPES, ...MANIFEST_TYPES].join(', '));
    const body = Buffer.from(await res.arrayBuffer());
    const declared = (JSON.parse(body.toString()) as { mediaType?: string }).mediaType;
    const mediaType = declared ?? res.headers.get('content-type')?.split(';')[0] ?? MEDIA.ociManifest;
    return { body, mediaType };
  }

  /** Streams a blob. */
  async blob(digest: string): Promise<Readable> {
    const res = await this.get(`/v2/${this.ref.repository}/blobs/${digest}`, '*/*');
    if (!res.body) throw new Error(`empty body for blob ${digest}`);
    return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  }

  private async get(path: string, accept: string): Promise<Response> {
    const url = `${this.base}${path}`;
    let res = await fetch(url, { headers: this.headers(accept) });
    if (res.status === 401 && !this.auth?.token) {
      await res.arrayBuffer();
      await this.answerChallenge(res.headers.get('www-authenticate') ?? '');
      res = await fetch(url, { headers: this.headers(accept) });
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw new Error(`GET ${url}: ${res.status} ${res.statusText} ${text.slice(0, 300)}`.trim());
    }
    return res;
  }

  private headers(accept: string): Record<string, string> {
    return this.authorization ? { accept, authorization: this.authorization } : { accept };
  }

  private basic(): string | undefined {
    return this.auth?.username !== undefined && this.auth.password !== undefined ? `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}` : undefined;
  }

  private async answerChallenge(header: string): Promise<void> {
    const { scheme, params } = parseChallenge(header);
    if (scheme === 'basic') {
      this.authorization = this.basic();
      if (!this.authorization) throw new Error(`registry ${this.ref.registry}: 401 Unauthorized (it requires credentials)`);
      return;
    }
    if (scheme !== 'bearer' || !params.realm) throw new Error(`unsupported registry challenge ${JSON.stringify(header)}`);
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? `repository:${this.ref.repository}:pull`);
    const basic = this.basic();
    const res = await fetch(url, { headers: basic ? { authorization: basic } : {} });
    if (!res.ok) throw new Error(`token request to ${url.origin} failed: ${res.status}`);
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new Error('token response carried no token');
    this.authorization = `Bearer ${token}`;
  }
}
