import type { Command } from 'commander';
import type { AppClusterHistory, HistoryEvent } from '../../../shared/report/model';
import { FleetStore } from '../../store/fleet-store';
import { storeFile } from '../../store/location';
import type { CliContext } from '../context';
import { action, EXIT, outputOption } from '../context';
import type { OutputFormat } from '../output';
import { formatAge } from '../../../shared/report/coverage';
import { formatTable, printData } from '../output';
import { dataDirOption } from './refresh';

/** One line describing an event. */
export function describeEvent(e: HistoryEvent): string {
  switch (e.kind) {
    case 'drift-began':
      return `drift began at ${e.detail.revision.slice(0, 7)} (${e.detail.driftedResources} resource(s))`;
    case 'drift-ended':
      return `drift ended at ${e.detail.revision.slice(0, 7)} after ${formatAge(e.detail.durationMs)}`;
    case 'health-changed':
      return `health ${e.detail.from} → ${e.detail.to}${e.detail.message ? `: ${e.detail.message}` : ''}`;
    case 'sync-run':
      return `sync ${e.detail.phase} at ${e.detail.revision.slice(0, 7)}${e.detail.message ? `: ${e.detail.message}` : ''}`;
    case 'promotion':
      return `promotion of ${e.detail.revision.slice(0, 7)} ${e.detail.from ? `${e.detail.from} → ` : 'to '}${e.detail.to}${e.detail.message ? `: ${e.detail.message}` : ''}`;
  }
}

function historyText(h: AppClusterHistory): string {
  let text = `${h.app} on ${h.cluster}${h.environment ? ` (${h.environment})` : ''}\n\n`;
  text += formatTable(
    ['since', 'until', 'revision', 'sync', 'health', 'drifted', 'error'],
    h.timeline.map((t) => [t.since, t.until ?? 'now', t.revision.slice(0, 7), t.sync, t.health.status, `${t.driftedCount}/${t.resourceCount}`, t.error ?? '']),
  );
  if (h.events.length) text += '\n' + formatTable(['at', 'event'], h.events.map((e) => [e.at, describeEvent(e)]));
  if (h.driftEpisodes.length) {
    text += '\n' + formatTable(['drift began', 'fixed', 'took'], h.driftEpisodes.map((d) => [d.began, d.ended ?? 'not yet', d.durationMs !== undefined ? formatAge(d.durationMs) : '']));
  }
  return text;
}

/** `flotilla history APP [--cluster C]`: an app's recorded states, events and drift episodes, from the store alone. */
export function registerHistory(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('history')
    .argument('<app>', 'the Application')
    .option('--cluster <name>', 'only this cluster')
    .option('--at <time>', 'what was running at this ISO 8601 time: the revision and the recorded manifests (Secret values masked)')
    .option('--environment <env>', 'with --at: only the clusters of this environment (e.g. prod)')
    .description("show an app's recorded history per cluster: its states over time, events (drift, health, syncs, promotions) and how long drift took to fix; with --at, what was running then; reads only the store");
  dataDirOption(outputOption(cmd)).action(
    action(ctx, async (app: string, opts: { cluster?: string; at?: string; environment?: string; dataDir?: string; output: OutputFormat }) => {
      const file = storeFile(opts.dataDir);
      const store = FleetStore.open(file, { readonly: true });
      try {
        if (opts.at !== undefined) {
          if (Number.isNaN(Date.parse(opts.at))) throw new Error(`--at expects an ISO 8601 time such as 2026-11-23T10:00:00Z, got "${opts.at}"`);
          const running = store.runningAt({ at: opts.at, app, ...(opts.cluster !== undefined ? { cluster: opts.cluster } : {}), ...(opts.environment !== undefined ? { environment: opts.environment } : {}) });
          if (running.length === 0) throw new Error(`nothing of ${app} was recorded as running at ${opts.at}${opts.environment ? ` in ${opts.environment}` : ''} in ${file}`);
          printData(ctx.io, opts.output, running, () =>
            formatTable(['app', 'cluster', 'environment', 'revision', 'observed', 'manifests'], running.map((r) => [r.app, r.cluster, r.environment ?? '', r.revision.slice(0, 12), r.observedAt, r.manifests.map((m) => `${m.kind}/${m.name}`).join(' ')])));
          return EXIT.ok;
        }
        const histories = store.history(app, opts.cluster !== undefined ? { cluster: opts.cluster } : {});
        if (histories.length === 0) {
          const apps = store.apps();
          throw new Error(`no history of ${app}${opts.cluster !== undefined ? ` on ${opts.cluster}` : ''} in ${file} (apps recorded: ${apps.join(', ') || 'none; run `flotilla refresh` first'})`);
        }
        printData(ctx.io, opts.output, histories, () => histories.map(historyText).join('\n'));
        return EXIT.ok;
      } finally {
        store.close();
      }
    }),
  );
}
