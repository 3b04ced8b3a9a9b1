import { conditions, get, health, str } from '../fields';
import { check } from './helpers';

/** external-secrets.io/ExternalSecret: its Ready condition, ignoring a stale one under the OnChange refresh policy. */
export const externalSecretHealth = check('external-secrets.io', 'ExternalSecret', (obj) => {
  const onChange = get(obj, 'spec', 'refreshPolicy') === 'OnChange';
  for (const c of conditions(obj)) {
    if (c.type !== 'Ready') continue;
    if (onChange && !(str(c.raw, 'lastTransitionTime') >= str(obj, 'status', 'refreshTime'))) continue;
    if (c.status === 'False') return health('Degraded', c.message);
    if (c.status === 'True') return health('Healthy', c.message);
    return undefined;
  }
  return health('Progressing', 'Waiting for ExternalSecret');
});
