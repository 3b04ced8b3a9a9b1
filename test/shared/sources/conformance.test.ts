// The Argo CD source-rendering corpus (../shared/conformance/argocd-sources): each case is a repository, an Application
// and the objects Argo CD's own repo-server code rendered (or the error it refused with). Every case is committed to a
// real git repository and rendered through renderApplication over git objects — the path `flotilla render --app`,
// status and sync use — with the Node-side tools this build has (a case needing a missing tool fails, it is not skipped).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GitRepository } from '../../../electron/services/git-repo';
import { sourceTools } from '../../../electron/services/sources/source-tools';
import { renderApplication } from '../../../shared/fleet/render-apps';
import type { Application } from '../../../shared/model/application';
import type { KubeObject } from '../../../shared/model/status';
import { withArgoTracking } from '../../../shared/sources/tracking';
import { commitAll, git, tempDir } from '../../helpers/git-fixtures';
import { conformanceDir } from '../../helpers/paths';

const dir = conformanceDir('argocd-sources');

interface CaseEntry {
  readonly name: string;
  readonly tags: readonly string[];
  readonly expected: 'objects' | 'error';
}

/** The pass rate below which the suite fails (a regression); raise it as the Helm and Jsonnet tools land. */
const FLOOR = 0.63;
/** Cases whose tags name a tool that lives on the Node side (Helm templater, Jsonnet evaluator). */
const TOOL_TAGS = ['helm', 'jsonnet'];

/**
 * The corpus on disk may hold symbolic links flattened to files whose content is the link target — what git stores
 * for a link. In cases tagged `symlink`, a one-line file naming a path (no whitespace, no colon, no final newline) is
 * committed back as the link it was.
 */
function restoreLinks(root: string): void {
  const visit = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (name === '.git') continue;
      if (statSync(full).isDirectory()) {
        visit(full);
        continue;
      }
      const text = readFileSync(full, 'utf8');
      if (/^[\x21-\x7e]+$/.test(text) && !text.includes(':')) {
        unlinkSync(full);
        symlinkSync(text, full);
      }
    }
  };
  visit(root);
}

/** The corpus is read-only; its copy must not be. */
function makeWritable(root: string): void {
  execFileSync('chmod', ['-R', 'u+w', root]);
}

/** A JSON value with keys sorted, as one string (objects compare as a multiset of these). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The object without `metadata.namespace` when it is the destination namespace (Flotilla fills it at render time). */
function dropDestNamespace(o: unknown, ns: string | undefined): unknown {
  const obj = JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
  const meta = obj['metadata'];
  if (ns && meta && typeof meta === 'object' && (meta as Record<string, unknown>)['namespace'] === ns) {
    delete (meta as Record<string, unknown>)['namespace'];
    // An object that had no metadata at all got one only to carry the namespace.
    if (Object.keys(meta).length === 0) delete obj['metadata'];
  }
  return obj;
}

/** The difference of two multisets of objects, for the failure report (undefined when equal). */
function multisetDiff(actual: readonly unknown[], expected: readonly unknown[], ns: string | undefined): string | undefined {
  const a = actual.map((o) => canonical(dropDestNamespace(o, ns))).sort();
  const e = expected.map((o) => canonical(dropDestNamespace(o, ns))).sort();
  const missing = e.filter((x) => !a.includes(x));
  const extra = a.filter((x) => !e.includes(x));
  if (a.length === e.length && missing.length === 0 && extra.length === 0) return undefined;
  return `${a.length} objects, expected ${e.length}; missing ${missing.slice(0, 2).join(' ').slice(0, 400)}; unexpected ${extra.slice(0, 2).join(' ').slice(0, 400)}`;
}

describe.skipIf(!dir)('Argo CD source-rendering corpus', () => {
  const work = tempDir('flotilla-argocd-sources-');
  afterAll(() => work.cleanup());

  it(`renders every case as Argo CD's repo-server does (all without Helm or Jsonnet, at least ${Math.round(FLOOR * 100)}% overall)`, async () => {
    const index = JSON.parse(readFileSync(path.join(dir!, 'index.json'), 'utf8')) as CaseEntry[];
    const repoDir = path.join(work.dir, 'repo');
    cpSync(path.join(dir!, index[0]!.name, 'repo'), repoDir, { recursive: true });
    makeWritable(repoDir);
    git(repoDir, 'init', '-q', '-b', 'main');
    commitAll(repoDir, 'init');
    const repo = await GitRepository.open(repoDir);
    const tools = sourceTools();
    const byTag = new Map<string, { pass: number; total: number }>();
    const failures: string[] = [];
    const ownFailures: string[] = [];
    let passed = 0;
    for (const c of index) {
      // Each case is one commit of the same repository: its tree exactly, symbolic links as links.
      for (const e of readdirSync(repoDir)) if (e !== '.git') rmSync(path.join(repoDir, e), { recursive: true, force: true });
      cpSync(path.join(dir!, c.name, 'repo'), repoDir, { recursive: true, verbatimSymlinks: true });
      makeWritable(repoDir);
      if (c.tags.includes('symlink')) restoreLinks(repoDir);
      git(repoDir, 'add', '-A');
      git(repoDir, 'commit', '-q', '--allow-empty', '-m', c.name);
      const sha = git(repoDir, 'rev-parse', 'HEAD').trim();
      const app = parse(readFileSync(path.join(dir!, c.name, 'app.yaml'), 'utf8')) as Application;
      const ns = app.spec.destination.namespace;
      const rendered = renderApplication(app, { treeAt: () => repo.treeAt(sha) }, { clusters: [], loadRestrictor: 'rootOnly', tools });
      const errors = rendered.problems.filter((p) => p.severity === 'error');
      let why: string | undefined;
      if (c.expected === 'error') {
        if (errors.length === 0) why = `rendered ${rendered.objects.length} objects; Argo CD refuses: ${readFileSync(path.join(dir!, c.name, 'expected-error.txt'), 'utf8').split('\n')[0]}`;
        else if (rendered.objects.length > 0) why = 'refused, yet returned objects';
      } else if (errors.length > 0) {
        why = `refused: ${errors.map((p) => `${p.file ?? ''}${p.line ? `:${p.line}` : ''} ${p.message}`).join('; ').slice(0, 300)}`;
      } else {
        const expected = JSON.parse(readFileSync(path.join(dir!, c.name, 'expected.json'), 'utf8')) as unknown[];
        why = multisetDiff(rendered.objects, expected, ns);
        const trackedFile = path.join(dir!, c.name, 'expected-tracked.json');
        if (!why && existsSync(trackedFile)) {
          const tracked = rendered.objects.map((o) => withArgoTracking(o as KubeObject, app.metadata.name, ns));
          const d = multisetDiff(tracked, JSON.parse(readFileSync(trackedFile, 'utf8')) as unknown[], ns);
          if (d) why = `tracking: ${d}`;
        }
      }
      if (!why) passed++;
      else {
        failures.push(`${c.name}: ${why}`);
        if (!c.tags.some((t) => TOOL_TAGS.includes(t))) ownFailures.push(c.name);
      }
      for (const tag of c.tags) {
        const t = byTag.get(tag) ?? { pass: 0, total: 0 };
        t.total++;
        if (!why) t.pass++;
        byTag.set(tag, t);
      }
    }
    const rate = passed / index.length;
    const tags = [...byTag.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([tag, t]) => `  ${tag}: ${t.pass}/${t.total} (${Math.round((100 * t.pass) / t.total)}%)`);
    console.log(`Argo CD source corpus: ${passed} passed, ${index.length - passed} failed (${(100 * rate).toFixed(1)}%)\n${tags.join('\n')}\nfailures:\n  ${failures.join('\n  ')}`);
    // Directory, Kustomize, overrides, multi-source without Helm, envsubst: every case, errors included.
    expect(ownFailures).toEqual([]);
    expect(rate).toBeGreaterThanOrEqual(FLOOR);
  }, 600_000);
});
