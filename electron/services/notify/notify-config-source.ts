// Where the notifications configuration comes from, first found wins: `argocd-notifications-cm.yaml` in the data
// folder (a local override), an `argocd-notifications-cm` ConfigMap file in the repository at HEAD, or the ConfigMap in
// a connected cluster's `argocd` namespace. Secrets (`$name`) come from `argocd-notifications-secret.yaml` in the data
// folder or that cluster's Secret; their values stay in memory only.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { NotifyConfig } from '../../../shared/notify';
import { NOTIFICATIONS_CONFIGMAP, NOTIFICATIONS_SECRET, parseNotifyConfig, readConfigMapFile } from '../../../shared/notify';
import type { Problem } from '../../../shared/problem';
import { problem } from '../../../shared/problem';
import type { FileTree } from '../../../shared/repo/file-tree';
import { isRecord } from '../../../shared/yaml/documents';
import type { ClusterConnection } from '../cluster/connection';
import { KubeApiError } from '../cluster/transport';
import { findConfigMapInTree } from '../config-map-files';

/** The configuration in force, its secrets, and what went wrong reading them. */
export interface LoadedNotifyConfig {
  readonly config?: NotifyConfig;
  readonly secrets: ReadonlyMap<string, string>;
  /** Where secrets were read from, for problems (`argocd-notifications-secret.yaml in the data folder`). */
  readonly secretSource: string;
  readonly problems: readonly Problem[];
}

/** Where to look. */
export interface NotifyConfigPlaces {
  readonly dataDir: string;
  /** The repository at HEAD. */
  readonly tree?: FileTree;
  /** Every file path of `tree` (`GitRepository.filePaths`), so finding the ConfigMap lists no folder. */
  readonly treePaths?: readonly string[];
  /** A connected cluster whose Argo CD namespace (default `argocd`) may hold the ConfigMap and the Secret. */
  readonly cluster?: { readonly name: string; readonly connection: ClusterConnection; readonly namespace?: string };
}

/** Finds a ConfigMap file in the repository: YAML files with `notif` in their path naming argocd-notifications-cm. */
function findInTree(tree: FileTree, paths: readonly string[] | undefined): string | undefined {
  return findConfigMapInTree(tree, NOTIFICATIONS_CONFIGMAP, /notif/i, paths);
}

function decodeSecret(v: unknown, base64: boolean): Map<string, string> {
  const out = new Map<string, string>();
  if (!isRecord(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out.set(k, base64 ? Buffer.from(x, 'base64').toString('utf8') : x);
  return out;
}

/** Secrets of a Secret manifest (data base64, stringData plain) or of a plain `key: value` mapping. */
function secretsOf(doc: unknown): Map<string, string> {
  if (!isRecord(doc)) return new Map();
  if (doc.kind === 'Secret') return new Map([...decodeSecret(doc.data, true), ...decodeSecret(doc.stringData, false)]);
  return decodeSecret(doc, false);
}

async function clusterObject(conn: ClusterConnection, namespace: string, kind: 'configmaps' | 'secrets', name: string): Promise<Record<string, unknown> | undefined> {
  try {
    return await conn.request<Record<string, unknown>>({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/${kind}/${name}` });
  } catch (e) {
    if (e instanceof KubeApiError && e.kind === 'notFound') return undefined;
    throw e;
  }
}

/** Reads the notifications configuration and secrets from the first place that has them. */
export async function loadNotifyConfig(places: NotifyConfigPlaces): Promise<LoadedNotifyConfig> {
  const problems: Problem[] = [];
  let config: NotifyConfig | undefined;
  const localFile = path.join(places.dataDir, `${NOTIFICATIONS_CONFIGMAP}.yaml`);
  const fromFile = (text: string, file: string): void => {
    const read = readConfigMapFile(text, file);
    problems.push(...read.problems);
    if (!read.data) return;
    const parsed = parseNotifyConfig(read.data, read.origin);
    problems.push(...parsed.problems);
    config = parsed.config;
  };
  if (existsSync(localFile)) fromFile(readFileSync(localFile, 'utf8'), localFile);
  else if (places.tree) {
    const found = findInTree(places.tree, places.treePaths);
    if (found) fromFile(places.tree.read(found)!, found);
  }
  let secrets = new Map<string, string>();
  let secretSource = `${NOTIFICATIONS_SECRET}.yaml in the data folder`;
  const localSecrets = path.join(places.dataDir, `${NOTIFICATIONS_SECRET}.yaml`);
  if (existsSync(localSecrets)) {
    try {
      secrets = secretsOf(parse(readFileSync(localSecrets, 'utf8')));
    } catch (e) {
      // The parser's message may quote the file: say only where it failed.
      problems.push(problem(`cannot read the notification secrets: ${e instanceof Error ? e.name : 'error'}`, { file: localSecrets }));
    }
  }
  if (places.cluster && (!config || (!existsSync(localSecrets) && secrets.size === 0))) {
    const { name, connection } = places.cluster;
    const namespace = places.cluster.namespace ?? 'argocd';
    try {
      if (!config) {
        const cm = await clusterObject(connection, namespace, 'configmaps', NOTIFICATIONS_CONFIGMAP);
        if (cm && isRecord(cm.data)) {
          const data = Object.fromEntries(Object.entries(cm.data).filter((e): e is [string, string] => typeof e[1] === 'string'));
          const parsed = parseNotifyConfig(data, { source: `cluster ${name}, ConfigMap ${namespace}/${NOTIFICATIONS_CONFIGMAP}` });
          problems.push(...parsed.problems);
          config = parsed.config;
        }
      }
      if (!existsSync(localSecrets)) {
        const secret = await clusterObject(connection, namespace, 'secrets', NOTIFICATIONS_SECRET);
        if (secret) {
          secrets = secretsOf(secret);
          secretSource = `Secret ${namespace}/${NOTIFICATIONS_SECRET} on cluster ${name}`;
        }
      }
    } catch (e) {
      problems.push(problem(`cannot read the notifications configuration from namespace ${namespace}: ${e instanceof Error ? e.message : String(e)}`, { cluster: name }));
    }
  }
  return { ...(config ? { config } : {}), secrets, secretSource, problems };
}
