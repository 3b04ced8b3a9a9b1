import { health } from '../fields';
import { check, readyCondition } from './helpers';

/** cert-manager.io/Issuer: follows its Ready condition. */
export const issuerHealth = check('cert-manager.io', 'Issuer', (obj) => readyCondition(obj, health('Progressing', 'Initializing issuer')));
