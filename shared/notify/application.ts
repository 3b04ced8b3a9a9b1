// Application objects in Argo CD's shape (metadata, spec, status.sync, status.health, status.operationState,
// status.conditions) built from what Flotilla knows of an app on a cluster, for notification triggers to read.
import type { Application } from '../model/application';
import type { HealthStatus, SyncStatus } from '../model/status';

/** The last sync operation Flotilla ran (or a promotion synced) for an app on a cluster. */
export interface OperationRecord {
  readonly phase: 'Running' | 'Succeeded' | 'Failed' | 'Error';
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly revision: string;
  readonly message: string;
  /** Who started it (`flotilla promote`, a UI user). */
  readonly initiatedBy?: string;
}

/** What Flotilla observed of one app on one cluster. */
export interface ObservedApp {
  readonly cluster: string;
  readonly sync: SyncStatus;
  readonly revision: string;
  readonly health: HealthStatus;
  readonly healthMessage?: string;
  /** When health last changed to its current status (ISO). */
  readonly healthSince?: string;
  readonly observedAt: string;
  /** Why the status is Unknown (unreachable cluster, render failure). */
  readonly error?: string;
  readonly operation?: OperationRecord;
}

/** The Argo CD–shaped Application object of `app` on its cluster. */
export function argoApplication(app: Application, seen: ObservedApp): Record<string, unknown> {
  const op = seen.operation;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: app.metadata.name,
      namespace: app.metadata.namespace ?? 'argocd',
      labels: { ...(app.metadata.labels ?? {}) },
      annotations: { ...(app.metadata.annotations ?? {}) },
    },
    spec: { ...app.spec, destination: { ...app.spec.destination, ...(app.spec.destination.name || app.spec.destination.server ? {} : { name: seen.cluster }) } },
    status: {
      sync: { status: seen.sync, revision: seen.revision },
      health: { status: seen.health, ...(seen.healthMessage ? { message: seen.healthMessage } : {}), lastTransitionTime: seen.healthSince ?? seen.observedAt },
      reconciledAt: seen.observedAt,
      ...(seen.error ? { conditions: [{ type: 'ComparisonError', message: seen.error, lastTransitionTime: seen.observedAt }] } : {}),
      ...(op
        ? {
            operationState: {
              phase: op.phase,
              message: op.message,
              startedAt: op.startedAt,
              ...(op.finishedAt ? { finishedAt: op.finishedAt } : {}),
              operation: { sync: { revision: op.revision }, initiatedBy: { username: op.initiatedBy ?? 'flotilla' } },
              syncResult: { revision: op.revision },
            },
          }
        : {}),
    },
  };
}
