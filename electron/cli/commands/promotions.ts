import type { Command } from 'commander';
import { PromotionService } from '../../services/promotion/promotion-service';
import type { CliContext } from '../context';
import { action, EXIT, outputOption, repoOption } from '../context';
import type { OutputFormat } from '../output';
import { formatTable, printData } from '../output';
import { promotionDataDirOption, promotionStoreFile } from './promote';

/** `flotilla promotions`: the recorded promotions, newest first (who, what, from, to, when, commit, result). */
export function registerPromotions(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('promotions')
    .option('--limit <n>', 'how many (default 50)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`--limit expects a whole number, got "${v}"`);
      return n;
    })
    .description("show the repository's promotion history from the store: who promoted what from which stage to which, when, the commit and the result");
  repoOption(promotionDataDirOption(outputOption(cmd))).action(
    action(ctx, async (opts: { limit?: number; dataDir?: string; repo?: string; output: OutputFormat }) => {
      const svc = await PromotionService.open(opts.repo ?? ctx.cwd, { storeFile: promotionStoreFile(opts.dataDir) });
      const rows = svc.history(opts.limit ?? 50);
      printData(ctx.io, opts.output, rows, () =>
        rows.length === 0
          ? 'no promotions recorded yet\n'
          : formatTable(
              ['id', 'when', 'by', 'from', 'to', 'apps', 'commit', 'result'],
              rows.map((r) => [
                String(r.id), r.startedAt, r.by, r.from, r.to, r.apps.join(','), r.commit?.slice(0, 7) ?? '',
                r.result + (r.rollbackOf !== undefined ? ` (rollback of #${r.rollbackOf})` : '') + (r.rolledBackBy !== undefined ? ` (rolled back by #${r.rolledBackBy})` : ''),
              ]),
            ),
      );
      return EXIT.ok;
    }),
  );
}
