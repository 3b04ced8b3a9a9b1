/**
 * The compact schema form every schema source is turned into (bundled Kubernetes versions, a live API server's
 * `/openapi/v3`, CRDs): only what validation needs, with one-letter keys so a whole Kubernetes version bundles in
 * under 200 KiB.
 */

/** The JSON types a node may take. */
export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/** One schema node. */
export interface SchemaNode {
  /** `$ref`: the name of a definition in the same bundle. */
  readonly $?: string;
  /** Type, or the types of a union (`IntOrString` is `['integer', 'string']`); absent: any type. */
  readonly t?: SchemaType | readonly SchemaType[];
  /** Declared fields of an object. */
  readonly p?: Readonly<Record<string, SchemaNode>>;
  /** Required fields. */
  readonly r?: readonly string[];
  /** Schema of an array's items. */
  readonly i?: SchemaNode;
  /** Schema of a map's values (`additionalProperties`). */
  readonly a?: SchemaNode;
  /** Allowed values. */
  readonly e?: readonly unknown[];
  /** 1: fields beyond `p` are kept (`x-kubernetes-preserve-unknown-fields`, free-form objects). */
  readonly x?: 1;
  /** 1: null is allowed (`nullable`). */
  readonly n?: 1;
}

/** The schemas of one Kubernetes version, or of a live API server, plus CRDs. */
export interface SchemaBundle {
  /** e.g. `1.32.3`. */
  readonly kubernetesVersion: string;
  /** Where the schemas came from (`k8s.io/kubernetes@v1.32.3 api/openapi-spec/v3`, `https://…/openapi/v3`). */
  readonly source: string;
  /** `group/version/Kind` (core: `v1/Kind`) → definition name. */
  readonly kinds: Readonly<Record<string, string>>;
  readonly defs: Readonly<Record<string, SchemaNode>>;
}

/** The key of a kind in `SchemaBundle.kinds`: `apps/v1/Deployment`, `v1/Pod`. */
export function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/** The definition name of ObjectMeta in every bundle (CRDs' `metadata` points at it). */
export const OBJECT_META = 'apimachinery.pkg.apis.meta.v1.ObjectMeta';
