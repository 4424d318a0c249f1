/**
 * What `system info` prints, as `docker info` prints its server part (cli/command/system/info.go)
 * for the fields the engine reports; `--format` takes the whole answer (`{{json .}}`) or a Go
 * template of its fields (`{{.NCPU}}`).
 */
import type { SystemInfo } from '../../engine-api/system/types';
import { compileTemplate } from '../format/go-template';
import { goJson } from '../format/go-format';

/** go-units' BytesSize: binary units with at most 4 significant digits (`23.54GiB`). */
function bytesSize(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let size = n;
  let i = 0;
  while (size >= 1024 && i < units.length - 1) {
    size /= 1024;
    i += 1;
  }
  return `${Number(size.toPrecision(4))}${units[i]}`;
}

function securityLines(options: string[]): string[] {
  const out: string[] = [];
  for (const opt of options) {
    const kv = Object.fromEntries(opt.split(',').map((p) => p.split('=', 2) as [string, string]));
    out.push(`  ${kv.name ?? opt}`);
    if (kv.profile) out.push(`   Profile: ${kv.profile}`);
  }
  return out;
}

export function renderInfo(info: SystemInfo, o: { clientVersion: string; format?: string }): string {
  if (o.format === 'json' || o.format === '{{json .}}') return `${goJson(info)}\n`;
  if (o.format) return `${compileTemplate(o.format)(info)}\n`;
  const lines = [
    'Client:',
    ` Version:    ${o.clientVersion}`,
    ' Context:    default',
    ' Debug Mode: false',
    '',
    'Server:',
    ` Containers: ${info.Containers}`,
    `  Running: ${info.ContainersRunning}`,
    `  Paused: ${info.ContainersPaused}`,
    `  Stopped: ${info.ContainersStopped}`,
    ` Images: ${info.Images}`,
    ` Server Version: ${info.ServerVersion}`,
    ` Storage Driver: ${info.Driver}`,
    ...info.DriverStatus.map(([k, v]) => `  ${k}: ${v}`),
    ` Logging Driver: ${info.LoggingDriver}`,
    ` Cgroup Driver: ${info.CgroupDriver}`,
    ` Cgroup Version: ${info.CgroupVersion}`,
    ' Plugins:',
    `  Volume: ${info.Plugins.Volume.join(' ')}`,
    `  Network: ${info.Plugins.Network.join(' ')}`,
    `  Log: ${info.Plugins.Log.join(' ')}`,
    ` Swarm: ${info.Swarm.LocalNodeState}`,
    ` Runtimes: ${Object.keys(info.Runtimes).sort().join(' ')}`,
    ` Default Runtime: ${info.DefaultRuntime}`,
    ` Init Binary: ${info.InitBinary}`,
    // docker prints these whatever the daemon runs on; the engine has none of them.
    ' containerd version: ',
    ' runc version: ',
    ' init version: ',
    ' Security Options:',
    ...securityLines(info.SecurityOptions),
    ` Kernel Version: ${info.KernelVersion}`,
    ` Operating System: ${info.OperatingSystem}`,
    ` OSType: ${info.OSType}`,
    ` Architecture: ${info.Architecture}`,
    ` CPUs: ${info.NCPU}`,
    ` Total Memory: ${bytesSize(info.MemTotal)}`,
    ` Name: ${info.Name}`,
    ` ID: ${info.ID}`,
    ` Docker Root Dir: ${info.DockerRootDir}`,
    ` Debug Mode: ${info.Debug}`,
    ...(info.HttpProxy ? [` HTTP Proxy: ${info.HttpProxy}`] : []),
    ...(info.HttpsProxy ? [` HTTPS Proxy: ${info.HttpsProxy}`] : []),
    ...(info.NoProxy ? [` No Proxy: ${info.NoProxy}`] : []),
    ` Experimental: ${info.ExperimentalBuild}`,
    ' Insecure Registries:',
    ...info.RegistryConfig.InsecureRegistryCIDRs.map((c) => `  ${c}`),
    ...Object.values(info.RegistryConfig.IndexConfigs)
      .filter((c) => !c.Secure)
      .map((c) => `  ${c.Name}`),
    ` Live Restore Enabled: ${info.LiveRestoreEnabled}`,
    '',
  ];
  return `${lines.join('\n')}\n`;
}
