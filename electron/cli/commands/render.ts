import path from 'node:path';
import type { Command } from 'commander';
import type { RenderedApp } from '../../../shared/fleet/render-apps';
import { kustomizeBuild } from '../../../shared/kustomize';
import type { Problem } from '../../../shared/problem';
import { formatProblem } from '../../../shared/problem';
import { FleetService } from '../../services/fleet-service';
import { FsFileTree } from '../../services/fs-file-tree';
import { renderApps, renderAppsToDir } from '../../services/render-service';
import type { CliContext } from '../context';
import { action, EXIT } from '../context';
import { helmRunnerFor } from '../../services/helm-runner';

interface RenderOptions {
  readonly repo?: string;
  readonly revision?: string;
  readonly app?: string;
  readonly cluster?: string;
  readonly all?: boolean;
  readonly outDir?: string;
  readonly loadRestrictor?: string;
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
    .action(
      action(ctx, async (target: string | undefined, opts: RenderOptions) => {
        const fleet = await FleetService.open(opts.repo ?? ctx.cwd);
        const root = fleet.repo.root;
        const problems: Problem[] = [];
        if (target !== undefined) {
          const rel = path.relative(root, path.resolve(ctx.cwd, target)).split(path.sep).join('/');
          if (rel.startsWith('..')) throw new Error(`${target} is outside the repository ${root}`);
          const tree = opts.revision ? fleet.repo.treeAt(opts.revision) : new FsFileTree(root);
          const helm = helmRunnerFor(tree);
          const r = kustomizeBuild(tree, rel, { loadRestrictor: opts.loadRestrictor === 'LoadRestrictionsNone' ? 'none' : 'rootOnly', ...(helm ? { helm } : {}) });
          problems.push(...r.problems);
          if (!r.problems.some((p) => p.severity === 'error')) ctx.io.out(r.yaml);
        } else {
          if (!opts.app && !opts.all) throw new Error('name a PATH to build, or --app NAME [--cluster C], or --all -o DIR');
          if (opts.all && !opts.outDir) throw new Error('--all needs -o DIR');
          const query = { ...(opts.revision ? { revision: opts.revision } : {}), ...(opts.app ? { app: opts.app } : {}), ...(opts.cluster ? { cluster: opts.cluster } : {}) };
          // Problems are printed as each app is rendered, so nothing grows with the number of apps.
          const report = (r: RenderedApp): void => {
            for (const p of r.problems) ctx.io.err(`${p.severity}: ${formatProblem(p)}\n`);
          };
          if (opts.all) {
            const outDir = path.resolve(ctx.cwd, opts.outDir!);
            const s = await renderAppsToDir(fleet, query, outDir, report);
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
        for (const p of problems) ctx.io.err(`${p.severity}: ${formatProblem(p)}\n`);
        return problems.some((p) => p.severity === 'error') ? EXIT.error : EXIT.ok;
      }),
    );
}
