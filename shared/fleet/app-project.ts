import { isClusterScoped, parseApiVersion } from '../kustomize/resource';
import type { Application, ApplicationSource } from '../model/application';
import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import { problem } from '../problem';
import { isRecord } from '../yaml/documents';
import { CONTROL_PLANE_NAMESPACE } from './app-name';

// Argo CD's AppProject rules (pkg/apis/application/v1alpha1 `IsSourcePermitted`, `isDestinationMatched`,
// `IsGroupKindPermitted`, `IsAppNamespacePermitted`), written from their documented semantics: sources and
// destinations are globs that may be denied with a leading `!`; cluster-scoped kinds need a whitelist entry,
// namespaced kinds are allowed unless a whitelist is given and misses them, and a blacklist always wins.

/** A group/kind pattern of a resource list (Go `filepath.Match` globs on both). */
export interface GroupKindPattern {
  readonly group: string;
  readonly kind: string;
}

/** One allowed (or, with `!`, denied) destination of a project. */
export interface ProjectDestination {
  readonly server?: string;
  readonly name?: string;
  readonly namespace?: string;
}

/** An AppProject as the rules read it, with where it was declared. */
export interface AppProjectSpec {
  readonly name: string;
  readonly sourceRepos: readonly string[];
  readonly destinations: readonly ProjectDestination[];
  /** Namespaces (besides the control plane's) whose Applications may use the project. */
  readonly sourceNamespaces: readonly string[];
  readonly clusterResourceWhitelist: readonly GroupKindPattern[];
  readonly clusterResourceBlacklist: readonly GroupKindPattern[];
  /** Absent (not empty) means every namespaced kind, as Argo CD's nil list. */
  readonly namespaceResourceWhitelist?: readonly GroupKindPattern[];
  readonly namespaceResourceBlacklist: readonly GroupKindPattern[];
  readonly file?: string;
  readonly line?: number;
}

/** The project every Argo CD has when none named `default` is declared: everything is allowed. */
export const DEFAULT_PROJECT: AppProjectSpec = {
  name: 'default',
  sourceRepos: ['*'],
  destinations: [{ server: '*', name: '*', namespace: '*' }],
  sourceNamespaces: [],
  clusterResourceWhitelist: [{ group: '*', kind: '*' }],
  clusterResourceBlacklist: [],
  namespaceResourceBlacklist: [],
};

/** Reads an AppProject document; problems name the file, line and field. */
export function parseAppProject(doc: Record<string, unknown>, where: { readonly file: string; readonly line: number }): { project?: AppProjectSpec; problems: Problem[] } {
  const problems: Problem[] = [];
  const bad = (msg: string): void => void problems.push(problem(`AppProject: ${msg}`, where));
  const meta = isRecord(doc.metadata) ? doc.metadata : {};
  if (typeof meta.name !== 'string' || meta.name === '') {
    bad('metadata.name must be a non-empty string');
    return { problems };
  }
  const spec = isRecord(doc.spec) ? doc.spec : {};
  const strings = (field: string): string[] => {
    const v = spec[field];
    if (v === undefined || v === null) return [];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    bad(`spec.${field} must be a list of strings (project ${meta.name as string})`);
    return [];
  };
  const kinds = (field: string): GroupKindPattern[] | undefined => {
    const v = spec[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      bad(`spec.${field} must be a list of {group, kind} (project ${meta.name as string})`);
      return [];
    }
    return v.flatMap((x, i) => {
      if (!isRecord(x) || typeof x.kind !== 'string') {
        bad(`spec.${field}[${i}] needs a string kind (project ${meta.name as string})`);
        return [];
      }
      return [{ group: typeof x.group === 'string' ? x.group : '', kind: x.kind }];
    });
  };
  const sourceRepos = strings('sourceRepos');
  const rawDest = spec.destinations;
  const destinations: ProjectDestination[] = [];
  if (Array.isArray(rawDest)) {
    rawDest.forEach((d, i) => {
      if (!isRecord(d)) return bad(`spec.destinations[${i}] must be a mapping (project ${meta.name as string})`);
      destinations.push({
        ...(typeof d.server === 'string' ? { server: d.server } : {}),
        ...(typeof d.name === 'string' ? { name: d.name } : {}),
        ...(typeof d.namespace === 'string' ? { namespace: d.namespace } : {}),
      });
    });
  } else if (rawDest !== undefined && rawDest !== null) bad(`spec.destinations must be a list (project ${meta.name as string})`);
  const nsWhite = kinds('namespaceResourceWhitelist');
  return {
    project: {
      name: meta.name,
      sourceRepos,
      destinations,
      sourceNamespaces: strings('sourceNamespaces'),
      clusterResourceWhitelist: kinds('clusterResourceWhitelist') ?? [],
      clusterResourceBlacklist: kinds('clusterResourceBlacklist') ?? [],
      ...(nsWhite ? { namespaceResourceWhitelist: nsWhite } : {}),
      namespaceResourceBlacklist: kinds('namespaceResourceBlacklist') ?? [],
      file: where.file,
      line: where.line,
    },
    problems,
  };
}

/** Whether the project lets an Application use a source repository (`sourceRepos`, with `!` denials). */
export function isSourcePermitted(project: AppProjectSpec, repoURL: string): boolean {
  return memo(sourceMemo, project, repoURL, () => sourcePermitted(project, repoURL));
}

// A fleet's thousands of apps share a few repositories and destinations: each answer is computed once per project.
const MEMO_MAX = 10_000;
const sourceMemo = new WeakMap<AppProjectSpec, Map<string, boolean>>();
const destinationMemo = new WeakMap<AppProjectSpec, Map<string, boolean>>();

function memo(cache: WeakMap<AppProjectSpec, Map<string, boolean>>, project: AppProjectSpec, key: string, compute: () => boolean): boolean {
  let byKey = cache.get(project);
  if (!byKey) {
    byKey = new Map();
    cache.set(project, byKey);
  }
  let got = byKey.get(key);
  if (got === undefined) {
    got = compute();
    if (byKey.size >= MEMO_MAX) byKey.clear(); // the default project lives as long as the process: stay bounded
    byKey.set(key, got);
  }
  return got;
}

function sourcePermitted(project: AppProjectSpec, repoURL: string): boolean {
  const src = normalizeGitURL(repoURL);
  let any = false;
  for (const raw of project.sourceRepos) {
    const deny = raw.startsWith('!');
    const pattern = deny ? '!' + normalizeGitURL(raw.slice(1)) : normalizeGitURL(raw);
    const matched = globMatch(pattern, src, '/');
    if (matched) any = true;
    else if (deny) return false;
  }
  return any;
}

/** Whether the project lets an Application deploy to a destination (server or name, and namespace; `!` denies). */
export function isDestinationPermitted(project: AppProjectSpec, dst: ProjectDestination): boolean {
  // Only `*` patterns (the default project's): answered without a glob, so a memo key per destination costs more.
  if (wildcardsOnly(project)) return destinationPermitted(project, dst);
  return memo(destinationMemo, project, JSON.stringify([dst.name ?? '', dst.server ?? '', dst.namespace ?? '']), () => destinationPermitted(project, dst));
}

const wildcardMemo = new WeakMap<AppProjectSpec, boolean>();

/** Whether every destination pattern of a project is `*` (matches without compiling a glob). */
function wildcardsOnly(project: AppProjectSpec): boolean {
  let got = wildcardMemo.get(project);
  if (got === undefined) {
    got = project.destinations.every((d) => d.name === '*' && d.server === '*' && d.namespace === '*');
    wildcardMemo.set(project, got);
  }
  return got;
}

function destinationPermitted(project: AppProjectSpec, dst: ProjectDestination): boolean {
  let any = false;
  let denied = false;
  for (const item of project.destinations) {
    const nameMatched = !!dst.name && globMatch(item.name ?? '', dst.name);
    const serverMatched = !!dst.server && globMatch(item.server ?? '', dst.server);
    const nsMatched = globMatch(item.namespace ?? '', dst.namespace ?? '');
    if ((serverMatched || nameMatched) && nsMatched) any = true;
    else if ((!nameMatched && isDeny(item.name)) || (!serverMatched && isDeny(item.server)) || (!nsMatched && isDeny(item.namespace))) denied = true;
  }
  return any && !denied;
}

/** Whether the project lets an Application deploy a kind (cluster-scoped: whitelist needed; namespaced: whitelist if given; blacklist wins). */
export function isGroupKindPermitted(project: AppProjectSpec, gk: GroupKindPattern, namespaced: boolean): boolean {
  if (namespaced) {
    const white = project.namespaceResourceWhitelist;
    const listed = white === undefined || (white.length > 0 && inList(gk, white));
    return listed && !inList(gk, project.namespaceResourceBlacklist);
  }
  return inList(gk, project.clusterResourceWhitelist) && !inList(gk, project.clusterResourceBlacklist);
}

/** Whether an Application in `namespace` may use the project (the control plane's always may; others need `sourceNamespaces`). */
export function isAppNamespacePermitted(project: AppProjectSpec, namespace: string | undefined, controlPlane = CONTROL_PLANE_NAMESPACE): boolean {
  if (!namespace || namespace === controlPlane) return true;
  return project.sourceNamespaces.some((p) => globMatch(p, namespace));
}

/** The projects of a repository by name; `default` allows everything unless the repository declares it. */
export function projectIndex(projects: readonly AppProjectSpec[]): ReadonlyMap<string, AppProjectSpec> {
  const out = new Map<string, AppProjectSpec>([['default', DEFAULT_PROJECT]]);
  for (const p of projects) out.set(p.name, p);
  return out;
}

/** The project an Application names (`default` when it names none); undefined when the repository declares no such project. */
export function projectOf(app: Application, projects: ReadonlyMap<string, AppProjectSpec>): AppProjectSpec | undefined {
  return projects.get(app.spec.project || 'default');
}

/**
 * Why Argo CD would refuse an Application's spec under its project, in Argo CD's words: a namespace not allowed to
 * use it, a source repository or a destination it does not permit (errors); a project the repository does not
 * declare (a warning: it may exist in the cluster). Empty: allowed.
 * `destination` may add the server or name Argo CD resolves from the other (the fleet cluster's).
 */
export function projectRefusals(app: Application, name: string, projects: ReadonlyMap<string, AppProjectSpec>, destination: ProjectDestination = app.spec.destination): Problem[] {
  const projectName = app.spec.project || 'default';
  const project = projects.get(projectName);
  // A project the repository does not declare may still exist in Argo CD: warn, and check nothing against it.
  if (!project) return [{ ...problem(`application references project ${projectName} which does not exist in the repository (Argo CD refuses the app unless the project exists in its cluster)`, { app: name }), severity: 'warning' }];
  const out: Problem[] = [];
  const where = { app: name, ...(project.file ? { file: project.file } : {}), ...(project.line ? { line: project.line } : {}) };
  if (!isAppNamespacePermitted(project, app.metadata.namespace)) {
    out.push(problem(`application '${app.metadata.name}' in namespace '${app.metadata.namespace}' is not permitted to use project '${projectName}'`, where));
  }
  const sources: readonly ApplicationSource[] = app.spec.sources ?? (app.spec.source ? [app.spec.source] : []);
  for (const s of sources) if (!isSourcePermitted(project, s.repoURL)) out.push(problem(`application repo ${s.repoURL} is not permitted in project '${projectName}'`, where));
  if (!isDestinationPermitted(project, destination)) {
    const target = destination.server ? `server '${destination.server}'` : `name '${destination.name ?? ''}'`;
    out.push(problem(`application destination ${target} and namespace '${destination.namespace ?? ''}' do not match any of the allowed destinations in project '${projectName}'`, where));
  }
  return out;
}

/**
 * The rendered objects the project forbids, as Argo CD reports them (`resource group:kind is not permitted in
 * project p`), including namespaced objects aimed at a namespace outside the project's destinations.
 */
export function resourceRefusals(app: Application, name: string, project: AppProjectSpec, objects: readonly KubeObject[], destination: ProjectDestination = app.spec.destination): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const o of objects) {
    const kind = typeof o.kind === 'string' ? o.kind : '';
    const { group, version } = parseApiVersion(typeof o.apiVersion === 'string' ? o.apiVersion : '');
    const namespaced = !isClusterScoped({ group, version, kind });
    const ns = namespaced ? (typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : destination.namespace ?? '') : '';
    const resource = `${group}/${kind}/${ns}/${typeof o.metadata?.name === 'string' ? o.metadata.name : ''}`;
    let message: string | undefined;
    if (!isGroupKindPermitted(project, { group, kind }, namespaced)) message = `resource ${group}:${kind} is not permitted in project ${project.name}`;
    else if (namespaced && ns && !isDestinationPermitted(project, { ...destination, namespace: ns })) message = `namespace ${ns} is not permitted in project '${project.name}'`;
    if (message === undefined || seen.has(`${message}\n${resource}`)) continue;
    seen.add(`${message}\n${resource}`);
    out.push(problem(message, { app: name, resource }));
  }
  return out;
}

/** Argo CD's `git.NormalizeGitURL`: lower case, `git@host:path` as `host/path`, no `ssh://` and no `.git` suffix. */
export function normalizeGitURL(url: string): string {
  let u = url.trim().toLowerCase();
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(u) && /^[^@/\s]+@[^:/\s]+:/.test(u)) u = u.replace(':', '/');
  u = u.replace(/^ssh:\/\//, '');
  if (u.endsWith('.git')) u = u.slice(0, -4);
  return u;
}

function isDeny(p: string | undefined): boolean {
  return p !== undefined && p.startsWith('!');
}

function inList(gk: GroupKindPattern, list: readonly GroupKindPattern[]): boolean {
  return list.some((p) => goMatch(p.kind, gk.kind) && goMatch(p.group, gk.group));
}

/** Argo CD's `globMatch`: a leading `!` negates; `*` alone matches anything; else a gobwas glob (separators optional). */
function globMatch(pattern: string, value: string, separator?: '/'): boolean {
  if (pattern.startsWith('!')) return !compileGlob(pattern.slice(1), separator).test(value);
  if (pattern === '*') return true;
  return compileGlob(pattern, separator).test(value);
}

const globCache = new Map<string, RegExp>();

/** A gobwas/glob pattern as a RegExp: `*` (not across the separator), `**`, `?`, `[...]`/`[!...]`, `{a,b}`, `\\` escapes. */
function compileGlob(pattern: string, separator?: '/'): RegExp {
  const key = `${separator ?? ''}\n${pattern}`;
  let re = globCache.get(key);
  if (re) return re;
  const any = separator ? '[^/]' : '[\\s\\S]';
  let src = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) src += escapeRe(pattern[++i]!);
    else if (c === '*') {
      if (pattern[i + 1] === '*') {
        src += '[\\s\\S]*';
        i++;
      } else src += `${any}*`;
    } else if (c === '?') src += any;
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) src += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        const negate = body.startsWith('!');
        if (negate) body = body.slice(1);
        src += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
        i = end;
      }
    } else if (c === '{') {
      src += '(?:';
      depth++;
    } else if (c === '}' && depth > 0) {
      src += ')';
      depth--;
    } else if (c === ',' && depth > 0) src += '|';
    else src += escapeRe(c);
  }
  while (depth-- > 0) src += ')';
  try {
    re = new RegExp(`^${src}$`);
  } catch {
    re = /(?!)/;
  }
  globCache.set(key, re);
  return re;
}

/** Go's `filepath.Match` on a resource group or kind (no separators in either). */
function goMatch(pattern: string, value: string): boolean {
  return compileGlob(pattern.replace(/[{}]/g, '\\$&')).test(value);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
