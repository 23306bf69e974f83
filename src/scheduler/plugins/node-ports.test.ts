import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerPort, Pod } from 'kubernetes-types/core/v1.js';
import { NodeInfo } from '../cache/node-info.ts';
import { newPodInfo } from '../cache/pod-info.ts';
import { CycleState } from '../framework/cycle-state.ts';
import { NODE_PORTS_REASON, NodePorts } from './node-ports.ts';

const podWith = (name: string, ports: ContainerPort[]): Pod => ({
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox', ports }] },
});

function verdict(incoming: ContainerPort[], existing: ContainerPort[]): string {
  const node = new NodeInfo('n1');
  node.addPod(newPodInfo(podWith('old', existing)));
  const status = new NodePorts().filter(new CycleState(), newPodInfo(podWith('new', incoming)), node);
  return status.code === 'Success' ? 'fits' : `${status.code}: ${status.reasons.join()}`;
}

describe('NodePorts', () => {
  it('rejects a pod whose hostPort is taken on the node, with the upstream reason', () => {
    assert.equal(verdict([{ containerPort: 80, hostPort: 8080 }], [{ containerPort: 81, hostPort: 8080 }]), `Unschedulable: ${NODE_PORTS_REASON}`);
  });

  it('lets pods share a port number on another protocol, another hostIP, or without hostPort', () => {
    assert.equal(verdict([{ containerPort: 80, hostPort: 8080, protocol: 'UDP' }], [{ containerPort: 80, hostPort: 8080 }]), 'fits');
    assert.equal(verdict([{ containerPort: 80, hostPort: 8080, hostIP: '10.0.0.1' }], [{ containerPort: 80, hostPort: 8080, hostIP: '10.0.0.2' }]), 'fits');
    assert.equal(verdict([{ containerPort: 80 }], [{ containerPort: 80 }]), 'fits');
    assert.equal(verdict([{ containerPort: 80, hostPort: 8081 }], [{ containerPort: 80, hostPort: 8080 }]), 'fits');
  });

  it('treats an empty or 0.0.0.0 hostIP as every address of the node', () => {
    assert.match(verdict([{ containerPort: 80, hostPort: 8080, hostIP: '10.0.0.1' }], [{ containerPort: 80, hostPort: 8080 }]), /Unschedulable/);
    assert.match(verdict([{ containerPort: 80, hostPort: 8080, hostIP: '0.0.0.0' }], [{ containerPort: 80, hostPort: 8080, hostIP: '10.0.0.2' }]), /Unschedulable/);
  });
});
