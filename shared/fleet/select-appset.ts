import { CONTROL_PLANE_NAMESPACE } from './app-name';

// `flotilla generate --appset X`: X names a repository file (every ApplicationSet in it), or one ApplicationSet by
// `namespace/name` or by `name`. A name that two ApplicationSets share (in different files or namespaces) is refused
// with the ways to tell them apart, never answered with both.

/** What the selection needs of an ApplicationSet. */
export interface AppSetRef {
  readonly name: string;
  readonly namespace?: string;
  readonly file: string;
  readonly line: number;
}

/** The ApplicationSets `--appset` selects, or why it selects none. */
export type AppSetSelection<T> = { readonly appsets: readonly T[]; readonly by: 'file' | 'name' } | { readonly error: string };

/** Selects ApplicationSets by file path, `namespace/name` or `name` (an ApplicationSet without a namespace is in argocd). */
export function selectAppSets<T extends AppSetRef>(all: readonly T[], wanted: string, controlPlane = CONTROL_PLANE_NAMESPACE): AppSetSelection<T> {
  const byFile = all.filter((s) => s.file === wanted);
  if (byFile.length > 0) return { appsets: byFile, by: 'file' };
  const slash = wanted.indexOf('/');
  const ns = slash < 0 ? undefined : wanted.slice(0, slash);
  const name = slash < 0 ? wanted : wanted.slice(slash + 1);
  const named = all.filter((s) => s.name === name && (ns === undefined || (s.namespace ?? controlPlane) === ns));
  if (named.length === 1) return { appsets: named, by: 'name' };
  const where = (s: T): string => `${s.file}:${s.line} in namespace ${s.namespace ?? controlPlane}`;
  if (named.length > 1) {
    const first = named[0]!;
    const namespaces = new Set(named.map((s) => s.namespace ?? controlPlane));
    const hint = namespaces.size === named.length ? ` or by namespace/name (--appset ${first.namespace ?? controlPlane}/${first.name})` : '';
    return { error: `--appset ${wanted} is ambiguous: ${named.length} ApplicationSets are named ${name} (${named.map(where).join('; ')}); name one by its file (--appset ${first.file})${hint}` };
  }
  const files = [...new Set(all.map((s) => s.file))].join(', ') || 'none';
  const names = [...new Set(all.map((s) => (s.namespace && s.namespace !== controlPlane ? `${s.namespace}/${s.name}` : s.name)))].join(', ') || 'none';
  return { error: `no ApplicationSet in file or named ${wanted} (ApplicationSets: ${names}; in files: ${files})` };
}
