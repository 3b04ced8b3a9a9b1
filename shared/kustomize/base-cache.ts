/**
 * Builds of kustomization folders reached as `resources:` (bases), shared across the builds of one commit's tree:
 * the overlays of a fleet include the same base, and a base's own build does not depend on the overlay including it.
 */
import type { Problem } from '../problem';
import type { FileTree } from '../repo/file-tree';
import type { TransformerConfig } from './field-specs';
import type { OpenApiSchema } from './openapi';
import type { Resource } from './resource';
import type { Var } from './transformers';

/** A base's accumulated build, with everything its build did to the enclosing build beside its resources. */
export interface BaseBuild {
  /** Pristine copies of the base's resources after its own transformers (never handed out: callers clone them). */
  readonly resources: readonly Resource[];
  /** Its transformer configuration (shared: accumulators copy a configuration before they change it). */
  readonly config: TransformerConfig;
  readonly vars: readonly Var[];
  /** The base's kustomization file. */
  readonly file: string;
  /** Every file the base's build read or looked for. */
  readonly files: readonly string[];
  /** Warnings its build added. */
  readonly warnings: readonly Problem[];
  /** The folders its build entered (with the kustomization naming each), checked again for cycles with the includer's chain. */
  readonly entered: readonly { readonly dir: string; readonly file: string }[];
  /** The custom OpenAPI schema the base set (its `openapi:` applies to the rest of the build), when it set one. */
  readonly schema?: { readonly value: OpenApiSchema | undefined };
}

/** How many base builds are kept per tree: siblings are rendered together, so a few dozen are plenty. */
const MAX_ENTRIES = 64;

const caches = new WeakMap<FileTree, Map<string, BaseBuild>>();

/**
 * The base builds of a tree pinned to a commit (undefined for a tree without a revision: the working tree or an edited
 * overlay may change under it). Keys name the base folder and every build setting its result depends on.
 *
 * A tree that is another with a few paths changed (`overlayOf`, e.g. the kustomization Flux generates) shares the other
 * tree's builds: a base build depends only on the paths it read or looked for (`BaseBuild.files` records each, lookups
 * of absent files included), and every other path reads the same through both trees, so a build that touched none of
 * the changed paths is the same build in either. One that touched any is neither taken from nor given to the shared map.
 */
export function baseBuildsOf(tree: FileTree): BaseBuilds | undefined {
  const changed = new Set<string>();
  let root = tree;
  while (root.overlayOf) {
    for (const p of root.overlayOf.changed) changed.add(p);
    root = root.overlayOf.tree;
  }
  if (root.revision === undefined) return undefined;
  let m = caches.get(root);
  if (!m) {
    m = new Map();
    caches.set(root, m);
  }
  return new BaseBuilds(m, root.revision, changed);
}

/** The base builds of one tree, bounded (least recently used dropped first). */
export class BaseBuilds {
  constructor(
    private readonly entries: Map<string, BaseBuild>,
    private readonly revision: string,
    /** Paths this view reads differently from the cached tree: builds that read one are not shared. */
    private readonly changed: ReadonlySet<string> = new Set(),
  ) {}

  /** The build cached under `key`, marked as recently used (none when it read a path this view changes). */
  get(key: string): BaseBuild | undefined {
    const k = `${this.revision}\0${key}`;
    const hit = this.entries.get(k);
    if (!hit || this.touchesChanged(hit)) return undefined;
    this.entries.delete(k);
    this.entries.set(k, hit);
    return hit;
  }

  /** Keeps a build under `key` (not when it read a path this view changes: it is this view's alone). */
  set(key: string, build: BaseBuild): void {
    if (this.touchesChanged(build)) return;
    const k = `${this.revision}\0${key}`;
    this.entries.delete(k);
    this.entries.set(k, build);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  private touchesChanged(build: BaseBuild): boolean {
    return this.changed.size > 0 && build.files.some((f) => this.changed.has(f));
  }
}
