// Kubernetes events of an app's objects as Argo CD's app page lists them: those whose involvedObject is one of the
// app's objects or their children, warnings first, then the most recent first.

import type { KubeObject } from '../model/status';

/** One Kubernetes event, as the app page shows it. */
export interface KubeEventView {
  readonly type: 'Normal' | 'Warning' | string;
  readonly reason: string;
  readonly message: string;
  /** The object it is about. */
  readonly object: { readonly kind: string; readonly namespace: string; readonly name: string; readonly uid: string };
  readonly count: number;
  /** ISO time it was last seen. */
  readonly lastSeen: string;
  /** The component that reported it (deployment-controller, default-scheduler, kubelet...). */
  readonly source: string;
}

function rec(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

function s(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** An events.k8s.io or core/v1 Event as a view (core/v1 field names, which the API server serves for both). */
export function eventView(e: KubeObject): KubeEventView {
  const o = rec(e['involvedObject'] ?? e['regarding']);
  const src = rec(e['source']);
  const series = rec(e['series']);
  const lastSeen = s(e['lastTimestamp']) || s(series['lastObservedTime']) || s(e['eventTime']) || s(rec(e.metadata)['creationTimestamp']);
  const count = typeof e['count'] === 'number' ? e['count'] : typeof series['count'] === 'number' ? series['count'] : 1;
  return {
    type: s(e['type']) || 'Normal',
    reason: s(e['reason']),
    message: s(e['message'] ?? e['note']),
    object: { kind: s(o['kind']), namespace: s(o['namespace']), name: s(o['name']), uid: s(o['uid']) },
    count,
    lastSeen,
    source: s(src['component']) || s(e['reportingComponent']) || s(e['reportingController']),
  };
}

/** The events about any of the given objects (by uid, or by kind/namespace/name when an event has no uid), warnings first, newest first. */
export function eventsFor(events: readonly KubeObject[], objects: readonly { readonly uid: string; readonly kind: string; readonly namespace: string; readonly name: string }[]): KubeEventView[] {
  const uids = new Set(objects.map((o) => o.uid).filter(Boolean));
  const names = new Set(objects.map((o) => `${o.kind}/${o.namespace}/${o.name}`));
  const out = events.map(eventView).filter((e) => (e.object.uid ? uids.has(e.object.uid) : names.has(`${e.object.kind}/${e.object.namespace}/${e.object.name}`)));
  return out.sort((a, b) => Number(b.type === 'Warning') - Number(a.type === 'Warning') || b.lastSeen.localeCompare(a.lastSeen));
}
