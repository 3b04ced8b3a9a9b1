import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { HelmChartRequest, HelmTemplater } from '../../../shared/sources/types';
import { collectChartFiles } from './chart-files';
import { ChartRepositoryCache } from './chart-repository';
import { helmEnv, helmError, helmVersion } from './helm-binary';
import type { RenderCacheLimits } from './render-cache';
import { RenderCache } from './render-cache';

/** How the templater runs helm and where it keeps its caches. */
export interface HelmTemplaterOptions {
  /** The helm binary. */
  readonly helm: string;
  /** Flotilla's data folder: pulled charts in `helm/charts`, rendered output in `helm/rendered`; none keeps the cache in memory only. */
  readonly dataDir?: string;
  /** Per helm run (default 60 s). */
  readonly timeoutMs?: number;
  /** What one `helm template` may print (default 64 MB). */
  readonly maxOutputBytes?: number;
  readonly cacheLimits?: RenderCacheLimits;
}

/** What the templater did since it was made (tests and the benchmark read it). */
export interface HelmTemplaterStats {
  /** `helm template` runs. */
  templates: number;
  /** `helm dependency build` runs. */
  dependencyBuilds: number;
  /** Renders answered from the cache. */
  cacheHits: number;
}

/** A HelmTemplater that also reports what it ran and holds its caches. */
export interface CachingHelmTemplater extends HelmTemplater {
  readonly stats: HelmTemplaterStats;
  readonly renderCache: RenderCache;
  readonly charts: ChartRepositoryCache;
}

const MISSING_DEPENDENCY = /found in (?:Chart|requirements)\.yaml, but missing in charts\/ directory/;

/**
 * Runs `helm template` as Argo CD's repo-server does, for charts read from a FileTree (the chart folder and its local
 * `file://` dependencies are written to a temporary folder laid out as in the repository) or pulled from a Helm / OCI
 * repository into the chart cache. `helm dependency build` runs when declared dependencies are not vendored. Output
 * is cached by the content of everything helm reads (chart files, values, options, release, namespace, capabilities,
 * helm's version), so an unchanged chart renders without running helm.
 */
export function createHelmTemplater(options: HelmTemplaterOptions): CachingHelmTemplater {
  const timeout = options.timeoutMs ?? 60_000;
  const maxBuffer = options.maxOutputBytes ?? 64 * 1024 * 1024;
  const helmDir = options.dataDir ? path.join(options.dataDir, 'helm') : undefined;
  const helmHome = helmDir ? path.join(helmDir, 'home') : path.join(os.tmpdir(), `flotilla-helm-home-${process.pid}`);
  const renderCache = new RenderCache(helmDir ? path.join(helmDir, 'rendered') : undefined, options.cacheLimits);
  const charts = new ChartRepositoryCache(helmDir ? path.join(helmDir, 'charts') : path.join(os.tmpdir(), `flotilla-helm-charts-${process.pid}`), options.helm, helmHome, timeout * 2);
  const stats: HelmTemplaterStats = { templates: 0, dependencyBuilds: 0, cacheHits: 0 };
  let version: string | undefined;

  const run = (args: string[], cwd: string): string => execFileSync(options.helm, args, { cwd, encoding: 'utf8', timeout, maxBuffer, stdio: ['ignore', 'pipe', 'pipe'], env: helmEnv(helmHome) });

  return {
    stats,
    renderCache,
    charts,
    template(req: HelmChartRequest) {
      const hash = createHash('sha256');
      let files: ReadonlyMap<string, Uint8Array> | undefined;
      let hasDependencies = false;
      let archive: string | undefined;
      try {
        if (req.remote) {
          const pulled = charts.pull(req.remote);
          archive = pulled.archive;
          hash.update(`remote\u0000${req.remote.repoURL}\u0000${req.remote.chart}\u0000${pulled.version}\u0000`).update(readFileSync(archive));
        } else if (req.tree && req.chartPath !== undefined) {
          const collected = collectChartFiles(req.tree, req.chartPath);
          files = collected.files;
          hasDependencies = collected.hasDependencies;
          hash.update(`chart\u0000${req.chartPath}\u0000`);
          for (const [p, bytes] of files) hash.update(`${p}\u0000${bytes.length}\u0000`).update(bytes);
        } else return { error: 'a Helm render needs a chart folder or a chart repository' };
      } catch (err) {
        return { error: err instanceof Error ? err.message : String(err) };
      }
      const { tree: _tree, ...rest } = req;
      hash.update(JSON.stringify({ ...rest, helm: (version ??= helmVersion(options.helm)) }));
      const key = hash.digest('hex');
      const cached = renderCache.get(key);
      if (cached !== undefined) {
        stats.cacheHits++;
        return { manifests: cached };
      }

      const tmp = mkdtempSync(path.join(os.tmpdir(), 'flotilla-helm-'));
      const repoRoot = path.join(tmp, 'repo');
      try {
        let chartDir: string;
        if (files) {
          for (const [p, bytes] of files) {
            const target = path.join(repoRoot, p);
            mkdirSync(path.dirname(target), { recursive: true });
            writeFileSync(target, bytes);
          }
          chartDir = path.join(repoRoot, req.chartPath!);
          mkdirSync(chartDir, { recursive: true });
        } else {
          mkdirSync(repoRoot, { recursive: true });
          execFileSync('tar', ['-xzf', archive!, '-C', repoRoot], { timeout, stdio: ['ignore', 'ignore', 'pipe'] });
          const top = readdirSync(repoRoot, { withFileTypes: true }).filter((e) => e.isDirectory());
          if (top.length !== 1) return { error: `chart archive ${path.basename(archive!)} does not hold exactly one chart folder` };
          chartDir = path.join(repoRoot, top[0]!.name);
        }
        const args = ['template', '.', '--name-template', req.releaseName];
        if (req.namespace) args.push('--namespace', req.namespace);
        if (req.kubeVersion) args.push('--kube-version', req.kubeVersion);
        req.set.forEach((s, i) => {
          if (s.kind === 'set-file') {
            const f = path.join(tmp, `set-file-${i}`);
            writeFileSync(f, s.value);
            args.push('--set-file', `${s.name}=${f}`);
          } else args.push(`--${s.kind}`, `${s.name}=${s.value}`);
        });
        for (const v of req.chartValueFiles ?? []) {
          const f = path.resolve(chartDir, v);
          if (!f.startsWith(chartDir + path.sep)) return { error: `value file ${v} is outside the chart` };
          args.push('--values', f);
        }
        req.valueFiles.forEach((text, i) => {
          const f = path.join(tmp, `values-${i}.yaml`);
          writeFileSync(f, text);
          args.push('--values', f);
        });
        for (const v of req.apiVersions) args.push('--api-versions', v);
        if (req.includeCrds) args.push('--include-crds');
        if (req.skipSchemaValidation) args.push('--skip-schema-validation');
        if (req.skipTests) args.push('--skip-tests');
        let manifests: string;
        try {
          stats.templates++;
          manifests = run(args, chartDir);
        } catch (err) {
          const first = helmError(err);
          if (!hasDependencies || !MISSING_DEPENDENCY.test(first)) throw err;
          stats.dependencyBuilds++;
          // As Argo CD's repo-server does before `helm dependency build`: every http(s) dependency repository is added,
          // so helm names a repository it cannot reach instead of saying none is cached.
          for (const url of dependencyRepositories(chartDir)) {
            try {
              run(['repo', 'add', '--force-update', `flotilla-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`, url], chartDir);
            } catch (addErr) {
              throw new Error(`chart dependencies cannot be fetched: helm repo add ${url} failed: ${helmError(addErr)}`, { cause: addErr });
            }
          }
          run(['dependency', 'build'], chartDir);
          stats.templates++;
          manifests = run(args, chartDir);
        }
        renderCache.set(key, manifests);
        return { manifests };
      } catch (err) {
        return { error: (err instanceof Error && !('stderr' in err) ? err.message : helmError(err)).split(`${repoRoot}${path.sep}`).join('').split(tmp).join('<tmp>') };
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
  };
}

/** The http(s) repositories of a chart's declared dependencies (Chart.yaml, else requirements.yaml), in order, once each. */
function dependencyRepositories(chartDir: string): string[] {
  const out: string[] = [];
  for (const file of ['Chart.yaml', 'requirements.yaml']) {
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(path.join(chartDir, file), 'utf8'));
    } catch {
      continue; // absent, or helm's to report
    }
    const deps = typeof doc === 'object' && doc !== null ? (doc as { dependencies?: unknown }).dependencies : undefined;
    if (!Array.isArray(deps)) continue;
    for (const d of deps) {
      const repo = typeof d === 'object' && d !== null ? (d as { repository?: unknown }).repository : undefined;
      if (typeof repo === 'string' && /^https?:\/\//i.test(repo) && !out.includes(repo)) out.push(repo);
    }
    if (out.length > 0) break;
  }
  return out;
}
