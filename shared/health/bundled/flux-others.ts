import type { HealthCheck } from '../types';
import { fluxSourceExtra } from './flux-git-repository';
import { check, fluxHealth } from './helpers';

/** The other Flux kinds with Argo CD checks: sources need Ready plus ArtifactInStorage, the rest Ready alone. */
export const FLUX_OTHER_CHECKS: readonly HealthCheck[] = [
  check('source.toolkit.fluxcd.io', 'Bucket', (obj) => fluxHealth(obj, 2, fluxSourceExtra)),
  check('source.toolkit.fluxcd.io', 'HelmChart', (obj) => fluxHealth(obj, 2, fluxSourceExtra)),
  check('source.toolkit.fluxcd.io', 'OCIRepository', (obj) => fluxHealth(obj, 2, fluxSourceExtra)),
  check('image.toolkit.fluxcd.io', 'ImagePolicy', (obj) => fluxHealth(obj, 1)),
  check('image.toolkit.fluxcd.io', 'ImageRepository', (obj) => fluxHealth(obj, 1)),
  check('image.toolkit.fluxcd.io', 'ImageUpdateAutomation', (obj) => fluxHealth(obj, 1)),
  check('notification.toolkit.fluxcd.io', 'Receiver', (obj) => fluxHealth(obj, 1)),
];
