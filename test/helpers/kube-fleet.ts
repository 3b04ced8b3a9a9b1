import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LocalFleet, LocalFleetOptions, LocalFleetState } from '../../electron/services/cluster/local-fleet';
import { startLocalFleet } from '../../electron/services/cluster/local-fleet';
import { afterAll, beforeAll } from 'vitest';
import { ClusterManager } from '../../electron/services/cluster/cluster-manager';
import type { ClusterConnection } from '../../electron/services/cluster/connection';

// The test fleet: three real clusters (dev, staging, prod), each an etcd + kube-apiserver pair on loopback.
// Tests named `*.kube.test.ts` get the one fleet the global setup starts for the run (`useKubeFleet`);
// a test that must disturb a cluster (stop an API server) starts its own (`startKubeFleet`).

export type { LocalFleetState } from '../../electron/services/cluster/local-fleet';

/** Starts a private fleet (temp folder, watchdog bound to this process); call `stop()` when done. */
export async function startKubeFleet(opts: LocalFleetOptions = {}): Promise<LocalFleet> {
  return await startLocalFleet({ log: (l) => console.log(l), ...opts });
}

/** The run's shared fleet, started by `test/setup/kube-fleet.ts` for `*.kube.test.ts` files. */
export async function useKubeFleet(): Promise<LocalFleetState> {
  const { inject } = await import('vitest');
  const state = inject('kubeFleet');
  if (!state) throw new Error('no shared kube fleet: only test files named *.kube.test.ts get one (see test/setup/kube-fleet.ts)');
  return state;
}

/**
 * A ClusterManager over the fleet's clusters as the admin user (or the restricted one), loaded from the fleet's
 * kubeconfig as a user's would be; `only` keeps the clusters named. The caller closes it.
 */
export function fleetAdmin(fleet: Pick<LocalFleetState, 'kubeconfig' | 'clusters'>, opts: { readonly only?: readonly string[]; readonly restricted?: boolean } = {}): ClusterManager {
  const clusters = fleet.clusters.filter((c) => !opts.only || opts.only.includes(c.name));
  return ClusterManager.fromKubeconfig({
    kubeconfigPaths: [fleet.kubeconfig],
    clusters: clusters.map((c) => ({ name: c.name, context: opts.restricted ? c.restrictedContext : c.context, labels: {}, annotations: {} })),
  });
}

/**
 * The text of an ApplicationSet `web` whose list generator makes `web-<cluster>` for each cluster given (its API
 * server URL as the destination), rendering `apps/web` of `repoURL` into `namespace`.
 */
export function webAppSet(repoURL: string, namespace: string, clusters: readonly { readonly name: string; readonly server: string }[]): string {
  return [
    'apiVersion: argoproj.io/v1alpha1', 'kind: ApplicationSet', 'metadata:', '  name: web', 'spec:', '  generators:', '  - list:', '      elements:',
    ...clusters.flatMap((c) => [`      - cluster: ${c.name}`, `        url: ${c.server}`]),
    '  template:', '    metadata:', "      name: 'web-{{cluster}}'", '    spec:', '      project: default',
    `      source: {repoURL: ${repoURL}, targetRevision: HEAD, path: apps/web}`,
    `      destination: {server: '{{url}}', namespace: ${namespace}}`, '',
  ].join('\n');
}

/** The shared fleet, an admin ClusterManager over all its clusters and the dev cluster's connection: see useFleetAdmin. */
export interface FleetAdmin {
  readonly fleet: LocalFleetState;
  readonly admin: ClusterManager;
  readonly dev: ClusterConnection;
}

/** Gets the run's shared fleet and an admin ClusterManager over it before the file's tests; closes it after them. */
export function useFleetAdmin(): FleetAdmin {
  let state: FleetAdmin | undefined;
  const ready = (): FleetAdmin => {
    if (!state) throw new Error('useFleetAdmin: the fleet is ready in tests (after beforeAll), not while the file loads');
    return state;
  };
  beforeAll(async () => {
    const fleet = await useKubeFleet();
    const admin = fleetAdmin(fleet);
    state = { fleet, admin, dev: admin.connection('dev') };
  });
  afterAll(() => state?.admin.close());
  return { get fleet() { return ready().fleet; }, get admin() { return ready().admin; }, get dev() { return ready().dev; } };
}

/** A fresh namespace name (namespaces never finish terminating on a bare API server, so never reuse one). */
export function freshNamespace(prefix = 't'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A raw API call as another client would make it (admin token unless `token` is given); resolves status and body. */
export function kubeRequest(
  state: LocalFleetState, cluster: string, method: string, path: string,
  body?: unknown, opts: { token?: string; contentType?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const c = state.clusters.find((x) => x.name === cluster);
  if (!c) throw new Error(`no cluster ${cluster} in the fleet`);
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(`${c.server}${path}`, {
      method, rejectUnauthorized: false,
      headers: {
        Authorization: `Bearer ${opts.token ?? state.adminToken}`, Accept: 'application/json',
        ...(data !== undefined ? { 'Content-Type': opts.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}),
      },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      // An API server answers some errors in plain text (a CRD's path is "404 page not found" until it is served):
      // such a body is kept as `text`, never thrown from this event handler where no caller could catch it.
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parseBody(text) }));
    });
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

/** The JSON object an API server answered, or `{ text }` when it answered something else. */
function parseBody(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { text };
  }
}

/** Creates a namespace on one cluster with the admin token. */
export async function createNamespace(state: LocalFleetState, cluster: string, name: string): Promise<void> {
  const res = await kubeRequest(state, cluster, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (res.status !== 201) throw new Error(`creating namespace ${name} on ${cluster}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Points a copy of the example fleet at the run's API servers: the fleet file's clusters and the server URLs pinned in
 *  its ApplicationSets and Applications. */
export function retargetExample(state: LocalFleetState, dir: string): void {
  const file = path.join(dir, 'flotilla.yaml');
  let fleetText = readFileSync(file, 'utf8');
  const pinned = ['appsets/platform.yaml', 'applications/guestbook.yaml', 'applications/hello.yaml'];
  const texts = pinned.map((f) => readFileSync(path.join(dir, f), 'utf8'));
  for (const [name, port] of [['dev', 16443], ['staging', 26443], ['prod', 36443]] as const) {
    const c = state.clusters.find((x) => x.name === name)!;
    fleetText = fleetText.replace(`context: flotilla-${name}`, `context: ${c.context}`).replace(`https://127.0.0.1:${port}`, c.server);
    texts.forEach((t, i) => (texts[i] = t.replace(`https://127.0.0.1:${port}`, c.server)));
  }
  writeFileSync(file, fleetText);
  pinned.forEach((f, i) => writeFileSync(path.join(dir, f), texts[i]!));
}
