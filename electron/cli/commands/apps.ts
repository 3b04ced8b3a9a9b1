import type { Command } from 'commander';
import { formatProblem } from '../../../shared/problem';
import { FleetService } from '../../services/fleet-service';
import type { CliContext } from '../context';
import { action, EXIT, outputOption, repoOption } from '../context';
import type { OutputFormat } from '../output';
import { formatTable, printData, printProblems } from '../output';

/** `flotilla apps`: the ApplicationSets of the repository and the apps they generate. */
export function registerApps(program: Command, ctx: CliContext): void {
  const cmd = program.command('apps').description('list the ApplicationSets found in the repository and the Applications they generate');
  repoOption(outputOption(cmd)).action(
    action(ctx, async (opts: { repo?: string; output: OutputFormat }) => {
      const fleet = await FleetService.open(opts.repo ?? ctx.cwd);
      const overview = await fleet.overview();
      const problems = [...overview.problems, ...overview.appsets.flatMap((s) => s.problems)];
      const data = overview.appsets.map((s) => ({
        appset: s.name,
        file: s.file,
        generators: s.generators,
        apps: s.apps.map((a) => ({
          name: a.name,
          project: a.application.spec.project,
          destination: a.application.spec.destination,
          source: a.application.spec.source ?? a.application.spec.sources,
        })),
        problems: s.problems.map(formatProblem),
      }));
      printData(ctx.io, opts.output, data, () => {
        const rows = overview.appsets.flatMap((s) =>
          s.apps.map((a) => {
            const spec = a.application.spec;
            return [s.name, a.name, spec.project, spec.destination.server ?? spec.destination.name ?? '', spec.destination.namespace ?? '', spec.source?.path ?? ''];
          }),
        );
        return `repository ${overview.repo.path} at ${overview.repo.head.short}${overview.repo.head.branch ? ` (${overview.repo.head.branch})` : ''}\n` + formatTable(['appset', 'app', 'project', 'destination', 'namespace', 'path'], rows);
      });
      printProblems(ctx.io, problems);
      if (overview.appsets.length === 0) {
        ctx.io.err(`error: no ApplicationSets found in ${overview.repo.path} (looked in ${overview.repo.fleet?.applicationSets.join(', ')})\n`);
        return EXIT.error;
      }
      return problems.some((p) => p.severity === 'error') ? EXIT.error : EXIT.ok;
    }),
  );
}
