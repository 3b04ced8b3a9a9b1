import { arr, get, health, str } from '../fields';
import { check, toNumber } from './helpers';
import { luaStr } from '../fields';

/** flagger.app/Canary: follows `status.phase`; the message carries the canary weight and condition messages. */
export const flaggerCanaryHealth = check('flagger.app', 'Canary', (obj) => {
  const status = get(obj, 'status');
  if (status === undefined || status === null) return health('Unknown', 'No status');
  const sep = ' --- ';
  let message = '';
  const weight = get(obj, 'status', 'canaryWeight');
  if ((toNumber(weight) ?? 0) > 0) message = `Canary Weight: ${luaStr(weight)} %`;
  for (const c of arr(obj, 'status', 'conditions')) {
    if (message !== '') message += sep;
    message += str(c, 'message');
  }
  const phase = str(obj, 'status', 'phase');
  let s: 'Degraded' | 'Progressing' | 'Healthy' | 'Unknown' = 'Unknown';
  if (phase === 'Failed') s = 'Degraded';
  else if (phase === 'Progressing' || phase === 'Finalising' || phase === 'Promoting') s = 'Progressing';
  else if (phase === 'Succeeded' || phase === 'Initialized') s = 'Healthy';
  return health(s, phase + sep + message);
});
