import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Command } from 'commander';
import { kustomizeBuild } from '../../../shared/kustomize';
import type { Problem } from '../../../shared/problem';
import { formatProblem } from '../../../shared/problem';
import { FleetService } from '../../services/fleet-service';
import { FsFileTree } from '../../services/fs-file-tree';
import { GitRepository } from '../../services/git-repo';
import { renderApps, renderAppsToDir } from '../../services/render-service';
import type { CliContext } from '../context';
import { action, cliKubeconfig, EXIT } from '../context';
import { timeoutArg } from '../durations';
import type { ClusterAccess } from '../../services/helm/capabilities';
import { printProblems } from '../output';
import { helmRunnerFor } from '../../services/helm/kustomize-helm-runner';

interface RenderOptions {
  readonly repo?: string;
  readonly revision?: string;
  readonly app?: string;
  readonly cluster?: string;
  readonly all?: boolean;
  readonly outDir?: string;
  readonly loadRestrictor?: string;
  readonly offline?: boolean;
  readonly kubeconfig?: string[];
  /** Milliseconds. */
  readonly timeout?: number;
}

/** `flotilla render`: what `kustomize build` prints, rendered in process; or a generated Application for its cluster. */
export function registerRender(program: Command, ctx: CliContext): void {
  program
    .command('render')
    .argument('[path]', 'a kustomization (or manifest folder) to build, like `kustomize build PATH`')
    .description('render a kustomization like `kustomize build`, or a generated Application for its cluster (--app, --cluster), or every app (--all -o DIR)')
    .option('--repo <dir>', 'the GitOps repository (default: the current directory)')
    .option('--revision <rev>', 'read the files at this git revision (branch, tag or sha) instead of the working tree')
    .option('--app <name>', 'render this generated Application (from HEAD, or --revision)')
    .option('--cluster <name>', 'with --app: the cluster the Application deploys to')
    .option('--all', 'render every generated Application')
    .option('-o, --out-dir <dir>', 'with --all: write <dir>/<cluster>/<app>.yaml')
    .option('--load-restrictor <mode>', 'LoadRestrictionsRootOnly (default) or LoadRestrictionsNone, as kustomize')
    .option('--offline', "with --app/--all: contact no cluster; Helm charts see the fleet file's kubernetesVersion, else helm's defaults")
    .option('--kubeconfig <file...>', "with --app/--all: kubeconfig to read the target clusters' version and API groups for Helm (default: $KUBECONFIG, else the running sandbox's, else ~/.kube/config)")
    .option('--timeout <duration>', 'deadline of each cluster call: 30s, 2m, 500ms (a plain number is seconds; default 10s)', timeoutArg())
    .action(
      action(ctx, async (target: string | undefined, opts: RenderOptions) => {
        // A PATH is read as kustomize reads it, against the current folder: `cd overlay && flotilla render .` works from
        // anywhere inside the repository.
        const fleet = await FleetService.open(opts.repo ?? (target !== undefined ? (GitRepository.topLevel(ctx.cwd) ?? ctx.cwd) : ctx.cwd));
        const root = fleet.repo.root;
        const problems: Problem[] = [];
        if (target !== undefined) {
          const abs = path.resolve(ctx.cwd, target);
          const rel = path.relative(root, existsSync(abs) ? realpathSync(abs) : abs).split(path.sep).join('/') || '.';
          if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) throw new Error(`${target} is outside the repository ${root}`);
          const tree = opts.revision ? fleet.repo.treeAt(opts.revision) : new FsFileTree(root);
          const helm = helmRunnerFor(tree);
          const r = kustomizeBuild(tree, rel, { loadRestrictor: opts.loadRestrictor === 'LoadRestrictionsNone' ? 'none' : 'rootOnly', ...(helm ? { helm } : {}) });
          problems.push(...r.problems);
          if (!r.problems.some((p) => p.severity === 'error')) ctx.io.out(r.yaml);
        } else {
          if (!opts.app && !opts.all) throw new Error('name a PATH to build, or --app NAME [--cluster C], or --all -o DIR');
          if (opts.all && !opts.outDir) throw new Error('--all needs -o DIR');
          // Helm charts see the target cluster's version and API groups, as Argo CD passes them, when it can be reached.
          const clusterAccess: ClusterAccess = opts.offline
            ? { offline: 'offline (--offline)' }
            : { kubeconfig: cliKubeconfig(ctx, { ...(opts.kubeconfig ? { flag: opts.kubeconfig } : {}) }), ...(opts.timeout ? { timeoutMs: opts.timeout } : {}) };
          const query = { ...(opts.revision ? { revision: opts.revision } : {}), ...(opts.app ? { app: opts.app } : {}), ...(opts.cluster ? { cluster: opts.cluster } : {}), clusterAccess };
          // Problems are printed as each app is rendered, so nothing grows with the number of apps.
          const report = (r: { readonly problems: readonly Problem[] }): void => {
            for (const p of r.problems) ctx.io.err(`${p.severity}: ${formatProblem(p)}\n`);
          };
          if (opts.all) {
            // A long, allocation-heavy loop in a process that ends with it: let V8 favour a small heap over speed (peak
            // memory about halves for 10-30% more CPU: 30,000 Applications peaked at 205 MB instead of 735 MB).
            setFlagsFromString('--optimize-for-size');
            const outDir = path.resolve(ctx.cwd, opts.outDir!);
            const s = await renderAppsToDir(fleet, query, outDir, report, { oneShot: true });
            ctx.io.err(`wrote ${s.written} of ${s.rendered} Applications to ${outDir}\n`);
            return s.failed > 0 ? EXIT.error : EXIT.ok;
          }
          const s = await renderApps(fleet, query, (r) => {
            // Which source type rendered each source, with which options (stderr: stdout stays the manifests).
            for (const src of r.sources) ctx.io.err(`${r.app}: source ${src.index}${r.sources.length > 1 ? ` of ${r.sources.length}` : ''}: ${src.description} → ${src.objects} object${src.objects === 1 ? '' : 's'}\n`);
            report(r);
            if (!r.problems.some((p) => p.severity === 'error')) ctx.io.out(r.yaml);
          });
          return s.failed > 0 ? EXIT.error : EXIT.ok;
        }
        printProblems(ctx.io, problems);
        return problems.some((p) => p.severity === 'error') ? EXIT.error : EXIT.ok;
      }),
    );
}
