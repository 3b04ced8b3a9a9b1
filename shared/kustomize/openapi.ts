/** A custom OpenAPI schema (`openapi: path:`): patch merge keys of custom kinds for strategic merge patches. */
import type { ListStrategy, ListStrategyFn } from './patch';
import { associativeKey } from './patch';
import type { Gvk } from './resource';
import type { JsonMap } from './yaml';
import { isMapValue } from './yaml';

/** Merge-key lookups from an OpenAPI v2 document (`definitions` with `x-kubernetes-group-version-kind`). */
export class OpenApiSchema {
  private readonly roots = new Map<string, JsonMap>();

  constructor(private readonly definitions: JsonMap) {
    for (const def of Object.values(definitions)) {
      if (!isMapValue(def) || !Array.isArray(def['x-kubernetes-group-version-kind'])) continue;
      for (const g of def['x-kubernetes-group-version-kind']) {
        if (isMapValue(g) && typeof g.kind === 'string') this.roots.set(`${String(g.group ?? '')}/${String(g.version ?? '')}/${g.kind}`, def);
      }
    }
  }

  /** Reads a schema document; undefined when it has no definitions. */
  static from(doc: unknown): OpenApiSchema | undefined {
    if (!isMapValue(doc) || !isMapValue(doc.definitions)) return undefined;
    return new OpenApiSchema(doc.definitions);
  }

  private resolve(node: JsonMap, depth = 0): JsonMap {
    const ref = node.$ref;
    if (typeof ref === 'string' && depth < 20) {
      const target = this.definitions[ref.replace(/^#\/definitions\//, '')];
      if (isMapValue(target)) return this.resolve(target, depth + 1);
    }
    return node;
  }

  /** The list strategy for a kind this schema defines, or undefined when the schema does not know the kind. */
  listStrategy(gvk: Gvk): ListStrategyFn | undefined {
    const root = this.roots.get(`${gvk.group}/${gvk.version}/${gvk.kind}`);
    if (!root) return undefined;
    return (path, dest, patch): ListStrategy => {
      let node: JsonMap | undefined = this.resolve(root);
      let field: JsonMap | undefined;
      for (let i = 0; i < path.length && node; i++) {
        const props: JsonMap | undefined = isMapValue(node.properties) ? node.properties : undefined;
        const next = props?.[path[i]!];
        if (!isMapValue(next)) return associativeKey(dest, patch);
        field = next;
        const resolved = this.resolve(next);
        // Descend through arrays into their items.
        node = resolved.type === 'array' && isMapValue(resolved.items) ? this.resolve(resolved.items) : resolved;
      }
      if (!field) return associativeKey(dest, patch);
      const strategy = typeof field['x-kubernetes-patch-strategy'] === 'string' ? field['x-kubernetes-patch-strategy'] : '';
      const key = field['x-kubernetes-patch-merge-key'];
      if (!strategy.split(',').includes('merge')) return associativeKey(dest, patch);
      return typeof key === 'string' && key !== '' ? { mergeKey: key } : 'primitive';
    };
  }
}
