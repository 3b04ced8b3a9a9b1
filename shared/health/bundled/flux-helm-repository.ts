import { get, health } from '../fields';
import { fluxSourceExtra } from './flux-git-repository';
import { fluxHealth, withDeletion } from './helpers';

/** source.toolkit.fluxcd.io/HelmRepository: Flux's rule; OCI repositories report no status and are Healthy. */
export const fluxHelmRepositoryHealth = withDeletion('source.toolkit.fluxcd.io', 'HelmRepository', (obj) => {
  if (get(obj, 'spec', 'suspend') !== true && get(obj, 'spec', 'type') === 'oci') {
    return health('Healthy', "Helm repositories of type 'oci' do not contain any information in the status.");
  }
  return fluxHealth(obj, 2, fluxSourceExtra);
});
