import { conditions, health } from '../fields';
import { check, readyCondition } from './helpers';

/** cert-manager.io/Certificate: Issuing=True is Progressing, then its Ready condition decides. */
export const certificateHealth = check('cert-manager.io', 'Certificate', (obj) => {
  const issuing = conditions(obj).find((c) => c.type === 'Issuing' && c.status === 'True');
  if (issuing) return health('Progressing', issuing.message);
  return readyCondition(obj, health('Progressing', 'Waiting for certificate'));
});
