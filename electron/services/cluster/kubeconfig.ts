import type * as ClientNode from '@kubernetes/client-node';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Problem } from '../../../shared/problem';
import { problem } from '../../../shared/problem';
import { lazyModule } from '../lazy-module';
import { parse } from 'yaml';

/** @kubernetes/client-node, loaded when a kubeconfig is first read (it costs ~0.5 s of CPU to load). */
const clientNode = lazyModule<typeof ClientNode>('@kubernetes/client-node');

// Kubeconfig loading (KUBECONFIG with several files, kubectl's first-wins merge) and credential resolution.
// Credentials stay in this module's objects: nothing here is meant to cross the API contract.

/** A kubeconfig context as the rest of the app may see it: names and server, never credentials. */
export interface KubeContextInfo {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  readonly server: string;
  readonly namespace?: string;
}

/** The merged kubeconfig of every file, and problems met reading it (unreadable files, duplicates). */
export interface LoadedKubeconfig {
  readonly config: KubeConfig;
  readonly files: readonly string[];
  readonly contexts: readonly KubeContextInfo[];
  readonly problems: readonly Problem[];
}

/** The kubeconfig files in force: `paths`, else `$KUBECONFIG` (path-list), else `~/.kube/config`. */
export function kubeconfigFiles(paths?: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  if (paths && paths.length) return [...paths];
  const fromEnv = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  if (fromEnv.length) return fromEnv;
  return [path.join(os.homedir(), '.kube', 'config')];
}

/**
 * Loads and merges kubeconfig files the way kubectl does: the first file that names a cluster, user or context
 * wins; later duplicates are ignored; missing files are skipped. A file that fails to parse, or is not a kubeconfig
 * (no mapping of clusters, users and contexts), is a Problem, and so is a list of files none of which exists.
 */
export function loadKubeconfig(paths?: readonly string[], env: NodeJS.ProcessEnv = process.env): LoadedKubeconfig {
  const files = kubeconfigFiles(paths, env);
  const problems: Problem[] = [];
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let current = '';
  if (files.length > 0 && !files.some((f) => existsSync(f))) {
    problems.push(problem(`kubeconfig could not be read: no such file${files.length > 1 ? ` (none of ${files.join(', ')} exists)` : ''}`, { file: files[0]! }));
  }
  for (const file of files) {
    if (!existsSync(file)) continue;
    const kc = new (clientNode().KubeConfig)();
    try {
      kc.loadFromFile(file);
    } catch (err) {
      // The client's own error for a file that is not a kubeconfig is a bare TypeError: say what is wrong instead.
      const why = err instanceof TypeError ? notAKubeconfig(file) : undefined;
      problems.push(problem(`kubeconfig could not be read: ${why ?? (err instanceof Error ? err.message : String(err))}`, { file }));
      continue;
    }
    const notKubeconfig = kc.clusters.length + kc.users.length + kc.contexts.length === 0 ? notAKubeconfig(file) : undefined;
    if (notKubeconfig) {
      problems.push(problem(`kubeconfig could not be read: ${notKubeconfig}`, { file }));
      continue;
    }
    if (!current && kc.currentContext) current = kc.currentContext;
    for (const c of kc.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
  }
  // The client library (~0.5 s to load) is loaded when the config is first used, not to learn there are no contexts.
  let config: ClientNode.KubeConfig | undefined;
  const merged = (): ClientNode.KubeConfig => {
    if (!config) {
      config = new (clientNode().KubeConfig)();
      config.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext: current });
    }
    return config;
  };
  const infos: KubeContextInfo[] = [];
  for (const ctx of contexts.values()) {
    const cluster = clusters.get(ctx.cluster);
    if (!cluster) {
      problems.push(problem(`kubeconfig context ${ctx.name} names cluster ${ctx.cluster}, which no kubeconfig file defines`, { cluster: ctx.name }));
      continue;
    }
    infos.push({ name: ctx.name, cluster: ctx.cluster, user: ctx.user, server: cluster.server, ...(ctx.namespace ? { namespace: ctx.namespace } : {}) });
  }
  return {
    get config() {
      return merged();
    },
    files,
    contexts: infos,
    problems,
  };
}

/** Why a file that named no cluster, user or context is not a kubeconfig at all (an empty `kind: Config` is one). */
function notAKubeconfig(file: string): string | undefined {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return `not YAML: ${(err instanceof Error ? err.message : String(err)).split('\n')[0] ?? ''}`;
  }
  if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
    const keys = Object.keys(doc);
    if (['kind', 'apiVersion', 'clusters', 'users', 'contexts', 'current-context', 'preferences'].some((k) => keys.includes(k))) return undefined;
  }
  return 'not a kubeconfig: expected a YAML mapping with clusters, users and contexts (kind: Config)';
}

/** What a connection needs to reach a cluster: TLS material and headers. Stays on the Node side. */
export interface ResolvedCredentials {
  readonly server: string;
  readonly ca?: Buffer;
  readonly cert?: Buffer | string;
  readonly key?: Buffer | string;
  readonly rejectUnauthorized: boolean;
  readonly servername?: string;
  readonly headers: Readonly<Record<string, string>>;
  /** When exec-plugin credentials expire (ms since epoch); undefined when they do not. */
  readonly expiresAt?: number;
  /** Whether these came from an exec plugin (refreshed on 401 and on expiry). */
  readonly fromExec: boolean;
}

/** The `ExecCredential` an exec plugin prints. */
interface ExecCredential {
  readonly status?: { readonly token?: string; readonly clientCertificateData?: string; readonly clientKeyData?: string; readonly expirationTimestamp?: string };
}

/** The exec section of a kubeconfig user. */
interface ExecConfig {
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: readonly { readonly name: string; readonly value: string }[];
  readonly apiVersion?: string;
}

/** Runs an exec credential plugin with a timeout and parses its ExecCredential. */
export async function runExecPlugin(exec: ExecConfig, timeoutMs: number, contextName: string): Promise<ExecCredential> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const e of exec.env ?? []) env[e.name] = e.value;
  env.KUBERNETES_EXEC_INFO = JSON.stringify({ apiVersion: exec.apiVersion ?? 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec: { interactive: false } });
  return await new Promise<ExecCredential>((resolve, reject) => {
    const child = spawn(exec.command, [...(exec.args ?? [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`exec credential plugin ${exec.command} of context ${contextName} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-2000)));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`exec credential plugin ${exec.command} of context ${contextName} could not run: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`exec credential plugin ${exec.command} of context ${contextName} exited with ${code}: ${err.trim()}`));
      try {
        const cred = JSON.parse(out) as ExecCredential;
        if (!cred.status || (!cred.status.token && !cred.status.clientCertificateData)) throw new Error('no status.token or status.clientCertificateData');
        resolve(cred);
      } catch (e) {
        reject(new Error(`exec credential plugin ${exec.command} of context ${contextName} printed no valid ExecCredential: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  });
}

/**
 * Resolves a context's credentials: CA, client certificate, token (inline or file) through client-node, and
 * exec plugins here (client-node's exec support has no timeout and re-runs plugins without expiry every call).
 */
export async function resolveCredentials(loaded: LoadedKubeconfig, contextName: string, execTimeoutMs = 10_000): Promise<ResolvedCredentials> {
  const kc = loaded.config;
  const ctx = kc.getContextObject(contextName);
  if (!ctx) throw new Error(`context ${contextName} is not in the kubeconfig (${loaded.files.join(', ')})`);
  const cluster = kc.getCluster(ctx.cluster);
  if (!cluster) throw new Error(`context ${contextName} names cluster ${ctx.cluster}, which the kubeconfig does not define`);
  const user = ctx.user ? kc.getUser(ctx.user) : null;
  const exec = (user?.exec as ExecConfig | undefined) ?? undefined;
  const single = new (clientNode().KubeConfig)();
  const plainUser: User = user ? { ...user, exec: undefined } : { name: 'anonymous' };
  single.loadFromOptions({ clusters: [cluster], users: [plainUser], contexts: [{ name: 'c', cluster: cluster.name, user: plainUser.name }], currentContext: 'c' });
  const opts: { ca?: Buffer; cert?: Buffer | string; key?: Buffer | string; rejectUnauthorized?: boolean; servername?: string; headers?: Record<string, string | string[] | number> } = {};
  await single.applyToHTTPSOptions(opts as never);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
  if (user?.username) headers.Authorization = 'Basic ' + Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64');
  let cert = opts.cert;
  let key = opts.key;
  let expiresAt: number | undefined;
  if (exec?.command) {
    const cred = await runExecPlugin(exec, execTimeoutMs, contextName);
    if (cred.status?.token) headers.Authorization = `Bearer ${cred.status.token}`;
    if (cred.status?.clientCertificateData) cert = cred.status.clientCertificateData;
    if (cred.status?.clientKeyData) key = cred.status.clientKeyData;
    const exp = cred.status?.expirationTimestamp ? Date.parse(cred.status.expirationTimestamp) : Number.NaN;
    if (Number.isFinite(exp)) expiresAt = exp;
  }
  return {
    server: cluster.server.replace(/\/+$/, ''),
    ...(opts.ca ? { ca: opts.ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    rejectUnauthorized: opts.rejectUnauthorized ?? !cluster.skipTLSVerify,
    ...(opts.servername ? { servername: opts.servername } : {}),
    headers,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    fromExec: Boolean(exec?.command),
  };
}
