import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoadBalancerAllocator } from './lb-allocator.ts';

describe('LoadBalancerAllocator', () => {
  it('hands out the lowest free address, skipping the network address', () => {
    const a = new LoadBalancerAllocator({ pool: '127.240.0.0/16' });
    assert.equal(a.allocate('ns/a'), '127.240.0.1');
    assert.equal(a.allocate('ns/b'), '127.240.0.2');
    assert.equal(a.allocate('ns/a'), '127.240.0.1', 'same key, same address');
    a.release('ns/a');
    assert.equal(a.allocate('ns/c'), '127.240.0.1');
  });

  it('keeps already-assigned addresses across a restart and ignores invalid ones', () => {
    const a = new LoadBalancerAllocator({
      pool: '127.240.0.0/24',
      assigned: { 'ns/web': '127.240.0.7', 'ns/dup': '127.240.0.7', 'ns/out': '10.0.0.1', 'ns/bad': 'nope', 'ns/net': '127.240.0.0' },
    });
    assert.equal(a.allocate('ns/web'), '127.240.0.7');
    assert.equal(a.allocate('ns/dup'), '127.240.0.1');
    assert.deepEqual(a.assignments(), { 'ns/web': '127.240.0.7', 'ns/dup': '127.240.0.1' });
  });

  it('fails loudly when the pool is exhausted', () => {
    const a = new LoadBalancerAllocator({ pool: '127.240.0.0/30' });
    assert.equal(a.allocate('a'), '127.240.0.1');
    assert.equal(a.allocate('b'), '127.240.0.2');
    assert.throws(() => a.allocate('c'), /exhausted/);
  });
});
