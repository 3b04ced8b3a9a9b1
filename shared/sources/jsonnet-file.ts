import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import { problem } from '../problem';
import { normalizePath } from '../repo/paths';
import { argoEnvsubst } from './helm-options';
import type { JsonnetRequest, SourceInput } from './types';

// One `.jsonnet` file of a directory source, evaluated as Argo CD's repo-server does (`makeJsonnetVM` in
// `reposerver/repository`): `directory.jsonnet.tlas` / `extVars` (values env-substituted, `code: true` as code),
// the source path then `libs` (repo-root relative) as library folders; the result is one object or a list of objects.

/** The objects a Jsonnet file evaluates to, or Problems naming the file and line. */
export function renderJsonnetFile(input: SourceInput, file: string): { readonly objects: KubeObject[]; readonly problems: Problem[] } {
  const where = { app: input.app, file };
  const evaluator = input.tools.jsonnet;
  if (!evaluator) return { objects: [], problems: [problem('jsonnet is not installed: .jsonnet files need go-jsonnet (scripts/jsonnet-bin.sh builds it, or set FLOTILLA_JSONNET)', where)] };
  const request = jsonnetRequest(input, file);
  if ('problem' in request) return { objects: [], problems: [{ ...request.problem, ...where }] };
  const out = evaluator.evaluate(request.request);
  if ('error' in out) return { objects: [], problems: [jsonnetProblem(out.error, input.app, file)] };
  let value: unknown;
  try {
    value = JSON.parse(out.json);
  } catch (err) {
    return { objects: [], problems: [problem(`jsonnet printed something that is not JSON: ${(err as Error).message}`, where)] };
  }
  if (Array.isArray(value)) {
    // null items contribute nothing, as in Argo CD; anything else that is not an object is refused.
    const bad = value.findIndex((v) => v !== null && (typeof v !== 'object' || Array.isArray(v)));
    if (bad >= 0) return { objects: [], problems: [problem(`jsonnet evaluation of ${file} returned a list whose item ${bad} is not an object`, where)] };
    return { objects: (value as (KubeObject | null)[]).filter((v): v is KubeObject => v !== null).flatMap(flattenList), problems: [] };
  }
  if (typeof value === 'object' && value !== null) return { objects: flattenList(value as KubeObject), problems: [] };
  return { objects: [], problems: [problem(`jsonnet evaluation of ${file} returned ${value === null ? 'null' : typeof value}, not an object or a list of objects`, where)] };
}

// `kind: List` (and typed lists) become their items; a list whose items are null contributes nothing.
function flattenList(obj: KubeObject): KubeObject[] {
  if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && 'items' in obj) {
    const items = obj.items;
    return Array.isArray(items) ? items.filter((i): i is KubeObject => typeof i === 'object' && i !== null && !Array.isArray(i)).flatMap(flattenList) : [];
  }
  return [obj];
}

/** The evaluator request for a file: library folders `[source path, ...libs]` as Argo CD orders its JPaths. */
export function jsonnetRequest(input: SourceInput, file: string): { readonly request: JsonnetRequest } | { readonly problem: Problem } {
  const dir = input.source.directory;
  const j = typeof dir === 'object' && dir !== null ? (dir as { jsonnet?: unknown }).jsonnet : undefined;
  const js: Record<string, unknown> = typeof j === 'object' && j !== null && !Array.isArray(j) ? (j as Record<string, unknown>) : {};
  const vars = (key: 'tlas' | 'extVars'): JsonnetRequest['tlas'] | string => {
    const list = js[key];
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) return `spec.source.directory.jsonnet.${key} must be a list`;
    const out: { name: string; value: string; code: boolean }[] = [];
    for (const [i, v] of list.entries()) {
      const e = v as { name?: unknown; value?: unknown; code?: unknown } | null;
      if (!e || typeof e.name !== 'string' || e.name === '') return `spec.source.directory.jsonnet.${key}[${i}].name must be a non-empty string`;
      out.push({ name: e.name, value: argoEnvsubst(typeof e.value === 'string' ? e.value : e.value === undefined || e.value === null ? '' : String(e.value), input.env), code: e.code === true });
    }
    return out;
  };
  const tlas = vars('tlas');
  if (typeof tlas === 'string') return { problem: problem(tlas) };
  const extVars = vars('extVars');
  if (typeof extVars === 'string') return { problem: problem(extVars) };
  const libs: string[] = [input.path];
  const rawLibs = js.libs;
  if (rawLibs !== undefined && rawLibs !== null) {
    if (!Array.isArray(rawLibs) || rawLibs.some((l) => typeof l !== 'string')) return { problem: problem('spec.source.directory.jsonnet.libs must be a list of strings') };
    for (const l of rawLibs as string[]) {
      const p = normalizePath(l);
      if (p === undefined) return { problem: problem(`jsonnet library folder ${l} is outside the repository`) };
      libs.push(p);
    }
  }
  return { request: { tree: input.tree, file, libs, extVars, tlas } };
}

/** A go-jsonnet error as a Problem: the first `file:line:col` it names (the failing spot), and its message. */
export function jsonnetProblem(error: string, app: string, file: string): Problem {
  const text = error.trim();
  const m = /(?:^|\s)([^\s:]+\.(?:jsonnet|libsonnet|json)):(\d+):(\d+)/.exec(text);
  const first = text.split('\n')[0] ?? text;
  if (!m) return problem(`jsonnet: ${first}`, { app, file });
  return problem(`jsonnet: ${text.split('\n').slice(0, 3).join(' ').replace(/\s+/g, ' ')}`, { app, file: m[1]!, line: Number(m[2]), column: Number(m[3]) });
}
