import type { Command } from 'commander';
import { normalizePath } from '../../../shared/repo/paths';
import { FleetService } from '../../services/fleet-service';
import type { CliContext } from '../context';
import { action, EXIT, outputOption, repoOption } from '../context';
import type { OutputFormat } from '../output';
import { formatTable, printData, printProblems } from '../output';

/** `flotilla generate`: the Applications the repository's ApplicationSets generate, locally, with why. */
export function registerGenerate(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('generate')
    .description('generate the Applications of the ApplicationSets at HEAD, as Argo CD would (no server, no cluster); -o json prints the Application objects')
    .option('--appset <file>', 'only the ApplicationSets in this repository file')
    .option('--explain', 'add the generator path and parameters that produced each Application');
  repoOption(outputOption(cmd)).action(
    action(ctx, async (opts: { repo?: string; appset?: string; explain?: boolean; output: OutputFormat }) => {
      const fleet = await FleetService.open(opts.repo ?? ctx.cwd);
      const overview = await fleet.overview();
      const wanted = opts.appset === undefined ? undefined : normalizePath(opts.appset);
      const appsets = wanted === undefined ? overview.appsets : overview.appsets.filter((s) => s.file === wanted);
      if (wanted !== undefined && appsets.length === 0) {
        const known = [...new Set(overview.appsets.map((s) => s.file))].join(', ') || 'none';
        ctx.io.err(`error: no ApplicationSet in ${opts.appset} at ${overview.repo.head.short} (files with ApplicationSets: ${known})\n`);
        return EXIT.error;
      }
      const apps = appsets.flatMap((s) => s.apps);
      const data = apps.map((a) =>
        opts.explain ? { ...a.application, explain: { applicationSet: a.appset, generators: a.explain.generatorPath, generatorIndex: a.explain.generatorIndex, params: a.explain.params } } : a.application,
      );
      printData(ctx.io, opts.output, data, () =>
        formatTable(
          ['appset', 'application', 'destination', 'namespace', 'path', ...(opts.explain ? ['generators', 'params'] : [])],
          apps.map((a) => {
            const spec = a.application.spec;
            return [
              a.appset,
              a.name,
              spec.destination.name ?? spec.destination.server ?? '',
              spec.destination.namespace ?? '',
              spec.source?.path ?? '',
              ...(opts.explain ? [`${a.explain.generatorIndex}:${a.explain.generatorPath.join('/')}`, JSON.stringify(a.explain.params)] : []),
            ];
          }),
        ),
      );
      const problems = [...(wanted === undefined ? overview.problems : overview.problems.filter((p) => p.file === wanted)), ...appsets.flatMap((s) => s.problems)];
      printProblems(ctx.io, problems);
      if (appsets.length === 0) {
        ctx.io.err(`error: no ApplicationSets found in ${overview.repo.path}\n`);
        return EXIT.error;
      }
      return problems.some((p) => p.severity === 'error') ? EXIT.error : EXIT.ok;
    }),
  );
}
