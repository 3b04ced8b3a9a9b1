import { health } from '../fields';
import { readyCondition, withDeletion } from './helpers';

/** external-secrets.io/SecretStore: follows its Ready condition. */
export const secretStoreHealth = withDeletion('external-secrets.io', 'SecretStore', (obj) => readyCondition(obj, health('Progressing', 'Waiting for SecretStore')));
