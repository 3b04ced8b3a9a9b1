import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { fleetClusters, generateAll } from '../../../shared/fleet/overview';
import { renderApplication } from '../../../shared/fleet/render-apps';
import { kustomizeBuild } from '../../../shared/kustomize';
import type { Problem } from '../../../shared/problem';
import { FleetService } from '../../services/fleet-service';
import { FsFileTree } from '../../services/fs-file-tree';
import { localGitReader } from '../../services/git-reader';
import { GitRepository } from '../../services/git-repo';
import type { CliContext } from '../context';
import { action, EXIT } from '../context';
import { printProblems } from '../output';
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
          const head = opts.revision ?? 'HEAD';
          const { scan } = await fleet.scanHead();
          const git = localGitReader(fleet.repo, scan.fleet.repoURLs);
          const clusters = fleetClusters(scan);
          const gen = generateAll(scan, git);
          let apps = gen.appsets.flatMap((s) => s.apps.map((a) => a.application));
          if (opts.app) {
            apps = apps.filter((a) => a.metadata.name === opts.app);
            if (apps.length === 0) throw new Error(`no generated Application named ${opts.app} at ${head} (try \`flotilla generate\`)`);
          }
          const rendered = apps.map((a) => renderApplication(a, git, { clusters, loadRestrictor: scan.fleet.loadRestrictor, helmFor: helmRunnerFor }));
          const selected = opts.cluster ? rendered.filter((r) => r.cluster === opts.cluster) : rendered;
          if (opts.cluster && selected.length === 0) throw new Error(`${opts.app ?? 'no Application'} does not deploy to cluster ${opts.cluster} (it deploys to: ${rendered.map((r) => r.cluster ?? 'a cluster outside the fleet').join(', ')})`);
          for (const r of selected) problems.push(...r.problems);
          if (opts.all) {
            if (!opts.outDir) throw new Error('--all needs -o DIR');
            let written = 0;
            for (const r of selected) {
              if (r.problems.some((p) => p.severity === 'error')) continue;
              const dir = path.resolve(ctx.cwd, opts.outDir, r.cluster ?? '_outside-fleet');
              mkdirSync(dir, { recursive: true });
              writeFileSync(path.join(dir, `${r.app}.yaml`), r.yaml);
              written++;
            }
            ctx.io.err(`wrote ${written} of ${selected.length} Applications to ${path.resolve(ctx.cwd, opts.outDir)}\n`);
          } else {
            for (const r of selected) if (!r.problems.some((p) => p.severity === 'error')) ctx.io.out(r.yaml);
          }
        }
        printProblems(ctx.io, problems);
        return problems.some((p) => p.severity === 'error') ? EXIT.error : EXIT.ok;
      }),
    );
}
