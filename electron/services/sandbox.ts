import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ClusterSpec } from '../../shared/model/fleet';
import { isFleetDoc, parseFleet } from '../../shared/model/fleet-file';
import { parseYamlDocuments } from '../../shared/yaml/documents';
import type { LocalClusterRequest } from './cluster/local-fleet';
import { ensureKubeTestbin, FLEET_COMPONENTS, LocalFleet, localFleetProcesses, readLocalFleetState, startLocalFleet, stopLocalFleet } from './cluster/local-fleet';
import { exampleFleetSource } from './example-fleet';
import { installSandboxCrds } from './cluster/sandbox-crds';

// `flotilla sandbox up|down|status`: the bundled example fleet's clusters as real local clusters (etcd,
// kube-apiserver, kube-controller-manager, kube-scheduler and kwok each, on the ports the example's fleet file
// names), kept in the data folder and running detached until `down`. A sandbox of which something died is resumed:
// only the dead processes start again, on the same data (etcd's included).

/** One sandbox cluster as `sandbox status` shows it. */
export interface SandboxCluster {
  readonly name: string;
  readonly context: string;
  readonly server: string;
  readonly apiserver: boolean;
  readonly etcd: boolean;
  /** kube-controller-manager, kube-scheduler and kwok all run. */
  readonly controllers: boolean;
}

/** The sandbox's state. */
export interface SandboxStatus {
  /** Every process of every cluster is alive. */
  readonly running: boolean;
  /** The sandbox folder (`<data folder>/sandbox`). */
  readonly dir: string;
  /** The kubeconfig to use (`export KUBECONFIG=...`), when the sandbox was started. */
  readonly kubeconfig?: string;
  readonly clusters: readonly SandboxCluster[];
  /** What `up` started again in a sandbox that was partly dead, as `<cluster>-<component>` (data kept). */
  readonly restarted?: readonly string[];
}

/** The sandbox folder in a data folder. */
export function sandboxDir(dataDir: string): string {
  return path.join(dataDir, 'sandbox');
}

/** The clusters of a fleet file, as local clusters on the ports of their `server` URLs (loopback only). */
export function sandboxClustersOf(clusters: readonly ClusterSpec[]): LocalClusterRequest[] {
  return clusters.map((c) => {
    let apiPort: number | undefined;
    if (c.server) {
      const u = new URL(c.server);
      if (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost') throw new Error(`cluster ${c.name}: the sandbox runs on this machine only, but its server is ${c.server}`);
      apiPort = Number(u.port || 443);
    }
    return { name: c.name, ...(apiPort ? { apiPort } : {}), ...(c.context ? { context: c.context } : {}) };
  });
}

/** The clusters of the bundled example fleet (`examples/fleet/flotilla.yaml`). */
export function exampleFleetClusters(): readonly ClusterSpec[] {
  const file = path.join(exampleFleetSource(), 'flotilla.yaml');
  const parsed = parseYamlDocuments(readFileSync(file, 'utf8'), 'flotilla.yaml');
  const doc = parsed.docs.find((d) => isFleetDoc(d.value));
  if (!doc) throw new Error(`${file}: no Fleet document`);
  const { fleet, problems } = parseFleet(doc.value as Record<string, unknown>, 'flotilla.yaml', doc.line, doc.at);
  if (problems.some((p) => p.severity === 'error')) throw new Error(`${file}: ${problems.map((p) => p.message).join('; ')}`);
  return fleet.clusters;
}

/** The sandbox's state, from its folder and its processes. */
export function sandboxStatus(dataDir: string): SandboxStatus {
  const dir = sandboxDir(dataDir);
  const state = readLocalFleetState(dir);
  if (!state) return { running: false, dir, clusters: [] };
  const procs = localFleetProcesses(dir);
  const clusters = state.clusters.map((c) => ({
    name: c.name, context: c.context, server: c.server,
    apiserver: procs[`${c.name}-apiserver`] ?? false, etcd: procs[`${c.name}-etcd`] ?? false,
    controllers: FLEET_COMPONENTS.filter((k) => k !== 'apiserver' && k !== 'etcd').every((k) => procs[`${c.name}-${k}`] ?? false),
  }));
  return { running: clusters.length > 0 && clusters.every((c) => c.apiserver && c.etcd && c.controllers), dir, kubeconfig: state.kubeconfig, clusters };
}

/**
 * Starts the sandbox (building the binaries first on a fresh machine) unless it is running. In a sandbox of which
 * some processes died, only those start again, on the data they had: every object on every cluster is kept. The
 * processes are detached: they outlive this command.
 */
export async function sandboxUp(dataDir: string, opts: { clusters?: readonly ClusterSpec[]; log?: (line: string) => void } = {}): Promise<SandboxStatus> {
  const current = sandboxStatus(dataDir);
  if (current.running) return current;
  const dir = sandboxDir(dataDir);
  const previous = readLocalFleetState(dir);
  if (previous) {
    // Resume: the binaries may be missing (a sandbox made before the controllers were added builds only those).
    const binDir = await ensureKubeTestbin(opts.log);
    const fleet = new LocalFleet({ ...previous, binDir });
    fleet.detach();
    const restarted = await fleet.resume();
    await installCrds(readLocalFleetState(dir) ?? previous);
    opts.log?.(`sandbox: started again ${restarted.join(', ')}; data kept`);
    return { ...sandboxStatus(dataDir), restarted };
  }
  if (existsSync(dir)) await stopLocalFleet({ dir, removeDir: true });
  mkdirSync(dir, { recursive: true });
  const fleet = await startLocalFleet({
    dir, ownerPid: null, extraContexts: false, clusters: sandboxClustersOf(opts.clusters ?? exampleFleetClusters()),
    ...(opts.log ? { log: opts.log } : {}),
  });
  fleet.detach();
  await installCrds(readLocalFleetState(dir)!);
  opts.log?.('sandbox: Argo Rollouts CRD (rollouts.argoproj.io) installed on every cluster');
  return sandboxStatus(dataDir);
}

/** Installs the sandbox's CRDs (the Argo Rollouts Rollout) on every cluster of the sandbox. */
async function installCrds(state: { readonly adminToken: string; readonly clusters: readonly { readonly name: string; readonly server: string }[] }): Promise<void> {
  await Promise.all(state.clusters.map((c) => installSandboxCrds(c, state.adminToken)));
}

/** Stops every sandbox process and removes its folder. */
export async function sandboxDown(dataDir: string): Promise<SandboxStatus> {
  const dir = sandboxDir(dataDir);
  if (existsSync(dir)) await stopLocalFleet({ dir, removeDir: true });
  return sandboxStatus(dataDir);
}
