import { health } from '../fields';
import { check, readyCondition } from './helpers';

/** cert-manager.io/ClusterIssuer: follows its Ready condition. */
export const clusterIssuerHealth = check('cert-manager.io', 'ClusterIssuer', (obj) => readyCondition(obj, health('Progressing', 'Initializing ClusterIssuer')));
