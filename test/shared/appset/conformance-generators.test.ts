import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppSetCluster, AppSetContext, GitReader } from '../../../shared/appset/engine';
import type { ClusterDecisionSource } from '../../../shared/appset/generators/external';
import { generateParams, transform } from '../../../shared/appset/generators/generate';
import type { AppSetInfo, GeneratorFn, GeneratorKind } from '../../../shared/appset/generators/types';
import type { Params } from '../../../shared/model/params';
import type { KubeObject } from '../../../shared/model/status';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import { conformanceDir } from '../../helpers/paths';

/** One `kind: "generator"` case of the ApplicationSet corpus (see its README). */
interface GeneratorCase {
  readonly name: string;
  readonly generator_type: string;
  readonly generator: Record<string, unknown>;
  readonly context: CaseContext;
  readonly go_template: boolean;
  readonly go_template_options: readonly string[] | null;
  readonly entrypoint: string;
  readonly expected_params: Params[] | null;
  readonly expected_error: string | null;
  readonly error_match: 'exact' | 'contains' | 'any' | null;
  readonly expected_error_also?: readonly string[];
  readonly comparison: string | null;
}

interface CaseSecret {
  readonly name: string;
  readonly server: string;
  readonly project?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly secret_namespace?: string;
}

interface CaseContext {
  readonly controller_namespace?: string;
  readonly clusters?: readonly CaseSecret[];
  readonly cluster_list_error?: string;
  readonly git?: {
    readonly directories?: readonly string[];
    readonly files?: Record<string, string>;
    readonly files_mock?: string;
    readonly files_by_pattern?: Record<string, Record<string, string>>;
    readonly files_by_repo_and_pattern?: Record<string, Record<string, Record<string, string>>>;
    readonly error?: string;
  };
  readonly mock_generators?: Partial<Record<GeneratorKind, Params[]>>;
  readonly configmaps?: readonly { name: string; namespace?: string; data: Record<string, string> }[];
  readonly resources?: readonly KubeObject[];
}

const dir = conformanceDir('applicationset');
const cases: GeneratorCase[] = dir
  ? (JSON.parse(readFileSync(path.join(dir, 'cases.json'), 'utf8')) as (GeneratorCase & { kind: string })[]).filter((c) => c.kind === 'generator')
  : [];

/** Builds the AppSetContext a case describes, through the same interfaces the real readers implement. */
function contextFor(c: GeneratorCase): AppSetContext {
  const ctx = c.context;
  const ns = ctx.controller_namespace;
  const clusters: AppSetCluster[] = (ctx.clusters ?? [])
    .filter((s) => ns === undefined || s.secret_namespace === undefined || s.secret_namespace === ns)
    .map((s) => ({ name: s.name, server: s.server, ...(s.project !== undefined ? { project: s.project } : {}), labels: s.labels, annotations: s.annotations }));
  const git = ctx.git;
  const reader: GitReader = {
    treeAt(repoURL) {
      if (git?.error !== undefined) throw new Error(git.error);
      if (git?.files_by_repo_and_pattern) {
        const byPattern = git.files_by_repo_and_pattern[repoURL];
        if (!byPattern) throw new Error(`repository '${repoURL}' not found`);
        return new MemoryFileTree(Object.assign({}, ...Object.values(byPattern)) as Record<string, string>);
      }
      const files = git?.files ?? (Object.assign({}, ...Object.values(git?.files_by_pattern ?? {})) as Record<string, string>);
      return new MemoryFileTree(files);
    },
    ...(git?.directories
      ? {
          // The repo server's GetDirectories answer, verbatim (upstream mocks it; it may omit parent folders).
          directoriesAt(): readonly string[] {
            if (git.error !== undefined) throw new Error(git.error);
            return git.directories ?? [];
          },
        }
      : {}),
  };
  const overrides: Partial<Record<GeneratorKind, GeneratorFn>> = {};
  for (const [kind, list] of Object.entries(ctx.mock_generators ?? {}) as [GeneratorKind, Params[]][]) {
    overrides[kind] = () => ({ params: list.map((p) => ({ params: structuredClone(p), path: [kind] })), issues: [] });
  }
  const decisions: ClusterDecisionSource | undefined = ctx.configmaps
    ? {
        configMap: (name) => ctx.configmaps?.find((cm) => cm.name === name && (cm.namespace ?? ns) === ns)?.data,
        list: (apiVersion, resource) =>
          (ctx.resources ?? []).filter(
            (r) => r.apiVersion === apiVersion && `${String(r.kind).toLowerCase()}s` === resource && (r.metadata?.['namespace'] ?? ns) === ns,
          ),
      }
    : undefined;
  const base: AppSetContext = {
    clusters,
    git: reader,
    gitFileGlobbing: c.name.includes('WithNewGlobbing') ? 'doublestar' : 'git',
    generatorOverrides: overrides,
    ...(decisions ? { clusterDecisions: decisions } : {}),
  };
  if (ctx.cluster_list_error === undefined) return base;
  const message = ctx.cluster_list_error;
  return Object.defineProperty({ ...base }, 'clusters', {
    get(): never {
      throw new Error(message);
    },
  });
}

/** JSON with sorted keys: equality that ignores map key order. */
function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canon(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function sameMultiset(a: readonly unknown[], b: readonly unknown[]): boolean {
  const x = a.map(canon).sort();
  const y = b.map(canon).sort();
  return x.length === y.length && x.every((s, i) => s === y[i]);
}

function compare(kind: string | null, actual: readonly Params[], expected: readonly Params[]): boolean {
  switch (kind) {
    case 'equal':
    case 'equal_json':
      return canon(actual) === canon(expected);
    case 'set':
      return sameMultiset([...new Set(actual.map(canon))], [...new Set(expected.map(canon))]);
    case 'flat_elements_match':
      return (
        actual.length === 1 &&
        expected.length === 1 &&
        Array.isArray(actual[0]!['clusters']) &&
        sameMultiset(actual[0]!['clusters'] as unknown[], expected[0]!['clusters'] as unknown[])
      );
    case 'subset':
      return actual.length === expected.length && expected.every((e, i) => Object.entries(e).every(([k, v]) => canon(actual[i]![k]) === canon(v)));
    default:
      return sameMultiset(actual, expected);
  }
}

/** Go library messages (encoding/json, yaml, text/template) that a TypeScript port words its own way. */
const GO_LIBRARY_TEXT = /^(error unmarshaling JSON|error converting YAML|yaml:|json:|invalid character|template:)/;

/** The Argo CD-owned prefix of an expected error: its `: `-separated segments up to the first Go library message. */
function argoPrefix(expected: string): string {
  const segs = expected.split(': ');
  const i = segs.findIndex((s) => GO_LIBRARY_TEXT.test(s));
  return i <= 0 ? expected : segs.slice(0, i).join(': ') + ': ';
}

interface Outcome {
  readonly pass: boolean;
  /** Passed on the Argo CD-owned prefix of an exact error message rather than the whole text. */
  readonly prefixOnly?: boolean;
  readonly reason?: string;
}

function runCase(c: GeneratorCase): Outcome {
  const info: AppSetInfo = { name: 'set', goTemplate: c.go_template, ...(c.go_template_options ? { goTemplateOptions: c.go_template_options } : {}) };
  const ctx = contextFor(c);
  let params: Params[];
  let errors: string[];
  if (c.entrypoint === 'Transform') {
    const out = transform(c.generator, info, ctx);
    params = out.results.flatMap((r) => r.params.map((p) => p.params));
    errors = out.issues.filter((i) => i.severity === 'error').map((i) => i.message);
  } else {
    const out = generateParams(c.generator, info, ctx);
    params = out.params.map((p) => p.params);
    errors = out.issues.filter((i) => i.severity === 'error').map((i) => i.message);
  }
  if (c.expected_error !== null) {
    if (errors.length === 0) return { pass: false, reason: `expected error ${JSON.stringify(c.expected_error)}, got params ${canon(params).slice(0, 300)}` };
    const also = (c.expected_error_also ?? []).every((s) => errors.some((e) => e.includes(s)));
    const expected = c.expected_error;
    if (c.error_match === 'any') return { pass: true };
    if (c.error_match === 'contains') {
      return errors.some((e) => e.includes(expected)) && also ? { pass: true } : { pass: false, reason: `error ${JSON.stringify(errors)} does not contain ${JSON.stringify(expected)}` };
    }
    if (errors.includes(expected) && also) return { pass: true };
    const prefix = argoPrefix(expected);
    if (prefix !== expected && errors.some((e) => e.startsWith(prefix)) && also) return { pass: true, prefixOnly: true };
    return { pass: false, reason: `error ${JSON.stringify(errors)} is not ${JSON.stringify(expected)}` };
  }
  if (errors.length > 0) return { pass: false, reason: `unexpected error ${JSON.stringify(errors)}` };
  if (!compare(c.comparison, params, c.expected_params ?? [])) {
    return { pass: false, reason: `params (${c.comparison ?? 'elements_match'})\n      got      ${canon(params).slice(0, 900)}\n      expected ${canon(c.expected_params).slice(0, 900)}` };
  }
  return { pass: true };
}

/** Groups the runnable generators are counted in; clusterDecisionResource and plugin are counted apart. */
const CORE_GROUP: Record<string, string> = { list: 'list', clusters: 'clusters', 'git-directories': 'git', 'git-files': 'git', matrix: 'matrix', merge: 'merge' };

describe.skipIf(!dir)('ApplicationSet generator conformance (Argo CD generator tests)', () => {
  it('generates the params Argo CD generates for at least 95% of the list, clusters, git, matrix and merge cases', () => {
    const byType = new Map<string, { passed: number; failed: number; prefixOnly: number; failures: string[] }>();
    let corePassed = 0;
    let coreTotal = 0;
    for (const c of cases) {
      let outcome: Outcome;
      try {
        outcome = runCase(c);
      } catch (err) {
        outcome = { pass: false, reason: `threw ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` };
      }
      const t = byType.get(c.generator_type) ?? { passed: 0, failed: 0, prefixOnly: 0, failures: [] };
      byType.set(c.generator_type, t);
      if (outcome.pass) t.passed++;
      else {
        t.failed++;
        t.failures.push(`${c.name}: ${outcome.reason ?? ''}`);
      }
      if (outcome.prefixOnly) t.prefixOnly++;
      if (CORE_GROUP[c.generator_type]) {
        coreTotal++;
        if (outcome.pass) corePassed++;
      }
    }
    const lines: string[] = [];
    for (const [type, t] of [...byType].sort()) {
      const apart = CORE_GROUP[type] ? '' : ' (counted apart)';
      lines.push(`${type}${apart}: ${t.passed} passed, ${t.failed} failed${t.prefixOnly ? ` (${t.prefixOnly} on the Argo CD-owned prefix of an exact error)` : ''}`);
      for (const f of t.failures) lines.push(`  FAIL ${f}`);
    }
    lines.push(`list+clusters+git+matrix+merge: ${corePassed} passed, ${coreTotal - corePassed} failed`);
    console.log(lines.join('\n'));
    expect(coreTotal).toBe(114);
    expect(corePassed / coreTotal).toBeGreaterThanOrEqual(0.95);
    for (const group of new Set(Object.values(CORE_GROUP))) {
      const types = Object.keys(CORE_GROUP).filter((t) => CORE_GROUP[t] === group);
      const passed = types.reduce((n, t) => n + (byType.get(t)?.passed ?? 0), 0);
      const total = types.reduce((n, t) => n + (byType.get(t)?.passed ?? 0) + (byType.get(t)?.failed ?? 0), 0);
      expect({ group, rate: passed / total >= 0.95 }).toEqual({ group, rate: true });
    }
  });
});
