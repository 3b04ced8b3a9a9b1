import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { HelmRunner, HelmTemplateRequest } from '../../shared/kustomize';
import type { FileTree } from '../../shared/repo/file-tree';
import { walkFiles } from '../../shared/repo/file-tree';

let found: string | null | undefined;

/** The helm binary: `$FLOTILLA_HELM`, else `helm` on the PATH, else `~/go/bin/helm`; null when there is none. */
export function findHelm(): string | null {
  if (found !== undefined) return found;
  const candidates = [process.env.FLOTILLA_HELM, 'helm', path.join(os.homedir(), 'go', 'bin', 'helm')].filter((c): c is string => !!c);
  for (const c of candidates) {
    try {
      execFileSync(c, ['version', '--short'], { stdio: 'ignore', timeout: 10_000 });
      return (found = c);
    } catch {
      // not this one
    }
  }
  return (found = null);
}

/**
 * A HelmRunner for kustomize's `helmCharts`, reading charts from `tree` (working tree or git objects): the chart folder
 * and values are written to a temporary folder and `helm template` runs there, with a timeout. Undefined when helm is
 * not installed, so the build says so plainly.
 */
export function helmRunnerFor(tree: FileTree, timeoutMs = 60_000): HelmRunner | undefined {
  // helm is looked for when a chart is first templated, not here: most builds have no helmCharts, and
  // `helm version` costs a process start on every command.
  return {
    template(req: HelmTemplateRequest) {
      const helm = findHelm();
      if (!helm) return { error: 'helm is not installed: helmCharts need a Helm runner (install helm and let Flotilla find it)' };
      const dir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-helm-'));
      try {
        let chart = req.chart;
        if (req.chartPath !== undefined) {
          chart = path.join(dir, 'chart', path.basename(req.chartPath));
          for (const f of walkFiles(tree, req.chartPath)) {
            const target = path.join(chart, f.slice(req.chartPath.length + 1));
            mkdirSync(path.dirname(target), { recursive: true });
            writeFileSync(target, tree.readBytes(f)!);
          }
        }
        const args = ['template', req.releaseName, chart];
        if (req.chartPath === undefined && req.repo) args.push('--repo', req.repo);
        if (req.version && req.chartPath === undefined) args.push('--version', req.version);
        if (req.namespace) args.push('--namespace', req.namespace);
        if (req.includeCRDs) args.push('--include-crds');
        if (req.skipTests) args.push('--skip-tests');
        for (const v of req.apiVersions) args.push('--api-versions', v);
        if (req.kubeVersion) args.push('--kube-version', req.kubeVersion);
        req.valuesFiles.forEach((text, i) => {
          const f = path.join(dir, `values-${i}.yaml`);
          writeFileSync(f, text);
          args.push('--values', f);
        });
        if (req.valuesInline !== undefined) {
          const f = path.join(dir, 'values-inline.yaml');
          writeFileSync(f, stringify(req.valuesInline));
          args.push('--values', f);
        }
        args.push(...req.extraArgs);
        const manifests = execFileSync(helm, args, { cwd: dir, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HELM_CACHE_HOME: path.join(dir, 'cache'), HELM_CONFIG_HOME: path.join(dir, 'config'), HELM_DATA_HOME: path.join(dir, 'data') } });
        return { manifests };
      } catch (err) {
        const e = err as { stderr?: string; message?: string };
        return { error: (e.stderr || e.message || String(err)).trim().split('\n').slice(-3).join(' ') };
      } finally {
        if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
