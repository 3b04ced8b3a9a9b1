// Who may sync which app by Argo CD's RBAC: the `argocd-rbac-cm` ConfigMap from `argocd-rbac-cm.yaml` in the data
// folder (a local override), else a ConfigMap file in the repository at HEAD (a YAML file with `rbac` in its path),
// evaluated with Casbin as Argo CD's API server evaluates it (argocd-rbac.ts).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../../../shared/problem';
import type { RbacPolicy } from '../../../shared/rbac/policy';
import { applicationObject, parseRbacConfig, RBAC_CONFIGMAP } from '../../../shared/rbac/policy';
import type { FileTree } from '../../../shared/repo/file-tree';
import { readNamedConfigMapFile } from '../../../shared/yaml/config-map';
import { findConfigMapInTree } from '../config-map-files';
import type { FleetService } from '../fleet-service';
import type { RbacDecision, RbacUser } from './argocd-rbac';
import { ArgoRbac } from './argocd-rbac';

/** The RBAC configuration found, where, and what is wrong in it. */
export interface LoadedRbac {
  readonly policy?: RbacPolicy;
  /** The file it was read from (data-folder path, or repository-relative). */
  readonly file?: string;
  readonly problems: readonly Problem[];
}

/** Reads argocd-rbac-cm from the data folder's override, else the repository at HEAD; absent when neither has it. */
export function loadRbacConfig(places: { readonly dataDir: string; readonly tree?: FileTree; readonly treePaths?: readonly string[] }): LoadedRbac {
  const local = path.join(places.dataDir, `${RBAC_CONFIGMAP}.yaml`);
  let text: string | undefined;
  let file: string | undefined;
  if (existsSync(local)) {
    text = readFileSync(local, 'utf8');
    file = local;
  } else if (places.tree) {
    const found = findConfigMapInTree(places.tree, RBAC_CONFIGMAP, /rbac/i, places.treePaths);
    if (found) {
      text = places.tree.read(found);
      file = found;
    }
  }
  if (text === undefined || !file) return { problems: [] };
  const read = readNamedConfigMapFile(text, file, RBAC_CONFIGMAP);
  if (!read.data) return { file, problems: read.problems };
  const parsed = parseRbacConfig(read.data, read.origin);
  return { policy: parsed.policy, file, problems: [...read.problems, ...parsed.problems] };
}

/** One subject's answer for one app: allowed or not, and the policy line that decided. */
export interface SyncPermission {
  readonly subject: string;
  readonly allowed: boolean;
  /** `apps/argocd-rbac-cm.yaml:9:5` or `Argo CD built-in policy line 12`; absent when no line matched. */
  readonly via?: string;
  /** The line that decided, as written. */
  readonly rule?: string;
  /** Allowed through the default role (`policy.default`), not a line of its own. */
  readonly byDefaultRole?: boolean;
}

/** Who may sync one app, per the policy. */
export interface AppSyncPermissions {
  readonly app: string;
  readonly project: string;
  /** The object Argo CD checks: `<project>/<app>`. */
  readonly object: string;
  readonly subjects: readonly SyncPermission[];
}

/** The answer of the whole repository: the policy's source and problems, and each app's subjects. */
export interface RbacReport {
  readonly source?: string;
  readonly defaultRole?: string;
  readonly matchMode?: 'glob' | 'regex';
  readonly problems: readonly Problem[];
  readonly apps: readonly AppSyncPermissions[];
}

/** A decision as a row. */
function permission(subject: string, d: RbacDecision, defaultRole: string | undefined): SyncPermission {
  return {
    subject, allowed: d.allowed,
    ...(d.rule ? { via: d.rule.at, rule: d.rule.text } : {}),
    ...(d.allowed && defaultRole && d.subject === defaultRole && subject !== defaultRole ? { byDefaultRole: true } : {}),
  };
}

/** The apps of the repository at HEAD with the object Argo CD's RBAC checks for each. */
async function appObjects(fleet: FleetService, only?: string): Promise<{ app: string; project: string; object: string }[]> {
  const { fleet: discovered } = await fleet.discovery();
  const rows = only ? [(await fleet.app(only)).row] : discovered.apps;
  return rows.map((r) => {
    const project = r.application.spec.project || 'default';
    return { app: r.name, project, object: applicationObject(project, r.application.metadata.name, r.application.metadata.namespace) };
  });
}

/** Options of an RBAC question: one app or all, one user (with groups) or every subject, and the action. */
export interface RbacQuestion {
  readonly dataDir: string;
  readonly app?: string;
  readonly user?: RbacUser;
  /** Default `sync`. */
  readonly action?: string;
}

/**
 * For each app (or the one asked), who may sync it per argocd-rbac-cm: every user and group the policy names, or
 * only the user asked (with their groups). No policy found is a report with no source and no apps' subjects.
 */
export async function rbacReport(fleet: FleetService, q: RbacQuestion): Promise<RbacReport> {
  const head = await fleet.repo.head();
  const loaded = loadRbacConfig({ dataDir: q.dataDir, tree: fleet.repo.treeAt(head.sha), treePaths: await fleet.repo.filePaths(head.sha) });
  const apps = await appObjects(fleet, q.app);
  if (!loaded.policy) return { problems: loaded.problems, apps: apps.map((a) => ({ ...a, subjects: [] })), ...(loaded.file ? { source: loaded.file } : {}) };
  const rbac = await ArgoRbac.create(loaded.policy);
  const action = q.action ?? 'sync';
  const { defaultRole } = loaded.policy;
  return {
    source: loaded.file ?? loaded.policy.source,
    ...(defaultRole ? { defaultRole } : {}),
    matchMode: loaded.policy.matchMode,
    problems: loaded.problems,
    apps: apps.map((a) => ({
      ...a,
      subjects: q.user
        ? [permission(q.user.name, rbac.can(q.user, 'applications', action, a.object), defaultRole)]
        : rbac.whoMay('applications', action, a.object).map(({ subject, decision }) => permission(subject, decision, defaultRole)),
    })),
  };
}
