import type { JsonPath } from '../yaml/node-position';

// Where a workload keeps its Pod template, for the lint checks and the security score: Pods, the apps/v1 and batch
// controllers, CronJobs (one level deeper) and Argo Rollouts.

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A workload's Pod spec, with its path in the object and what surrounds it. */
export interface PodTemplate {
  readonly spec: Json;
  /** Path of `spec` inside the object (`['spec', 'template', 'spec']`). */
  readonly path: JsonPath;
  /** Labels of the Pod template (a Pod's own labels). */
  readonly labels: Readonly<Record<string, unknown>>;
  /** `spec.replicas` of a scalable workload (default 1), undefined for others. */
  readonly replicas?: number;
}

/** One container (or init container) of a Pod spec with its path. */
export interface ContainerAt {
  readonly container: Json;
  readonly path: JsonPath;
  readonly name: string;
  readonly init: boolean;
}

const TEMPLATED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'Rollout']);
const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Rollout']);

/** The Pod template of a workload, or undefined for objects that run no Pods. */
export function podTemplateOf(obj: Json): PodTemplate | undefined {
  const kind = obj.kind;
  const spec = isObj(obj.spec) ? obj.spec : undefined;
  if (!spec || typeof kind !== 'string') return undefined;
  if (kind === 'Pod') return { spec, path: ['spec'], labels: labelsOf(obj.metadata) };
  let template: unknown;
  let path: JsonPath;
  if (kind === 'CronJob') {
    const job = isObj(spec.jobTemplate) && isObj(spec.jobTemplate.spec) ? spec.jobTemplate.spec : undefined;
    template = job?.template;
    path = ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  } else if (TEMPLATED.has(kind)) {
    template = spec.template;
    path = ['spec', 'template', 'spec'];
  } else return undefined;
  if (!isObj(template) || !isObj(template.spec)) return undefined;
  const replicas = SCALABLE.has(kind) ? (typeof spec.replicas === 'number' ? spec.replicas : 1) : undefined;
  return { spec: template.spec, path, labels: labelsOf(template.metadata), ...(replicas !== undefined ? { replicas } : {}) };
}

/** The containers and init containers of a Pod spec. */
export function containersOf(t: PodTemplate): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const field of ['initContainers', 'containers'] as const) {
    const list = t.spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (isObj(c)) out.push({ container: c, path: [...t.path, field, i], name: typeof c.name === 'string' ? c.name : `#${i}`, init: field === 'initContainers' });
    });
  }
  return out;
}

/** A field of a nested object, or undefined. */
export function dig(v: unknown, ...keys: string[]): unknown {
  let cur = v;
  for (const k of keys) {
    if (!isObj(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function labelsOf(meta: unknown): Readonly<Record<string, unknown>> {
  const l = dig(meta, 'labels');
  return isObj(l) ? l : {};
}

/** Whether a label selector (`matchLabels` + `matchExpressions`, or a Service's plain map) selects these labels. */
export function selects(selector: unknown, labels: Readonly<Record<string, unknown>>): boolean {
  if (!isObj(selector)) return false;
  const plain = !('matchLabels' in selector) && !('matchExpressions' in selector);
  const match = plain ? selector : isObj(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(match)) if (labels[k] !== v) return false;
  if (plain) return true;
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    if (!isObj(e) || typeof e.key !== 'string') return false;
    const has = e.key in labels;
    const values = Array.isArray(e.values) ? e.values : [];
    const ok = e.operator === 'In' ? has && values.includes(labels[e.key]) : e.operator === 'NotIn' ? !has || !values.includes(labels[e.key]) : e.operator === 'Exists' ? has : e.operator === 'DoesNotExist' ? !has : false;
    if (!ok) return false;
  }
  return true;
}

/** The object's annotations. */
export function annotationsOf(obj: Json): Readonly<Record<string, unknown>> {
  const a = dig(obj, 'metadata', 'annotations');
  return isObj(a) ? a : {};
}
