import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  controllerManagerArgs, ensureFakeNodes, findCheckoutFile, KWOK_BINARY, kwokArgs, kwokStagesFile, schedulerArgs, writeKwokLogs,
  waitControllersReady, writeComponentKubeconfig,
} from './local-controllers';
import { alive, killGroup, readPid, readPids, spawnDetached } from './local-processes';

// A local fleet of real Kubernetes clusters on loopback: per cluster etcd + kube-apiserver (the way
// controller-runtime's envtest runs them), kube-controller-manager, kube-scheduler and kwok simulating the kubelets
// of a few fake Nodes (see local-controllers.ts). Used by the tests, the benchmarks and `flotilla sandbox`.

/** The processes of one cluster, in start order; pid files are `<dir>/pids/<cluster>-<component>.pid`. */
export const FLEET_COMPONENTS = ['etcd', 'apiserver', 'controller-manager', 'scheduler', 'kwok'] as const;

/** One process of a local fleet cluster. */
export type FleetComponent = (typeof FLEET_COMPONENTS)[number];

/** The Go soft memory limit (GOMEMLIMIT) of each process, in MiB: keeps an idle fleet's memory bounded. */
const MEMORY_LIMITS_MIB: Readonly<Record<FleetComponent, number>> = { etcd: 128, apiserver: 320, 'controller-manager': 96, scheduler: 64, kwok: 64 };

/** The default cluster names of a local fleet, in pipeline order. */
export const LOCAL_FLEET_CLUSTERS: readonly string[] = ['dev', 'staging', 'prod'];

/** The user name of the unprivileged token user (authenticated, no RBAC grants). */
export const RESTRICTED_USER = 'flotilla-restricted';

/** One running cluster of a local fleet. */
export interface LocalClusterInfo {
  readonly name: string;
  /** Context with the admin token (system:masters). */
  readonly context: string;
  /** Context with the restricted user's token. */
  readonly restrictedContext: string;
  /** Context with an admin client certificate. */
  readonly certContext: string;
  readonly server: string;
  readonly apiPort: number;
  readonly etcdPort: number;
  readonly etcdPeerPort: number;
  /** Where kwok serves the kubelet API of the cluster's fake Nodes (Pod logs); absent in fleets made before it. */
  readonly kubeletPort?: number;
  readonly dir: string;
}

/** Everything needed to reach (and stop) a running local fleet; written to `<dir>/fleet.json`. */
export interface LocalFleetState {
  readonly dir: string;
  readonly kubeconfig: string;
  readonly binDir: string;
  readonly adminToken: string;
  readonly restrictedToken: string;
  readonly clusters: readonly LocalClusterInfo[];
  /** Whether `stop` removes `dir`. */
  readonly removeDir: boolean;
}

/** A cluster to start with a fixed API server port (e.g. the example fleet's servers) and context name. */
export interface LocalClusterRequest {
  readonly name: string;
  readonly apiPort?: number;
  /** The admin context's name (default `flotilla-<name>`). */
  readonly context?: string;
}

/** Options of `startLocalFleet`. */
export interface LocalFleetOptions {
  /** Cluster names, or names with a fixed API server port and context (default dev, staging, prod on free ports). */
  readonly clusters?: readonly (string | LocalClusterRequest)[];
  /** Folder for data, logs and kubeconfig; a fresh temp folder (removed on stop) when absent. */
  readonly dir?: string;
  /** Folder holding `kube-apiserver` and `etcd`; built or found by `ensureKubeTestbin` when absent. */
  readonly binDir?: string;
  /**
   * The pid whose death stops the fleet (a detached watchdog kills every process group then), so nothing is
   * orphaned even when the owner is killed outright. Default: this process. `null`: no watchdog (sandbox).
   */
  readonly ownerPid?: number | null;
  /** Progress lines (start, ready). */
  readonly log?: (line: string) => void;
  /** Also write the restricted-user and client-certificate contexts (default true; tests use them). */
  readonly extraContexts?: boolean;
  /** How long to wait for /readyz (default 120 s). */
  readonly readyTimeoutMs?: number;
}

/** Finds `scripts/kube-testbin.sh` by walking up from this module's folder (source tree or bundle) and the cwd. */
function findTestbinScript(): string {
  return findCheckoutFile(path.join('scripts', 'kube-testbin.sh'));
}

/**
 * Returns the folder holding `kube-apiserver`, `kube-controller-manager`, `kube-scheduler`, `etcd` and kwok, building them from their Go modules into the
 * version-keyed cache first when absent (several minutes on a cold cache; progress goes to `log`).
 */
export async function ensureKubeTestbin(log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<string> {
  const script = findTestbinScript();
  return await new Promise<string>((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const started = Date.now();
    let building = false;
    // A cold build takes minutes: say every minute that it is still going.
    const ticker = setInterval(() => {
      if (building) log(`kube-testbin: still building (${Math.round((Date.now() - started) / 1000)} s)`);
    }, 60_000);
    let out = '';
    let errTail = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      errTail = (errTail + d).slice(-4000);
      for (const line of d.split('\n')) {
        if (!line.startsWith('kube-testbin:')) continue;
        if (line.includes(': building ')) building = true;
        log(line);
      }
    });
    child.on('error', (e) => {
      clearInterval(ticker);
      reject(e);
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      const dir = out.trim().split('\n').pop() ?? '';
      if (code === 0 && ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', KWOK_BINARY].every((b) => existsSync(path.join(dir, b)))) resolve(dir);
      else reject(new Error(`kube-testbin.sh failed (exit ${code}): ${errTail}`));
    });
  });
}

/** Asks the kernel for a free loopback port. */
async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A free loopback port below the kernel's ephemeral range (32768 and up on Linux), for a server that binds it only
 * seconds later (kwok's kubelet API): an ephemeral port may meanwhile be taken by any outgoing connection.
 */
async function quietPort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (await portFree(port)) return port;
  }
  return await freePort();
}

/** Whether a loopback port can be bound. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Runs openssl with arguments, throwing its stderr on failure. */
function openssl(args: readonly string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Makes a client CA and an admin client certificate (CN flotilla-cert-admin, O system:masters). */
function makeClientCerts(pki: string): { ca: string; cert: string; key: string } {
  const ca = path.join(pki, 'client-ca.crt');
  const caKey = path.join(pki, 'client-ca.key');
  const key = path.join(pki, 'admin.key');
  const csr = path.join(pki, 'admin.csr');
  const cert = path.join(pki, 'admin.crt');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', ca, '-days', '30', '-subj', '/CN=flotilla-test-client-ca']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/O=system:masters/CN=flotilla-cert-admin']);
  openssl(['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '30']);
  return { ca, cert, key };
}

/** The arguments of one cluster's etcd. */
function etcdArgs(c: LocalClusterInfo): string[] {
  const client = `http://127.0.0.1:${c.etcdPort}`;
  const peer = `http://127.0.0.1:${c.etcdPeerPort}`;
  return [
    '--name', c.name, '--data-dir', path.join(c.dir, 'etcd'),
    '--listen-client-urls', client, '--advertise-client-urls', client,
    '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer, '--initial-cluster', `${c.name}=${peer}`,
    '--unsafe-no-fsync=true', '--log-level', 'warn',
  ];
}

/** The arguments of one cluster's kube-apiserver. */
function apiserverArgs(c: LocalClusterInfo, root: string): string[] {
  return [
    '--etcd-servers', `http://127.0.0.1:${c.etcdPort}`,
    '--bind-address', '127.0.0.1', '--advertise-address', '127.0.0.1', '--secure-port', String(c.apiPort),
    '--cert-dir', path.join(c.dir, 'pki'),
    '--service-account-issuer', `https://127.0.0.1:${c.apiPort}`,
    '--service-account-key-file', path.join(root, 'pki', 'sa.pub'),
    '--service-account-signing-key-file', path.join(root, 'pki', 'sa.key'),
    '--service-cluster-ip-range', '10.0.0.0/24',
    '--authorization-mode', 'RBAC',
    '--token-auth-file', path.join(root, 'tokens.csv'),
    '--client-ca-file', path.join(root, 'pki', 'client-ca.crt'),
    '--allow-privileged=true',
    // TaintNodesByCondition would taint new Nodes not-ready until a node lifecycle controller lifts it; kwok's Nodes are Ready at once.
    '--disable-admission-plugins', 'ServiceAccount,TaintNodesByCondition',
    '--enable-priority-and-fairness=false',
    '--profiling=false',
    '--endpoint-reconciler-type', 'none',
    // kwok's Nodes are reached at their InternalIP (127.0.0.1) for Pod logs: their host names resolve nowhere.
    '--kubelet-preferred-address-types', 'InternalIP',
    '--v', '0',
  ];
}

/** GET /readyz with the admin token; resolves true on 200. */
function readyz(server: string, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get(`${server}/readyz`, { headers: { Authorization: `Bearer ${token}` }, rejectUnauthorized: false, timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** Polls /readyz until 200, failing with the log tail when the process dies or time runs out. */
async function waitReady(c: LocalClusterInfo, token: string, pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await readyz(c.server, token)) return;
    if (!alive(pid)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const logFile = path.join(c.dir, 'kube-apiserver.log');
  const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
  throw new Error(`kube-apiserver of cluster ${c.name} was not ready at ${c.server}/readyz within ${timeoutMs} ms:\n${tail}`);
}

/** The kubeconfig (YAML is a superset of JSON, so JSON is written) with admin, restricted and cert contexts. */
function kubeconfigFor(state: Omit<LocalFleetState, 'kubeconfig'>, certs: { cert: string; key: string }, extra: boolean): string {
  const clusters = state.clusters.map((c) => ({
    name: `flotilla-${c.name}`,
    cluster: { server: c.server, 'certificate-authority': path.join(c.dir, 'pki', 'apiserver.crt') },
  }));
  const contexts = state.clusters.flatMap((c) => [
    { name: c.context, context: { cluster: `flotilla-${c.name}`, user: 'flotilla-admin' } },
    ...(extra ? [
      { name: c.restrictedContext, context: { cluster: `flotilla-${c.name}`, user: RESTRICTED_USER } },
      { name: c.certContext, context: { cluster: `flotilla-${c.name}`, user: 'flotilla-cert-admin' } },
    ] : []),
  ]);
  const users = [
    { name: 'flotilla-admin', user: { token: state.adminToken } },
    { name: RESTRICTED_USER, user: { token: state.restrictedToken } },
    { name: 'flotilla-cert-admin', user: { 'client-certificate': certs.cert, 'client-key': certs.key } },
  ];
  const first = state.clusters[0];
  return JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters, contexts, users, 'current-context': first?.context ?? '', preferences: {} }, null, 2) + '\n';
}

/** A running local fleet: its state plus stop and per-cluster stop/restart of the API server. */
export class LocalFleet {
  private stopped = false;
  private readonly exitHook = (): void => this.killAll('SIGKILL');

  constructor(readonly state: LocalFleetState, private readonly readyTimeoutMs = 120_000) {
    process.on('exit', this.exitHook);
  }

  /** The kubeconfig file path. */
  get kubeconfig(): string {
    return this.state.kubeconfig;
  }

  /** One cluster's info by name. */
  cluster(name: string): LocalClusterInfo {
    const c = this.state.clusters.find((x) => x.name === name);
    if (!c) throw new Error(`local fleet has no cluster ${name}`);
    return c;
  }

  /** Stops one cluster's kube-apiserver (etcd keeps running), waiting until its process is gone. */
  async stopApiServer(name: string): Promise<void> {
    const c = this.cluster(name);
    const pidFile = this.pidFile(c, 'apiserver');
    const pid = readPid(pidFile);
    if (pid === undefined) return;
    rmSync(pidFile, { force: true });
    killGroup(pid, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }

  /** Freezes (SIGSTOP) or thaws (SIGCONT) one cluster's kube-apiserver: a server that accepts but never answers. */
  pauseApiServer(name: string, paused: boolean): void {
    const pid = readPid(this.pidFile(this.cluster(name), 'apiserver'));
    if (pid !== undefined) killGroup(pid, paused ? 'SIGSTOP' : 'SIGCONT');
  }

  /** Starts one cluster's kube-apiserver again on the same port and waits for /readyz. */
  async startApiServer(name: string): Promise<void> {
    const c = this.cluster(name);
    const pid = spawnDetached(
      path.join(this.state.binDir, 'kube-apiserver'), apiserverArgs(c, this.state.dir),
      path.join(c.dir, 'kube-apiserver.log'), this.pidFile(c, 'apiserver'), MEMORY_LIMITS_MIB.apiserver,
    );
    await waitReady(c, this.state.adminToken, pid, this.readyTimeoutMs);
  }

  /** The pid file of one process of a cluster. */
  pidFile(c: LocalClusterInfo, component: FleetComponent): string {
    return path.join(this.state.dir, 'pids', `${c.name}-${component}.pid`);
  }

  /** Whether one process of a cluster is alive. */
  running(name: string, component: FleetComponent): boolean {
    const pid = readPid(this.pidFile(this.cluster(name), component));
    return pid !== undefined && alive(pid);
  }

  /** Starts one cluster's etcd (on its data folder, which survives restarts). */
  startEtcd(name: string): void {
    const c = this.cluster(name);
    spawnDetached(path.join(this.state.binDir, 'etcd'), etcdArgs(c), path.join(c.dir, 'etcd.log'), this.pidFile(c, 'etcd'), MEMORY_LIMITS_MIB.etcd);
  }

  /**
   * Starts those of a cluster's kube-controller-manager, kube-scheduler and kwok that are not running, makes sure its
   * fake Nodes exist, and (unless `wait` is false) waits until Nodes are Ready and the controller manager works.
   */
  async startControllers(name: string, wait = true): Promise<void> {
    const c = this.cluster(name);
    const bin = this.state.binDir;
    const kubeconfig = writeComponentKubeconfig(c, this.state.adminToken);
    const procs: [FleetComponent, string, string[]][] = [
      ['controller-manager', path.join(bin, 'kube-controller-manager'), controllerManagerArgs(c, this.state.dir, kubeconfig)],
      ['scheduler', path.join(bin, 'kube-scheduler'), schedulerArgs(kubeconfig)],
      ['kwok', path.join(bin, KWOK_BINARY), kwokArgs(kubeconfig, kwokStagesFile(), c.kubeletPort ? { port: c.kubeletPort, logsConfig: writeKwokLogs(c) } : undefined)],
    ];
    for (const [component, file, args] of procs) {
      if (this.running(name, component)) continue;
      spawnDetached(file, args, path.join(c.dir, `${component}.log`), this.pidFile(c, component), MEMORY_LIMITS_MIB[component]);
    }
    await ensureFakeNodes(c, this.state.adminToken);
    if (wait) await waitControllersReady(c, this.state.adminToken, this.readyTimeoutMs);
  }

  /**
   * Starts again whatever of the fleet has died, keeping every data folder (etcd's included), and returns what it
   * started as `<cluster>-<component>`. Running processes are left alone.
   */
  async resume(): Promise<string[]> {
    const restarted: string[] = [];
    for (const c of this.state.clusters) {
      const dead = FLEET_COMPONENTS.filter((k) => !this.running(c.name, k));
      if (!dead.length) continue;
      restarted.push(...dead.map((k) => `${c.name}-${k}`));
      if (dead.includes('etcd')) this.startEtcd(c.name);
      if (dead.includes('apiserver')) await this.startApiServer(c.name);
      else if (dead.includes('etcd')) await waitReady(c, this.state.adminToken, readPid(this.pidFile(c, 'apiserver')) ?? 0, this.readyTimeoutMs);
    }
    for (const c of this.state.clusters) await this.startControllers(c.name, false);
    await Promise.all(this.state.clusters.map((c) => waitControllersReady(c, this.state.adminToken, this.readyTimeoutMs)));
    return restarted;
  }

  /** Lets the fleet outlive this process (no kill on exit); stop it later with `stopLocalFleet(state)`. */
  detach(): void {
    this.stopped = true;
    process.off('exit', this.exitHook);
  }

  /** Stops every process of the fleet and removes its temp folder (when it made one). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    process.off('exit', this.exitHook);
    await stopLocalFleet(this.state);
  }

  private killAll(signal: NodeJS.Signals): void {
    if (this.stopped) return;
    for (const pid of readPids(this.state.dir)) killGroup(pid, signal);
  }
}

/**
 * Stops a fleet described by its state (possibly started by another process). The processes are killed outright:
 * their data is thrown away with the folder, so a graceful shutdown would only cost time.
 */
export async function stopLocalFleet(state: Pick<LocalFleetState, 'dir' | 'removeDir'>): Promise<void> {
  const pids = readPids(state.dir);
  for (const pid of pids) killGroup(pid, 'SIGKILL');
  const deadline = Date.now() + 5000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  rmSync(path.join(state.dir, 'pids'), { recursive: true, force: true });
  if (state.removeDir) rmSync(state.dir, { recursive: true, force: true });
}

/** Reads the state of a fleet from its folder, or undefined when none was started there. */
export function readLocalFleetState(dir: string): LocalFleetState | undefined {
  const file = path.join(dir, 'fleet.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as LocalFleetState;
}

/** Which processes of a fleet are alive, by `<cluster>-<component>` (see FLEET_COMPONENTS). */
export function localFleetProcesses(dir: string): Record<string, boolean> {
  const pidDir = path.join(dir, 'pids');
  const out: Record<string, boolean> = {};
  if (!existsSync(pidDir)) return out;
  for (const f of readdirSync(pidDir).filter((x) => x.endsWith('.pid'))) {
    out[f.replace(/\.pid$/, '')] = alive(Number(readFileSync(path.join(pidDir, f), 'utf8')));
  }
  return out;
}

/** Starts a detached watchdog that stops the fleet once `ownerPid` is gone. */
function startWatchdog(dir: string, ownerPid: number, removeDir: boolean): void {
  const script = [
    'while kill -0 "$1" 2>/dev/null && [ -d "$2/pids" ]; do sleep 1; done',
    '[ -d "$2/pids" ] || exit 0',
    'for f in "$2"/pids/*.pid; do [ -f "$f" ] && kill -TERM "-$(cat "$f")" 2>/dev/null; done',
    'sleep 3',
    'for f in "$2"/pids/*.pid; do [ -f "$f" ] && kill -KILL "-$(cat "$f")" 2>/dev/null; done',
    'rm -rf "$2/pids"',
    '[ "$3" = 1 ] && rm -rf "$2"',
    'exit 0',
  ].join('\n');
  const child = spawn('sh', ['-c', script, 'flotilla-fleet-watchdog', String(ownerPid), dir, removeDir ? '1' : '0'], { detached: true, stdio: 'ignore' });
  child.unref();
}

/**
 * Starts a fleet of real clusters (etcd + kube-apiserver each, free loopback ports), waits for every /readyz,
 * and writes a kubeconfig with contexts `flotilla-<name>` (admin token), `flotilla-<name>-restricted`
 * (restricted user) and `flotilla-<name>-cert` (admin client certificate).
 */
export async function startLocalFleet(opts: LocalFleetOptions = {}): Promise<LocalFleet> {
  const log = opts.log ?? (() => undefined);
  const binDir = opts.binDir ?? (await ensureKubeTestbin(log));
  const removeDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'flotilla-fleet-'));
  mkdirSync(path.join(dir, 'pki'), { recursive: true });
  mkdirSync(path.join(dir, 'pids'), { recursive: true });

  const adminToken = randomBytes(16).toString('hex');
  const restrictedToken = randomBytes(16).toString('hex');
  writeFileSync(path.join(dir, 'tokens.csv'), `${adminToken},flotilla-admin,uid-admin,"system:masters"\n${restrictedToken},${RESTRICTED_USER},uid-restricted,""\n`, { mode: 0o600 });
  const sa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(path.join(dir, 'pki', 'sa.key'), sa.privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  writeFileSync(path.join(dir, 'pki', 'sa.pub'), sa.publicKey.export({ type: 'spki', format: 'pem' }));
  const certs = makeClientCerts(path.join(dir, 'pki'));

  const clusters: LocalClusterInfo[] = [];
  for (const req of opts.clusters ?? LOCAL_FLEET_CLUSTERS) {
    const { name, apiPort: fixedPort, context } = typeof req === 'string' ? { name: req, apiPort: undefined, context: undefined } : req;
    if (fixedPort !== undefined && !(await portFree(fixedPort))) throw new Error(`cluster ${name}: port ${fixedPort} on 127.0.0.1 is in use`);
    const [apiPort, etcdPort, etcdPeerPort, kubeletPort] = [fixedPort ?? (await freePort()), await freePort(), await freePort(), await quietPort()];
    const cdir = path.join(dir, name);
    mkdirSync(path.join(cdir, 'pki'), { recursive: true });
    const ctx = context ?? `flotilla-${name}`;
    clusters.push({
      name, context: ctx, restrictedContext: `${ctx}-restricted`, certContext: `${ctx}-cert`,
      server: `https://127.0.0.1:${apiPort}`, apiPort, etcdPort, etcdPeerPort, kubeletPort, dir: cdir,
    });
  }
  if (opts.ownerPid !== null) startWatchdog(dir, opts.ownerPid ?? process.pid, removeDir);

  const base = { dir, binDir, adminToken, restrictedToken, clusters, removeDir };
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigFor(base, certs, opts.extraContexts ?? true), { mode: 0o600 });
  const state: LocalFleetState = { ...base, kubeconfig };
  writeFileSync(path.join(dir, 'fleet.json'), JSON.stringify(state, null, 2), { mode: 0o600 });
  const fleet = new LocalFleet(state, opts.readyTimeoutMs ?? 120_000);

  try {
    const started = Date.now();
    log(`local fleet: starting ${clusters.map((c) => c.name).join(', ')} in ${dir}`);
    for (const c of clusters) fleet.startEtcd(c.name);
    // The API servers start one after another: on two cores, parallel starts take longer in total.
    for (const c of clusters) await fleet.startApiServer(c.name);
    log(`local fleet: ${clusters.length} API servers ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const c of clusters) await fleet.startControllers(c.name, false);
    await Promise.all(clusters.map((c) => waitControllersReady(c, adminToken, opts.readyTimeoutMs ?? 120_000)));
    log(`local fleet: ${clusters.length} clusters ready (controllers, scheduler, kwok nodes) after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return fleet;
  } catch (err) {
    await fleet.stop();
    throw err;
  }
}
