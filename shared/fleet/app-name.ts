/** Argo CD's application names: plain in the control-plane namespace, `<namespace>/<name>` elsewhere (apps in any namespace). */

/** The namespace Argo CD runs in, where an Application's name needs no qualifier. */
export const CONTROL_PLANE_NAMESPACE = 'argocd';

/**
 * An Application's name as Argo CD shows it: `name` when it lives in the control-plane namespace (or names none,
 * as a manifest applied there), `namespace/name` when it lives elsewhere (Argo CD's apps-in-any-namespace).
 */
export function qualifiedAppName(meta: { readonly name: string; readonly namespace?: string | undefined }, controlPlane = CONTROL_PLANE_NAMESPACE): string {
  return meta.namespace && meta.namespace !== controlPlane ? `${meta.namespace}/${meta.name}` : meta.name;
}
