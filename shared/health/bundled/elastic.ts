import type { HealthCheck } from '../types';
import { arr, get, health, str } from '../fields';
import { check, withDeletion } from './helpers';

const unknown = (what: string) =>
  health('Unknown', `${what} status is unknown. Ensure your ArgoCD is current and then check for/file a bug report: https://github.com/argoproj/argo-cd/issues`);

/** elasticsearch.k8s.elastic.co/Elasticsearch: node count, then phase and cluster health colour. */
const elasticsearch = check('elasticsearch.k8s.elastic.co', 'Elasticsearch', (obj) => {
  const available = get(obj, 'status', 'availableNodes');
  if (typeof available !== 'number') return unknown('Elasticsearch Cluster');
  const desired = arr(obj, 'spec', 'nodeSets').reduce<number>((sum, n) => sum + (typeof get(n, 'count') === 'number' ? (get(n, 'count') as number) : 0), 0);
  if (available < desired) return health('Progressing', `The desired amount of availableNodes is ${desired} but the current amount is ${available}`);
  if (available === desired) {
    const phase = str(obj, 'status', 'phase');
    const colour = str(obj, 'status', 'health');
    if (phase === 'Ready') {
      if (colour === 'green') return health('Healthy', 'Elasticsearch Cluster status is Green');
      if (colour === 'yellow') return health('Progressing', 'Elasticsearch Cluster status is Yellow. Check the status of indices, replicas and shards');
      if (colour === 'red') return health('Degraded', 'Elasticsearch Cluster status is Red. Check the status of indices, replicas and shards');
    } else if (phase === 'ApplyingChanges' || phase === 'MigratingData') {
      return health('Progressing', `Elasticsearch phase is ${phase}`);
    } else if (phase === 'Invalid') {
      return health('Degraded', 'Elasticsearch phase is Invalid');
    }
  }
  return unknown('Elasticsearch Cluster');
});

/** beat.k8s.elastic.co/Beat: health colour and instance counts. */
const beat = withDeletion('beat.k8s.elastic.co', 'Beat', (obj) => {
  const s = get(obj, 'status');
  const colour = get(s, 'health');
  const expected = get(s, 'expectedNodes');
  if (s === undefined || s === null || ((colour === undefined || colour === null) && (expected === undefined || expected === null))) return unknown('Elastic Beat');
  if (colour === 'red') return health('Degraded', 'Elastic Beat status is Red');
  if (colour === 'green') return health('Healthy', 'Elastic Beat status is Green');
  if (colour === 'yellow') {
    const available = get(s, 'availableNodes');
    if (available !== undefined && available !== null && expected !== undefined && expected !== null) {
      return health('Progressing', `Elastic Beat status is deploying, there is ${String(available)} instance(s) on ${String(expected)} expected`);
    }
    return health('Progressing', 'Elastic Beat phase is progressing');
  }
  if (colour === undefined || colour === null) return health('Progressing', 'Elastic Beat phase is progressing');
  return unknown('Elastic Beat');
});

/** logstash.k8s.elastic.co/Logstash: health colour. */
const logstash = check('logstash.k8s.elastic.co', 'Logstash', (obj) => {
  switch (get(obj, 'status', 'health')) {
    case 'green': return health('Healthy', 'Logstash status is Green');
    case 'yellow': return health('Progressing', 'Logstash status is Yellow');
    case 'red': return health('Degraded', 'Logstash status is Red');
    default: return health('Progressing', 'Waiting for Logstash');
  }
});

/** Elastic Cloud on Kubernetes kinds. */
export const ELASTIC_CHECKS: readonly HealthCheck[] = [elasticsearch, beat, logstash];
