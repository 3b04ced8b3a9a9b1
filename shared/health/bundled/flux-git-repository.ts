import type { Condition } from '../fields';
import { check, fluxHealth } from './helpers';

/** The source-controller extras: an outdated artifact adds its reason, an artifact in storage counts as success. */
export function fluxSourceExtra(c: Condition, state: { message: string; succeeded: number }): void {
  if (c.type === 'ArtifactOutdated' && c.status === 'True') state.message = `${state.message} ${c.reason}`;
  else if (c.type === 'ArtifactInStorage' && c.status === 'True') state.succeeded++;
}

/** source.toolkit.fluxcd.io/GitRepository: Flux's rule; Healthy needs Ready plus ArtifactInStorage. */
export const fluxGitRepositoryHealth = check('source.toolkit.fluxcd.io', 'GitRepository', (obj) => fluxHealth(obj, 2, fluxSourceExtra));
