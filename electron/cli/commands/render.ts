import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { appRefusals } from '../../../shared/fleet/discover';
import { renderApplication } from '../../../shared/fleet/render-apps';
import { kustomizeBuild } from '../../../shared/kustomize';
import type { Problem } from '../../../shared/problem';
import { formatProblem } from '../../../shared/problem';
import { FleetService } from '../../services/fleet-service';
import { FsFileTree } from '../../services/fs-file-tree';
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
          const head = opts.revision ?? 'HEAD';
          const { scan, git, clusters, fleet: found } = await fleet.discovery();
          let rows = found.apps;
          if (opts.app) {
            rows = rows.filter((a) => a.name === opts.app);
            if (rows.length === 0) throw new Error(`no Application named ${opts.app} at ${head} (try \`flotilla apps\`)`);
          }
          const rendered = rows.map((row) => ({ row, r: renderApplication(row.application, git, { clusters, loadRestrictor: scan.fleet.loadRestrictor, helmFor: helmRunnerFor }) }));
          const chosen = opts.cluster ? rendered.filter(({ r }) => r.cluster === opts.cluster) : rendered;
          if (opts.cluster && chosen.length === 0) throw new Error(`${opts.app ?? 'no Application'} does not deploy to cluster ${opts.cluster} (it deploys to: ${rendered.map(({ r }) => r.cluster ?? 'a cluster outside the fleet').join(', ')})`);
          // Argo CD's repo server renders whatever the project says; the project's refusals are reported beside the output.
          for (const { row, r } of chosen) problems.push(...r.problems, ...appRefusals(found, row, r.objects, clusters));
          const selected = chosen.map(({ row, r }) => ({ ...r, app: row.name }));
          if (opts.all) {
            if (!opts.outDir) throw new Error('--all needs -o DIR');
            let written = 0;
            for (const r of selected) {
              if (r.problems.some((p) => p.severity === 'error')) continue;
              const dir = path.resolve(ctx.cwd, opts.outDir, r.cluster ?? '_outside-fleet');
              mkdirSync(dir, { recursive: true });
              writeFileSync(path.join(dir, `${r.app.replace(/\//g, '_')}.yaml`), r.yaml);
              written++;
            }
            ctx.io.err(`wrote ${written} of ${selected.length} Applications to ${path.resolve(ctx.cwd, opts.outDir)}\n`);
          } else {
            for (const r of selected) if (!r.problems.some((p) => p.severity === 'error')) ctx.io.out(r.yaml);
          }
        }
        for (const p of problems) ctx.io.err(`${p.severity}: ${formatProblem(p)}\n`);
        return problems.some((p) => p.severity === 'error') ? EXIT.error : EXIT.ok;
      }),
    );
}
