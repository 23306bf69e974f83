/** What cluster DNS knows about Services; the agent fills it from its Service and EndpointSlice informers. */

/** A port of a Service or endpoint; named ports get SRV records. */
export interface DnsPort {
  name?: string;
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** A backend of a Service. */
export interface DnsEndpoint {
  ip: string;
  /** `spec.hostname` of the pod (StatefulSets set it), giving `<hostname>.<svc>.<ns>.svc.<domain>`. */
  hostname?: string;
  ready: boolean;
  /** Target ports on this endpoint, by Service port name (headless SRV records point at these). */
  ports?: DnsPort[];
}

/** A Service as DNS answers for it. */
export interface DnsService {
  /** Absent or 'None' when headless: the name then resolves to the ready endpoints. */
  clusterIP?: string;
  /** For `type: ExternalName`: answered as a CNAME. */
  externalName?: string;
  ports: DnsPort[];
  endpoints: DnsEndpoint[];
}

/** Read side used by the DNS server; lookups are by exact (lower-case) namespace and name. */
export interface DnsRecords {
  service(namespace: string, name: string): DnsService | undefined;
}

/** An in-memory {@link DnsRecords}, updated as informer events arrive. */
export class MemoryDnsRecords implements DnsRecords {
  private readonly services = new Map<string, DnsService>();

  service(namespace: string, name: string): DnsService | undefined {
    return this.services.get(`${namespace}/${name}`);
  }

  set(namespace: string, name: string, svc: DnsService): void {
    this.services.set(`${namespace}/${name}`, svc);
  }

  delete(namespace: string, name: string): void {
    this.services.delete(`${namespace}/${name}`);
  }
}

/** True for Services without a virtual IP. */
export function isHeadless(svc: DnsService): boolean {
  return !svc.externalName && (!svc.clusterIP || svc.clusterIP === 'None');
}
