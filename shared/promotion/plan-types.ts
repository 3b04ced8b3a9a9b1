// The types of a promotion plan: what is asked, what a plan reads, and what it says per app and per target cluster.

import type { Application } from '../model/application';
import type { ClusterSpec } from '../model/fleet';
import type { RenderOptions } from '../fleet/render-apps';
import type { Problem } from '../problem';
import type { FileTree } from '../repo/file-tree';
import type { ValidationFinding } from '../validate/finding';
import type { Validator } from '../validate/types';
import type { GateContext, GateResult } from './gates';
import type { PipelineSpec } from './pipeline';

/** What to promote: which apps from which stage to which. */
export interface PromotionRequest {
  readonly from: string;
  readonly to: string;
  /** Pipeline app names, or every app of the source stage. */
  readonly apps: readonly string[] | 'all';
  /** Only these images (names as in the kustomization `images` field); every promoted image when absent. */
  readonly images?: readonly string[];
}

/** A generated Application and the ApplicationSet it came from. */
export interface GeneratedApplication {
  readonly application: Application;
  readonly appset: string;
}

/** Everything a plan reads. */
export interface PlanInput {
  readonly pipeline: PipelineSpec;
  readonly request: PromotionRequest;
  /** The repository at the revision the promotion builds on. */
  readonly tree: FileTree;
  readonly clusters: readonly ClusterSpec[];
  /** The Applications generated at that revision: each stage's Applications, destinations and namespaces. */
  readonly applications?: readonly GeneratedApplication[];
  readonly loadRestrictor?: 'rootOnly' | 'none';
  readonly gates: GateContext;
  /** Render the target stage and diff it (default true). */
  readonly render?: boolean;
  /** The validators of a target cluster (schema for its version, lint, score, admission): the plan shows their findings on the promoted state. */
  readonly validators?: (cluster: string) => readonly Validator[];
  /** The Node side's render tools (helm, jsonnet) and the target clusters' capabilities, so Helm charts (a HelmRelease's too) render in the diff as Argo CD and Flux render them. */
  readonly renderWith?: Pick<RenderOptions, 'helmFor' | 'tools' | 'capabilities' | 'kustomizeBuildOptions'>;
}

/** One value that moves: an image, a YAML path or a git revision pin, with the target's value now and after. */
export interface PromotionMove {
  readonly kind: 'image' | 'path' | 'revision';
  /** The image name, the YAML path, or the remote resource URL. */
  readonly name: string;
  readonly file: string;
  readonly line?: number;
  /** The target's value now (absent when it has none). */
  readonly from?: string;
  readonly to: string;
}

/** One edited file: its text before and after (only the moved values differ). */
export interface FileEdit {
  readonly file: string;
  readonly before: string;
  readonly after: string;
  /** `diff -u` of the file. */
  readonly diff: string;
}

/** One resource that the promotion changes on a cluster. */
export interface ResourceChange {
  /** `group/kind/namespace/name`. */
  readonly id: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** Unified diff of the rendered YAML, current desired state against the promoted one (Secret values masked). */
  readonly diff: string;
}

/** The rendered change on one target cluster. */
export interface ClusterDiff {
  readonly cluster: string;
  /** The Application that deploys the overlay there, when one was found. */
  readonly application?: string;
  readonly namespace?: string;
  readonly changes: readonly ResourceChange[];
  readonly problems: readonly Problem[];
  /** Findings of validation on the promoted state of this cluster, located in the edited repository. */
  readonly findings?: readonly ValidationFinding[];
  /** The checks that ran for `findings` (`schema`, `lint`, `score`, `admission`). */
  readonly checks?: readonly string[];
}

/** The plan of one app. */
export interface AppPlan {
  readonly app: string;
  readonly sourceDir: string;
  readonly targetDir: string;
  readonly moves: readonly PromotionMove[];
  readonly edits: readonly FileEdit[];
  readonly clusters: readonly ClusterDiff[];
  readonly problems: readonly Problem[];
}

/** A promotion's plan: per app the edits and rendered diffs, the gates, and whether it may run. */
export interface PromotionPlan {
  readonly pipeline: string;
  readonly from: string;
  readonly to: string;
  /** The commit the plan builds on. */
  readonly revision?: string;
  readonly apps: readonly AppPlan[];
  readonly gates: readonly GateResult[];
  /** Problems not tied to one app (unknown stage, ...). */
  readonly problems: readonly Problem[];
  /** Nothing to change: every selected app's target already has the source's versions. */
  readonly noop: boolean;
  /** No error, every gate passed, and something to change. */
  readonly ready: boolean;
  /**
   * The plan's digest (`sha256:…`, see digest.ts): what a signed approval names, so it approves this exact change
   * (pipeline, stages, source revision, moves and edited files). Absent when the plan could not be made.
   */
  readonly digest?: string;
}

