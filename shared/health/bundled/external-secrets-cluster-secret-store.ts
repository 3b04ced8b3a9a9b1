import { health } from '../fields';
import { readyCondition, withDeletion } from './helpers';

/** external-secrets.io/ClusterSecretStore: follows its Ready condition. */
export const clusterSecretStoreHealth = withDeletion('external-secrets.io', 'ClusterSecretStore', (obj) =>
  readyCondition(obj, health('Progressing', 'Waiting for ClusterSecretStore')));
