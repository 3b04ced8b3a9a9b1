import { fluxHealth, withDeletion } from './helpers';

/** helm.toolkit.fluxcd.io/HelmRelease: Flux's rule; Healthy needs Ready plus Released (or TestSuccess). */
export const fluxHelmReleaseHealth = withDeletion('helm.toolkit.fluxcd.io', 'HelmRelease', (obj) =>
  fluxHealth(obj, 2, (c, state) => {
    if ((c.type === 'Released' || c.type === 'TestSuccess') && c.status === 'True') state.succeeded++;
  }));
