import type { Problem } from '../../problem';
import type { SchemaBundle } from './compact';
import { kindKey } from './compact';
import type { CompiledSchema } from './compile';
import { SchemaCompiler } from './compile';
import type { CrdSchema } from './crd';

/** A compiled validator for one kind, and where its schema came from. */
export interface KindSchema {
  readonly validate: CompiledSchema;
  /** `builtin` (the bundle's) or the CRD's name. */
  readonly from: string;
}

/**
 * The schemas of one target cluster: the Kubernetes version's built-in kinds plus custom resources from CRDs (in the
 * repository or on the cluster). Each kind is compiled on first use and kept, so a set serves any number of objects.
 * A CRD's version overrides nothing built in.
 */
export class SchemaSet {
  private readonly compiler: SchemaCompiler;
  private readonly crds = new Map<string, CrdSchema>();
  private readonly cache = new Map<string, KindSchema | null>();

  constructor(
    readonly bundle: SchemaBundle,
    crds: readonly CrdSchema[] = [],
    /** Problems met while building the set (CRDs with invalid schemas), reported once by whoever validates with it. */
    readonly problems: readonly Problem[] = [],
  ) {
    this.compiler = new SchemaCompiler(bundle);
    for (const c of crds) if (!(c.key in bundle.kinds)) this.crds.set(c.key, c);
  }

  /** The validator of a kind, or undefined when no schema declares it. */
  lookup(apiVersion: string, kind: string): KindSchema | undefined {
    const key = kindKey(apiVersion, kind);
    let hit = this.cache.get(key);
    if (hit === undefined) {
      const def = this.bundle.kinds[key];
      const crd = this.crds.get(key);
      hit = def !== undefined ? { validate: this.compiler.def(def), from: 'builtin' } : crd ? { validate: this.compiler.node(crd.node), from: crd.crd } : null;
      this.cache.set(key, hit);
    }
    return hit ?? undefined;
  }

  /** A set with more CRDs (the repository's, the cluster's) on the same bundle. */
  withCrds(crds: readonly CrdSchema[], problems: readonly Problem[] = []): SchemaSet {
    return new SchemaSet(this.bundle, [...this.crds.values(), ...crds], [...this.problems, ...problems]);
  }

  /** Every custom-resource schema of the set. */
  customResources(): readonly CrdSchema[] {
    return [...this.crds.values()];
  }
}
