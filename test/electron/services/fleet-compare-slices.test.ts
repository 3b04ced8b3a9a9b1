import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticFleet } from '../../../bench/synthetic-fleet';
import { compareFleet } from '../../../electron/services/fleet-compare';
import { deadPort } from '../../helpers/dead-clusters';

// Comparing a big fleet is tens of seconds of CPU per cluster. It runs in slices, so the event loop turns between
// apps: timers run, other clusters' requests go out and their answers are read (an API server drops a TLS handshake
// left unanswered for 32 s, and a call answered while the loop was busy must not wait for the whole fleet).

let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-compare-slices-'));
  const port = await deadPort();
  writeSyntheticFleet(path.join(dir, 'repo'), { apps: 6, clustersPerEnv: 1, environments: ['dev'], servers: [`https://127.0.0.1:${port}`] });
  kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: dev-01',
    'clusters:', '- name: dev-01', '  cluster:', `    server: https://127.0.0.1:${port}`, '    insecure-skip-tls-verify: true',
    'users:', '- name: admin', '  user:', '    token: t',
    'contexts:', '- name: dev-01', '  context:', '    cluster: dev-01', '    user: admin', '',
  ].join('\n'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('comparing a fleet yields to the event loop between apps', () => {
  it('lets timers run while one cluster\'s apps are compared, and still reports every app (Unknown: the cluster is down)', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const ticksAt: number[] = [];
    try {
      const result = await compareFleet({
        repo: path.join(dir, 'repo'), kubeconfig: [kubeconfig], timeoutMs: 2000,
        onProgress: (done) => {
          if (done === 0) return;
          ticksAt.push(ticks);
          // Each app's comparison costs this much CPU: more than one slice.
          const end = performance.now() + 25;
          while (performance.now() < end) {
            // spin
          }
        },
      });
      expect(result.rows.map((r) => [r.cluster, r.status.sync])).toEqual(Array.from({ length: 6 }, () => ['dev-01', 'Unknown']));
      expect(result.rows.every((r) => r.unreachable?.startsWith('cluster dev-01 is unreachable: dev-01: GET /version: connection refused'))).toBe(true);
    } finally {
      clearInterval(timer);
    }
    expect(ticksAt).toHaveLength(6);
    // Without slices all six comparisons ran in one turn of the loop, with no timer in between.
    expect(ticksAt[5]!).toBeGreaterThan(ticksAt[0]!);
  });
});
