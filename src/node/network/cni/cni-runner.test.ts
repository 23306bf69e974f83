import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { CniRunner } from './cni-runner.ts';
import { bridgeNetworkList } from './conflist.ts';
import { CniError, type CniNetworkList } from './types.ts';

// Fake plugins: each logs its command, env and stdin, and on ADD returns a result naming itself.
const PLUGIN = `#!/bin/sh
d=$(dirname "$0"); n=$(basename "$0"); input=$(cat)
printf '%s\\n' "{\\"cmd\\":\\"$CNI_COMMAND\\",\\"plugin\\":\\"$n\\",\\"id\\":\\"$CNI_CONTAINERID\\",\\"netns\\":\\"$CNI_NETNS\\",\\"ifname\\":\\"$CNI_IFNAME\\",\\"path\\":\\"$CNI_PATH\\",\\"stdin\\":$input}" >> "$d/log"
if [ "$n" = failing ]; then echo '{"cniVersion":"1.0.0","code":11,"msg":"boom","details":"it broke"}'; exit 1; fi
[ "$CNI_COMMAND" = ADD ] && echo "{\\"cniVersion\\":\\"1.0.0\\",\\"interfaces\\":[{\\"name\\":\\"$n\\"}],\\"ips\\":[{\\"address\\":\\"10.9.0.2/24\\"}]}"
exit 0
`;

interface LogLine {
  cmd: string;
  plugin: string;
  id: string;
  netns: string;
  ifname: string;
  path: string;
  stdin: Record<string, unknown>;
}

describe('CniRunner', () => {
  let dir = '';
  const list: CniNetworkList = {
    cniVersion: '1.0.0',
    name: 'testnet',
    plugins: [{ type: 'first', some: 'key' }, { type: 'second', capabilities: { portMappings: true } }, { type: 'third' }],
  };
  const log = async (): Promise<LogLine[]> =>
    (await readFile(`${dir}/log`, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogLine);

  before(async () => {
    dir = await mkdtemp(`${tmpdir()}/mz-cni-`);
    for (const n of ['first', 'second', 'third', 'failing']) {
      await writeFile(`${dir}/${n}`, PLUGIN);
      await chmod(`${dir}/${n}`, 0o755);
    }
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('ADD runs plugins in order with CNI_* env, chaining prevResult, runtimeConfig only to capable plugins', async () => {
    await rm(`${dir}/log`, { force: true });
    const runner = new CniRunner({ pluginDirs: ['/nonexistent', dir] });
    const pm = [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' as const }];
    const result = await runner.add(list, { containerId: 'c1', netnsPath: '/run/netns/x', ifName: 'eth0', runtimeConfig: { portMappings: pm } });
    assert.deepEqual(result.interfaces, [{ name: 'third' }]);
    const lines = await log();
    assert.deepEqual(lines.map((l) => l.plugin), ['first', 'second', 'third']);
    assert.deepEqual(lines.map((l) => [l.cmd, l.id, l.netns, l.ifname, l.path]), Array(3).fill(['ADD', 'c1', '/run/netns/x', 'eth0', `/nonexistent:${dir}`]));
    assert.equal(lines[0]?.stdin.prevResult, undefined);
    assert.equal(lines[0]?.stdin.some, 'key');
    assert.equal(lines[0]?.stdin.name, 'testnet');
    assert.equal(lines[0]?.stdin.cniVersion, '1.0.0');
    assert.deepEqual((lines[1]?.stdin.prevResult as { interfaces: unknown }).interfaces, [{ name: 'first' }]);
    assert.deepEqual((lines[2]?.stdin.prevResult as { interfaces: unknown }).interfaces, [{ name: 'second' }]);
    assert.deepEqual(lines[1]?.stdin.runtimeConfig, { portMappings: pm });
    assert.equal(lines[1]?.stdin.capabilities, undefined);
    assert.equal(lines[0]?.stdin.runtimeConfig, undefined);
    assert.equal(lines[2]?.stdin.runtimeConfig, undefined);
    assert.equal(runner.lastTimings.length, 3);
  });

  it('DEL runs in reverse order without prevResult', async () => {
    await rm(`${dir}/log`, { force: true });
    await new CniRunner({ pluginDirs: [dir] }).del(list, { containerId: 'c1', netnsPath: '', ifName: 'eth0' });
    const lines = await log();
    assert.deepEqual(lines.map((l) => `${l.cmd} ${l.plugin}`), ['DEL third', 'DEL second', 'DEL first']);
    assert.ok(lines.every((l) => l.stdin.prevResult === undefined));
  });

  it('turns a plugin error result into a CniError; DEL still runs the remaining plugins', async () => {
    await rm(`${dir}/log`, { force: true });
    const bad: CniNetworkList = { ...list, plugins: [{ type: 'first' }, { type: 'failing' }] };
    const runner = new CniRunner({ pluginDirs: [dir] });
    await assert.rejects(runner.add(bad, { containerId: 'c', netnsPath: '/x', ifName: 'eth0' }), (e: unknown) => e instanceof CniError && e.code === 11 && /boom: it broke/.test(e.message));
    await rm(`${dir}/log`, { force: true });
    await assert.rejects(runner.del(bad, { containerId: 'c', netnsPath: '/x', ifName: 'eth0' }), CniError);
    assert.deepEqual((await log()).map((l) => l.plugin), ['failing', 'first']);
  });

  it('rejects a plugin that is not installed, naming the package', async () => {
    await assert.rejects(new CniRunner({ pluginDirs: [dir] }).add({ ...list, plugins: [{ type: 'nope' }] }, { containerId: 'c', netnsPath: '/x', ifName: 'eth0' }), /containernetworking-plugins/);
  });

  it('builds the bridge conflist: no masquerade, host-local on the node CIDR, portmap with the capability', () => {
    const l = bridgeNetworkList({ name: 'n', bridge: 'mzabcbr', podCidr: '10.244.3.0/24', ipamDataDir: '/s/ipam' });
    assert.deepEqual(l.plugins.map((p) => p.type), ['bridge', 'portmap', 'loopback']);
    assert.equal(l.plugins[0]?.ipMasq, false);
    assert.deepEqual(l.plugins[0]?.ipam, { type: 'host-local', ranges: [[{ subnet: '10.244.3.0/24' }]], dataDir: '/s/ipam' });
    assert.deepEqual(l.plugins[1]?.capabilities, { portMappings: true });
    assert.throws(() => bridgeNetworkList({ name: 'n', bridge: 'a-very-long-bridge', podCidr: '10.0.0.0/24', ipamDataDir: '/x' }));
  });
});

describe('planPeerRoutes', () => {
  it('routes peer pod CIDRs via the peer node, except those already connected on this host', async () => {
    const { planPeerRoutes } = await import('./peer-routes.ts');
    const peers = [
      { podCidr: '10.244.2.0/24', nodeIP: '192.168.5.2' },
      { podCidr: '10.244.3.0/24', nodeIP: '192.168.5.3' },
    ];
    assert.deepEqual(planPeerRoutes(peers, new Set(['10.244.3.0/24'])), [{ dst: '10.244.2.0/24', via: '192.168.5.2' }]);
  });

  it('gives no route to a peer on a loopback address (not reachable from another machine)', async () => {
    const { planPeerRoutes } = await import('./peer-routes.ts');
    assert.deepEqual(planPeerRoutes([{ podCidr: '10.244.2.0/24', nodeIP: '127.0.0.1' }], new Set()), []);
  });
});
