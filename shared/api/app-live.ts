// What the app page reads from a cluster beyond the recorded status: the live resource tree with the children the
// controllers made, the Kubernetes events of those objects, a Pod's container logs and a resource's manifests.

import type { KubeEventView } from '../fleet/kube-events';
import type { ResourceNode } from '../fleet/resource-tree';
import type { Problem } from '../problem';

/** An app's live resource tree on one cluster, read now. */
export interface AppTreeView {
  readonly app: string;
  readonly cluster: string;
  /** The app's objects and their live-only children; a parent's uid links a child to its owner. */
  readonly nodes: readonly ResourceNode[];
  /** Events of the tree's objects, warnings first, newest first (at most `EVENT_LIMIT`). */
  readonly events: readonly KubeEventView[];
  /** What could not be read (a kind forbidden, a namespace's Pods); the rest of the tree is still shown. */
  readonly problems: readonly Problem[];
  /** ISO time of the reading. */
  readonly observedAt: string;
}

/** What the log viewer asks for: one container of one Pod of the app. */
export interface PodLogsAsk {
  readonly app: string;
  readonly cluster: string;
  readonly namespace: string;
  readonly pod: string;
  readonly container?: string;
  /** The previous (terminated) instance's logs, as `kubectl logs --previous`. */
  readonly previous?: boolean;
  /** Lines from the end (default and maximum `LOG_TAIL_LINES`). */
  readonly tailLines?: number;
}

/** A bounded tail of a container's log. */
export interface PodLogsView {
  readonly pod: string;
  readonly container: string;
  readonly text: string;
  /** The text was cut at `LOG_LIMIT_BYTES` or `LOG_TAIL_LINES`. */
  readonly truncated: boolean;
}

/** One resource's manifests: desired (from Git) and live (from the cluster), YAML with Secret values masked. */
export interface ResourceManifestView {
  readonly desired?: string;
  readonly live?: string;
}

/** At most this many log lines are read (the viewer's bounded buffer). */
export const LOG_TAIL_LINES = 1000;
/** At most this many bytes of log are read. */
export const LOG_LIMIT_BYTES = 512 * 1024;
/** At most this many events are returned. */
export const EVENT_LIMIT = 200;
