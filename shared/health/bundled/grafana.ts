import type { HealthCheck } from '../types';
import { conditions, get, health, str } from '../fields';
import { check } from './helpers';

const G = 'grafana.integreatly.org';

/** A grafana-operator object synchronised to Grafana instances: its `<Kind>Synchronized` condition. */
function synchronized(kind: string, type: string): HealthCheck {
  return check(G, kind, (obj) => {
    const c = conditions(obj).find((x) => x.type === type);
    if (!c) return health('Progressing', '');
    const message = `${c.reason} for ${c.type} because ${c.message}`;
    if (c.status === 'True') return health('Healthy', message);
    if (c.status === 'False') return health('Degraded', message);
    return health('Progressing', message);
  });
}

/** grafana-operator and the kubitus Grafana organization operator kinds. */
export const GRAFANA_CHECKS: readonly HealthCheck[] = [
  check(G, 'Grafana', (obj) => {
    const stage = get(obj, 'status', 'stage');
    const stageStatus = str(obj, 'status', 'stageStatus');
    if (typeof stage !== 'string') return health('Progressing', 'Waiting for Grafana status info');
    if (stageStatus === 'failed') return health('Degraded', `Failed at stage ${stage}`);
    if (stage === 'complete' && stageStatus === 'success') return health('Healthy', '');
    return health('Progressing', stage);
  }),
  synchronized('GrafanaDashboard', 'DashboardSynchronized'),
  synchronized('GrafanaFolder', 'FolderSynchronized'),
  check(G, 'GrafanaDatasource', (obj) => {
    if (get(obj, 'status', 'NoMatchingInstances') === true) return health('Degraded', "can't find matching grafana instance");
    return str(obj, 'status', 'uid') === '' ? health('Progressing', '') : health('Healthy', '');
  }),
  check('grafana-org-operator.kubitus-project.gitlab.io', '*', (obj) => {
    const ready = conditions(obj).find((c) => c.type === 'Ready');
    if (ready?.status === 'True') return health('Healthy', ready.message);
    if (ready?.status === 'False') return health('Degraded', ready.message);
    return health('Progressing', 'Waiting ...');
  }),
];
