import { health } from '../fields';
import { check, readyCondition } from './helpers';

/** bitnami.com/SealedSecret: follows its Synced condition. */
export const sealedSecretHealth = check('bitnami.com', 'SealedSecret', (obj) =>
  readyCondition(obj, health('Progressing', 'Waiting for Sealed Secret to be decrypted'), 'Synced'));
