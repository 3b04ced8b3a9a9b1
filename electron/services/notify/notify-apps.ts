// The fleet's Applications in Argo CD's shape for notification triggers: each recorded app × cluster of the latest
// snapshot with its spec at HEAD, its last sync run as `status.operationState` and its last health change as
// `status.health.lastTransitionTime`. An app recorded but no longer generated at HEAD carries a deletionTimestamp.
import type { ObservedApp, OperationRecord, NotifyApp } from '../../../shared/notify';
import { argoApplication } from '../../../shared/notify';
import type { Application } from '../../../shared/model/application';
import type { AppClusterSummary, HistoryEvent } from '../../../shared/report/model';

function operationOf(e: HistoryEvent & { kind: 'sync-run' }): OperationRecord {
  const d = e.detail;
  return {
    phase: d.phase === 'Terminated' ? 'Failed' : d.phase,
    startedAt: d.startedAt ?? e.at,
    finishedAt: e.at,
    revision: d.revision,
    message: d.message ?? (d.phase === 'Succeeded' ? 'successfully synced (all tasks run)' : 'the sync failed'),
    ...(d.by ? { initiatedBy: d.by } : {}),
  };
}

/** Builds the Argo CD–shaped Applications of the fleet from what the store recorded and HEAD generates. */
export function notifyApps(generated: readonly Application[], recorded: readonly AppClusterSummary[], events: readonly HistoryEvent[], now: string): NotifyApp[] {
  const byName = new Map(generated.map((a) => [a.metadata.name, a]));
  const ops = new Map<string, OperationRecord>();
  const healthSince = new Map<string, string>();
  for (const e of events) {
    const key = `${e.cluster ?? ''}/${e.app}`;
    if (e.kind === 'sync-run') ops.set(key, operationOf(e));
    else if (e.kind === 'health-changed') healthSince.set(key, e.at);
  }
  return recorded.map((s) => {
    const key = `${s.cluster}/${s.app}`;
    const app: Application = byName.get(s.app) ?? {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: s.app },
      spec: { project: 'default', destination: { name: s.cluster } },
    };
    const seen: ObservedApp = {
      cluster: s.cluster,
      sync: s.sync,
      revision: s.revision,
      health: s.health.status,
      ...(s.health.message ? { healthMessage: s.health.message } : {}),
      ...(healthSince.has(key) ? { healthSince: healthSince.get(key)! } : {}),
      observedAt: s.observedAt,
      ...(s.error ? { error: s.error } : {}),
      ...(ops.has(key) ? { operation: ops.get(key)! } : {}),
    };
    const object = argoApplication(app, seen);
    if (!byName.has(s.app)) (object.metadata as Record<string, unknown>).deletionTimestamp = now;
    return { key, object };
  });
}
