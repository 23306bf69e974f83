import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrContains, formatIpv4, parseCidr, parseIpv4, subnetAt } from './ipv4.ts';

describe('ipv4', () => {
  it('parses and formats addresses', () => {
    assert.equal(formatIpv4(parseIpv4('10.244.3.17')), '10.244.3.17');
    assert.equal(parseIpv4('255.255.255.255'), 0xffffffff);
    assert.throws(() => parseIpv4('10.0.0'));
    assert.throws(() => parseIpv4('10.0.0.256'));
  });
  it('carves per-node /24s out of the cluster CIDR', () => {
    assert.equal(subnetAt('10.244.0.0/16', 0), '10.244.0.0/24');
    assert.equal(subnetAt('10.244.0.0/16', 7), '10.244.7.0/24');
    assert.equal(subnetAt('10.244.0.0/16', 255), '10.244.255.0/24');
    assert.throws(() => subnetAt('10.244.0.0/16', 256));
  });
  it('tests membership', () => {
    const c = parseCidr('127.240.0.0/16');
    assert.ok(cidrContains(c, parseIpv4('127.240.255.254')));
    assert.ok(!cidrContains(c, parseIpv4('127.241.0.1')));
    assert.equal(parseCidr('10.1.2.3/8').base, parseIpv4('10.0.0.0'));
  });
});
