// Which fleet cluster an Application deploys to: by name, else by server with trailing slashes ignored.
import { describe, expect, it } from 'vitest';
import { clusterForApp, isInClusterDestination } from '../../../shared/fleet/destination';
import type { Application } from '../../../shared/model/application';
import type { ClusterSpec } from '../../../shared/model/fleet';

const app = (destination: { server?: string; name?: string }): Application =>
  ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' }, spec: { project: 'default', destination } }) as unknown as Application;

const clusters = [
  { name: 'dev', server: 'https://10.0.0.1:6443/' },
  { name: 'prod', server: 'https://10.2.0.1:6443' },
  { name: 'root', server: '/' },
  { name: 'home', inCluster: true },
] as unknown as ClusterSpec[];

describe('clusterForApp', () => {
  it('matches servers with any number of trailing slashes on either side', () => {
    expect(clusterForApp(app({ server: 'https://10.0.0.1:6443' }), clusters)?.name).toBe('dev');
    expect(clusterForApp(app({ server: 'https://10.2.0.1:6443///' }), clusters)?.name).toBe('prod');
    expect(clusterForApp(app({ server: 'https://10.2.0.1:644' }), clusters)).toBeUndefined();
    expect(clusterForApp(app({ server: '//' }), clusters)?.name).toBe('root');
    expect(clusterForApp(app({ server: 'https://kubernetes.default.svc//' }), clusters)?.name).toBe('home');
  });

  it('says in-cluster by name or by server, trailing slashes ignored', () => {
    expect(isInClusterDestination(app({ server: 'https://kubernetes.default.svc/' }))).toBe(true);
    expect(isInClusterDestination(app({ server: 'https://kubernetes.default.svc/x' }))).toBe(false);
    expect(isInClusterDestination(app({ name: 'in-cluster' }))).toBe(true);
    expect(isInClusterDestination(app({ name: 'dev', server: 'https://kubernetes.default.svc' }))).toBe(false);
  });
});
