import type { KubeObject } from '../../../shared/model/status';
import type { ClusterConnection } from './connection';

// Why a workload's Pods do not run: the reason and message of the first container that waits (ErrImagePull,
// CrashLoopBackOff, …) or exited with an error, as `kubectl describe` shows it. A Deployment's own health only says
// that its rollout passed the deadline; this names the cause.

/** Kinds whose Pods are selected by `spec.selector.matchLabels`. */
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Rollout']);

/** Reasons of a container that is simply starting, not failing. */
const STARTING = new Set(['ContainerCreating', 'PodInitializing']);

/** `Pod NAME: REASON: message` for the first failing container of a workload's Pods, or undefined when none fails. */
export async function podFailureReason(conn: ClusterConnection, workload: KubeObject): Promise<string | undefined> {
  if (!WORKLOADS.has(workload.kind ?? '')) return undefined;
  const meta = (workload.metadata ?? {}) as { namespace?: string };
  const labels = (workload as { spec?: { selector?: { matchLabels?: Record<string, string> } } }).spec?.selector?.matchLabels;
  if (!meta.namespace || !labels || !Object.keys(labels).length) return undefined;
  const selector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
  const q = new URLSearchParams({ labelSelector: selector, limit: '50' });
  let pods: KubeObject[];
  try {
    pods = (await conn.request<{ items?: KubeObject[] }>({ path: `/api/v1/namespaces/${encodeURIComponent(meta.namespace)}/pods?${q}` })).items ?? [];
  } catch {
    return undefined; // not readable (forbidden): the workload's own health stands
  }
  for (const pod of pods) {
    const status = (pod as { status?: { containerStatuses?: { name: string; state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; message?: string; exitCode?: number } } }[] } }).status;
    for (const c of status?.containerStatuses ?? []) {
      const w = c.state?.waiting;
      if (w?.reason && !STARTING.has(w.reason)) return `Pod ${String((pod.metadata as { name?: string }).name)}: ${w.reason}${w.message ? `: ${w.message}` : ''}`;
      const t = c.state?.terminated;
      if (t && t.exitCode !== 0) return `Pod ${String((pod.metadata as { name?: string }).name)}: ${t.reason ?? 'Error'} (exit code ${t.exitCode})${t.message ? `: ${t.message}` : ''}`;
    }
  }
  return undefined;
}
