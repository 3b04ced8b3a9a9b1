import type { KubeObject } from '../model/status';

/** The container images of a pod-bearing object (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod, Rollout...). */
export function imagesOf(obj: KubeObject): string[] {
  const spec = obj.spec as Record<string, unknown> | undefined;
  const podSpecs: unknown[] = [];
  const tpl = (spec?.template as Record<string, unknown> | undefined)?.spec;
  if (tpl) podSpecs.push(tpl);
  const jobTpl = ((spec?.jobTemplate as Record<string, unknown> | undefined)?.spec as Record<string, unknown> | undefined)?.template as Record<string, unknown> | undefined;
  if (jobTpl?.spec) podSpecs.push(jobTpl.spec);
  if (obj.kind === 'Pod' && spec) podSpecs.push(spec);
  const out: string[] = [];
  for (const ps of podSpecs) {
    const p = ps as Record<string, unknown>;
    for (const key of ['initContainers', 'containers']) {
      const list = p[key];
      if (Array.isArray(list)) for (const c of list) if (c && typeof (c as { image?: unknown }).image === 'string') out.push((c as { image: string }).image);
    }
  }
  return out;
}

/** The tag (or short digest) of an image reference; `latest` when it names neither. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1, at + 1 + 'sha256:'.length + 7);
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : 'latest';
}

/**
 * What an app runs, as the fleet grid shows it: the distinct tags of its workload images (first container images
 * first), else the short git revision it was rendered from.
 */
export function versionOf(objects: readonly KubeObject[], revision?: string): string {
  const tags: string[] = [];
  for (const o of objects) for (const img of imagesOf(o)) {
    const t = imageTag(img);
    if (!tags.includes(t)) tags.push(t);
  }
  if (tags.length > 0) return tags.slice(0, 3).join(', ') + (tags.length > 3 ? ` +${tags.length - 3}` : '');
  return revision ? revision.slice(0, 7) : '';
}

/** The image tags an app's live objects run, in the order of its desired objects; undefined when none has an image. */
export function runningVersionOf(live: readonly (KubeObject | undefined)[]): string | undefined {
  const objects = live.filter((o): o is KubeObject => o !== undefined);
  const v = versionOf(objects);
  return v || undefined;
}

/** Where an app's source names a Helm chart: `chart@version` as Argo CD's source says it. */
export interface ChartRef {
  readonly chart: string;
  readonly targetRevision?: string;
}

/**
 * What Git says an app runs, before any cluster is read: the tags of its rendered workload images, else its chart and
 * chart version, else the short revision it renders from.
 */
export function desiredVersionOf(objects: readonly KubeObject[], revision: string, chart?: ChartRef): string {
  const tags = versionOf(objects);
  if (tags) return tags;
  if (chart) return `${chart.chart}${chart.targetRevision ? ` ${chart.targetRevision}` : ''}`;
  return revision.slice(0, 7);
}
