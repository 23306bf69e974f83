import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configMapKey, dns1035Label, dns1123Label, dns1123Subdomain, envVarName, ipAddress, labelValue, pathSegmentName, portName, qualifiedName } from './name-rules.ts';

describe('name rules', () => {
  it('accepts and rejects DNS-1123 subdomains with upstream text', () => {
    assert.deepEqual(dns1123Subdomain('example.com'), []);
    assert.deepEqual(dns1123Subdomain('Web_1'), [
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    assert.ok(dns1123Subdomain('a'.repeat(254)).includes('must be no more than 253 characters'));
  });

  it('DNS labels reject dots; DNS-1035 labels reject a leading digit', () => {
    assert.deepEqual(dns1123Label('123-abc'), []);
    assert.equal(dns1123Label('a.b').length, 1);
    assert.match(dns1123Label('a.b')[0] ?? '', /\(e\.g\. 'my-name', {2}or '123-abc', regex used/);
    assert.deepEqual(dns1035Label('abc-123'), []);
    assert.match(dns1035Label('1abc')[0] ?? '', /^a DNS-1035 label must consist/);
  });

  it('qualified names allow one DNS-subdomain prefix', () => {
    assert.deepEqual(qualifiedName('app.kubernetes.io/name'), []);
    assert.deepEqual(qualifiedName('MyName'), []);
    assert.match(qualifiedName('a/b/c')[0] ?? '', /with an optional DNS subdomain prefix/);
    assert.deepEqual(qualifiedName('/x'), ['prefix part must be non-empty']);
    assert.deepEqual(qualifiedName('x/'), ['name part must be non-empty']);
    assert.match(qualifiedName('Bad_Prefix/x')[0] ?? '', /^prefix part a lowercase RFC 1123 subdomain/);
  });

  it('label values may be empty but not long or oddly shaped', () => {
    assert.deepEqual(labelValue(''), []);
    assert.deepEqual(labelValue('v1.2_3'), []);
    assert.equal(labelValue('-x').length, 1);
    assert.ok(labelValue('a'.repeat(64)).includes('must be no more than 63 characters'));
  });

  it('other identifiers', () => {
    assert.deepEqual(pathSegmentName('system:admin'), []);
    assert.deepEqual(pathSegmentName('a/b'), ["may not contain '/'"]);
    assert.deepEqual(pathSegmentName('..'), ["may not be '..'"]);
    assert.deepEqual(configMapKey('tls.crt'), []);
    assert.ok(configMapKey('..data').includes("must not start with '..'"));
    assert.deepEqual(envVarName('MY_VAR.1'), []);
    assert.equal(envVarName('1VAR').length, 1);
    assert.deepEqual(portName('http'), []);
    assert.deepEqual(portName('8080'), ['must contain at least one letter (a-z)']);
    assert.ok(portName('my--port').includes('must not contain consecutive hyphens'));
    assert.deepEqual(ipAddress('10.0.0.1'), []);
    assert.deepEqual(ipAddress('2001:db8::1'), []);
    assert.equal(ipAddress('10.0.0.256').length, 1);
    assert.equal(ipAddress('1:2:3').length, 1);
  });
});
