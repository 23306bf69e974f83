import { existsSync } from 'node:fs';
import { runCommand } from '../../launcher/run-command.ts';
import { CniError, type CniAttachment, type CniNetworkList, type CniPluginConfig, type CniResult } from './types.ts';

/** Options for {@link CniRunner}. */
export interface CniRunnerConfig {
  /** Directories searched for plugin binaries (CNI_PATH); Debian installs them in /usr/lib/cni. */
  pluginDirs?: string[];
  /** Per-plugin timeout; a plugin that hangs must not hang the agent. */
  timeoutMs?: number;
}

/** Timing of one plugin invocation, for latency reporting. */
export interface CniPluginTiming {
  plugin: string;
  ms: number;
}

/**
 * Executes a CNI 1.0.0 configuration list the way a container runtime does: each plugin is a process
 * with CNI_* environment variables and its network configuration on stdin. ADD chains every plugin's
 * result into the next one's `prevResult`; DEL walks the list backwards and tolerates missing state so
 * it can be repeated.
 */
export class CniRunner {
  private readonly pluginDirs: string[];
  private readonly timeoutMs: number;
  /** Per-plugin durations of the most recent call. */
  lastTimings: CniPluginTiming[] = [];

  constructor(config: CniRunnerConfig = {}) {
    this.pluginDirs = config.pluginDirs ?? ['/usr/lib/cni'];
    this.timeoutMs = config.timeoutMs ?? 30_000;
  }

  /** Runs ADD through the list; returns the final (chained) result. */
  async add(list: CniNetworkList, att: CniAttachment): Promise<CniResult> {
    this.lastTimings = [];
    let prev: CniResult | undefined;
    for (const plugin of list.plugins) {
      const out = await this.invoke('ADD', list, plugin, att, prev);
      prev = JSON.parse(out) as CniResult;
    }
    return prev ?? { cniVersion: list.cniVersion };
  }

  /**
   * Runs DEL through the list in reverse. Every plugin is attempted even if one fails, so a partial
   * failure still releases what it can; the first error is rethrown afterwards.
   */
  async del(list: CniNetworkList, att: CniAttachment): Promise<void> {
    this.lastTimings = [];
    let first: unknown;
    for (const plugin of [...list.plugins].reverse()) {
      try {
        await this.invoke('DEL', list, plugin, att, undefined);
      } catch (e) {
        first ??= e;
      }
    }
    if (first) throw first;
  }

  private async invoke(
    command: 'ADD' | 'DEL',
    list: CniNetworkList,
    plugin: CniPluginConfig,
    att: CniAttachment,
    prevResult: CniResult | undefined,
  ): Promise<string> {
    const config = pluginStdin(list, plugin, att, prevResult);
    const started = performance.now();
    const res = await runCommand(`${this.findDir(plugin.type)}/${plugin.type}`, [], {
      input: JSON.stringify(config),
      timeoutMs: this.timeoutMs,
      env: {
        CNI_COMMAND: command,
        CNI_CONTAINERID: att.containerId,
        CNI_NETNS: att.netnsPath,
        CNI_IFNAME: att.ifName,
        CNI_PATH: this.pluginDirs.join(':'),
        // Plugins shell out to iptables; they need a PATH to find it.
        PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      },
    });
    this.lastTimings.push({ plugin: plugin.type, ms: performance.now() - started });
    if (res.code !== 0) throw toCniError(plugin.type, command, res.stdout, res.stderr, res.code);
    return res.stdout;
  }

  private findDir(type: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(type)) throw new Error(`invalid CNI plugin type ${JSON.stringify(type)}`);
    const dir = this.pluginDirs.find((d) => existsSync(`${d}/${type}`));
    if (!dir) throw new Error(`CNI plugin ${type} not found in ${this.pluginDirs.join(':')} (Debian: containernetworking-plugins)`);
    return dir;
  }
}

/** The stdin document for one plugin: list-level name/version, the plugin's own keys, and chained data. */
function pluginStdin(
  list: CniNetworkList,
  plugin: CniPluginConfig,
  att: CniAttachment,
  prevResult: CniResult | undefined,
): Record<string, unknown> {
  const { capabilities, ...rest } = plugin;
  const config: Record<string, unknown> = { ...rest, cniVersion: list.cniVersion, name: list.name };
  if (prevResult) config.prevResult = prevResult;
  // Capability arguments go only to plugins that declared them (CNI spec, "Deriving runtimeConfig").
  const runtimeConfig: Record<string, unknown> = {};
  for (const [cap, enabled] of Object.entries(capabilities ?? {})) {
    const value = att.runtimeConfig?.[cap];
    if (enabled && value !== undefined) runtimeConfig[cap] = value;
  }
  if (Object.keys(runtimeConfig).length > 0) config.runtimeConfig = runtimeConfig;
  return config;
}

function toCniError(plugin: string, command: string, stdout: string, stderr: string, exit: number): CniError {
  try {
    const parsed = JSON.parse(stdout) as { code?: number; msg?: string; details?: string };
    return new CniError(plugin, command, parsed.code ?? exit, [parsed.msg, parsed.details].filter(Boolean).join(': '));
  } catch {
    return new CniError(plugin, command, exit, (stderr || stdout).trim());
  }
}
