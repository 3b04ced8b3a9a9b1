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

/**
 * Argo CD's instance name of an Application (`argo.AppInstanceName`): what its tracking id, instance label and
 * `$ARGOCD_APP_NAME` carry. `name` in the control-plane namespace (or none), `<namespace>_<name>` elsewhere — an
 * underscore, which no Kubernetes name contains, where the displayed name has a `/`.
 */
export function appInstanceName(meta: { readonly name: string; readonly namespace?: string | undefined }, controlPlane = CONTROL_PLANE_NAMESPACE): string {
  return meta.namespace && meta.namespace !== controlPlane ? `${meta.namespace}_${meta.name}` : meta.name;
}

/** The instance name of an app known by its displayed name (`argo.InstanceNameFromQualified`): `team/web` → `team_web`. */
export function instanceNameOf(qualified: string): string {
  const i = qualified.indexOf('/');
  return i < 0 ? qualified : `${qualified.slice(0, i)}_${qualified.slice(i + 1)}`;
}
