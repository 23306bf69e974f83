import { isIpv4 } from '../ipv4.ts';
import { isHeadless, type DnsEndpoint, type DnsRecords, type DnsService } from './records.ts';
import { CLASS_IN, RCode, RRType, typeCode, type DnsMessage, type DnsQuestion, type DnsRecord } from './wire.ts';

/** Configuration of {@link ClusterResolver}. */
export interface ClusterResolverConfig {
  records: DnsRecords;
  /** Default `cluster.local`. */
  clusterDomain?: string;
  /** TTL of every cluster answer (CoreDNS' kubernetes plugin uses 5 s). */
  ttl?: number;
}

/** Outcome of a lookup: a finished reply, or "not ours, ask upstream". */
export type Resolution = { kind: 'answer'; message: DnsMessage } | { kind: 'forward' };

type Lookup = { exists: false } | { exists: true; records: DnsRecord[]; additionals?: DnsRecord[] };
const NONE: Lookup = { exists: false };

/**
 * Answers for the cluster domain the way Kubernetes' DNS specification describes:
 * `<svc>.<ns>.svc` (ClusterIP, or ready endpoints when headless), `<hostname>.<svc>.<ns>.svc`,
 * `_<port>._<proto>.<svc>.<ns>.svc` SRV, `<a-b-c-d>.<ns>.pod`. A missing name is NXDOMAIN, an existing
 * name without records of the asked type is NODATA; both carry the zone's SOA for negative caching.
 */
export class ClusterResolver {
  private readonly domain: string;
  private readonly ttl: number;

  constructor(private readonly config: ClusterResolverConfig) {
    this.domain = (config.clusterDomain ?? 'cluster.local').toLowerCase().replace(/\.$/, '');
    this.ttl = config.ttl ?? 5;
  }

  resolve(query: DnsMessage): Resolution {
    const q = query.questions[0];
    if (query.flags.opcode !== 0) return this.reply(query, RCode.NOTIMP, []);
    if (!q || query.questions.length !== 1) return this.reply(query, RCode.FORMERR, []);
    const name = q.name.toLowerCase().replace(/\.$/, '');
    if (name !== this.domain && !name.endsWith(`.${this.domain}`)) return { kind: 'forward' };
    if (q.class !== CLASS_IN && q.class !== 255) return this.reply(query, RCode.REFUSED, []);
    const labels = name === this.domain ? [] : name.slice(0, -this.domain.length - 1).split('.');
    const found = this.lookup(labels, q);
    if (!found.exists) return this.reply(query, RCode.NXDOMAIN, [], [this.soa()]);
    const matching = found.records.filter((r) => q.type === RRType.ANY || r.type === 'CNAME' || typeCode(r) === q.type);
    if (matching.length === 0) return this.reply(query, RCode.NOERROR, [], [this.soa()]);
    return this.reply(query, RCode.NOERROR, matching, [], found.additionals ?? []);
  }

  private lookup(labels: string[], q: DnsQuestion): Lookup {
    const n = labels.length;
    const [first = '', second = '', third = ''] = labels;
    if (n === 0) return { exists: true, records: [this.soa()] };
    const zone = labels[n - 1];
    if (zone === 'svc') {
      if (n <= 2) return { exists: true, records: [] }; // svc.<domain>, <ns>.svc.<domain>
      if (n === 3) return this.serviceRecords(second, first, q.name);
      if (n === 4) return this.endpointRecords(third, second, first, q.name);
      if (n === 5 && first.startsWith('_') && second.startsWith('_')) return this.srvRecords(labels, q.name);
      return NONE;
    }
    if (zone === 'pod') {
      if (n <= 2) return { exists: true, records: [] };
      const ip = first.replace(/-/g, '.');
      return n === 3 && isIpv4(ip) ? { exists: true, records: [this.a(q.name, ip)] } : NONE;
    }
    return NONE;
  }

  private serviceRecords(ns: string, name: string, qname: string): Lookup {
    const svc = this.config.records.service(ns, name);
    if (!svc) return NONE;
    if (svc.externalName) return { exists: true, records: [{ name: qname, class: CLASS_IN, ttl: this.ttl, type: 'CNAME', target: svc.externalName }] };
    if (!isHeadless(svc)) return { exists: true, records: [this.a(qname, svc.clusterIP ?? '')] };
    return { exists: true, records: unique(ready(svc).map((e) => e.ip)).map((ip) => this.a(qname, ip)) };
  }

  /** `<hostname>.<svc>.<ns>.svc`: a headless Service's endpoint by hostname, or by dashed IP when it has none. */
  private endpointRecords(ns: string, name: string, host: string, qname: string): Lookup {
    const svc = this.config.records.service(ns, name);
    if (!svc || !isHeadless(svc)) return NONE;
    const ips = unique(ready(svc).filter((e) => endpointLabel(e) === host).map((e) => e.ip));
    return ips.length > 0 ? { exists: true, records: ips.map((ip) => this.a(qname, ip)) } : NONE;
  }

  private srvRecords(labels: string[], qname: string): Lookup {
    const [portLabel = '', protoLabel = '', name = '', ns = ''] = labels;
    const svc = this.config.records.service(ns, name);
    const port = svc?.ports.find((p) => p.name && `_${p.name}` === portLabel && `_${p.protocol.toLowerCase()}` === protoLabel);
    if (!svc || !port || svc.externalName) return NONE;
    const svcName = `${name}.${ns}.svc.${this.domain}`;
    const srv = (target: string, p: number): DnsRecord => ({ name: qname, class: CLASS_IN, ttl: this.ttl, type: 'SRV', priority: 0, weight: 100, port: p, target });
    if (!isHeadless(svc)) return { exists: true, records: [srv(svcName, port.port)], additionals: [this.a(svcName, svc.clusterIP ?? '')] };
    const eps = ready(svc);
    return {
      exists: true,
      records: eps.map((e) => srv(`${endpointLabel(e)}.${svcName}`, e.ports?.find((p) => p.name === port.name)?.port ?? port.port)),
      additionals: eps.map((e) => this.a(`${endpointLabel(e)}.${svcName}`, e.ip)),
    };
  }

  private a(name: string, address: string): DnsRecord {
    return { name, class: CLASS_IN, ttl: this.ttl, type: 'A', address };
  }

  /** The zone's SOA; its minimum (the negative-caching TTL) equals the answer TTL. */
  private soa(): DnsRecord {
    return {
      name: this.domain,
      class: CLASS_IN,
      ttl: this.ttl,
      type: 'SOA',
      mname: `ns.dns.${this.domain}`,
      rname: `hostmaster.${this.domain}`,
      serial: 1,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: this.ttl,
    };
  }

  private reply(query: DnsMessage, rcode: number, answers: DnsRecord[], authorities: DnsRecord[] = [], additionals: DnsRecord[] = []): Resolution {
    return {
      kind: 'answer',
      message: {
        id: query.id,
        flags: { qr: true, opcode: query.flags.opcode, aa: rcode === RCode.NOERROR || rcode === RCode.NXDOMAIN, tc: false, rd: query.flags.rd, ra: true, rcode },
        questions: query.questions,
        answers,
        authorities,
        additionals,
      },
    };
  }
}

function ready(svc: DnsService): DnsEndpoint[] {
  return svc.endpoints.filter((e) => e.ready);
}

function endpointLabel(e: DnsEndpoint): string {
  return (e.hostname ?? e.ip.replace(/\./g, '-')).toLowerCase();
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
