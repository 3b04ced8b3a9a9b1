// `flotilla drift-report --offline` and `flotilla history`: reports and timelines from the store alone, no cluster.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetStore } from '../../../electron/store/fleet-store';
import { storeFile } from '../../../electron/store/location';
import { cli } from '../../helpers/run-cli';
import { syntheticSnapshot } from '../store/synthetic-fleet';

let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-cli-report-'));
  const store = FleetStore.open(storeFile(dataDir));
  store.recordSnapshot(syntheticSnapshot({ apps: 2, clusters: 3, resourcesPerApp: 4, takenAt: '2026-11-23T10:00:00.000Z' }));
  store.recordSnapshot(syntheticSnapshot({ apps: 2, clusters: 3, resourcesPerApp: 4, drifted: 3, generation: 1, secretValue: 'cli-s3cret-value', takenAt: '2026-11-23T11:00:00.000Z' }));
  store.recordSyncRun({ app: 'app-0', cluster: 'dev-1', at: '2026-11-23T11:30:00.000Z', detail: { revision: 'abcdef0123', phase: 'Succeeded' } });
  store.close();
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('flotilla drift-report --offline', () => {
  it('exits 1 with the drift in JUnit (one test case per app × cluster) when the latest snapshot drifted', async () => {
    const r = await cli(['drift-report', '--offline', '--data-dir', dataDir, '-f', 'junit']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('snapshot #2 (2026-11-23T11:00:00.000Z): 6 of 6 app × cluster(s) drifted, 9 resource(s); 0 unknown\n');
    expect(r.out.match(/<testcase /g)).toHaveLength(6);
    expect(r.out).toContain('<testsuites name="flotilla drift" tests="6" failures="6" errors="0"');
    expect(r.out).not.toContain('cli-s3cret-value');
  });

  it('exits 0 at a time when nothing had drifted, and writes the file given with -o', async () => {
    const out = path.join(dataDir, 'report.html');
    const r = await cli(['drift-report', '--at', '2026-11-23T10:30:00Z', '--data-dir', dataDir, '-f', 'html', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('from snapshot #1 taken 2026-11-23T10:00:00.000Z');
    expect(html).toContain('No drift: every app × cluster matches its desired state.');
  });

  it('writes JSON of schema version 1 and Markdown', async () => {
    const j = await cli(['drift-report', '--offline', '--data-dir', dataDir, '-f', 'json']);
    expect(j.code).toBe(1);
    const report = JSON.parse(j.out) as { schemaVersion: number; source: string; summary: { byEnvironment: { name: string; drifted: number }[] } };
    expect(report.schemaVersion).toBe(1);
    expect(report.source).toBe('offline');
    expect(report.summary.byEnvironment.map((g) => g.name)).toEqual(['dev', 'prod', 'staging']);
    const md = await cli(['drift-report', '--offline', '--data-dir', dataDir]);
    expect(md.out.startsWith('# Flotilla drift report\n')).toBe(true);
  });

  it('exits 2 with a clear message before the first snapshot, without a store, or with an unknown format', async () => {
    const before = await cli(['drift-report', '--at', '2026-11-22T00:00:00Z', '--data-dir', dataDir]);
    expect(before.code).toBe(2);
    expect(before.err).toContain('no snapshot recorded at or before 2026-11-22T00:00:00Z');
    const empty = mkdtempSync(path.join(os.tmpdir(), 'flotilla-cli-empty-'));
    try {
      const none = await cli(['drift-report', '--offline', '--data-dir', empty]);
      expect(none.code).toBe(2);
      expect(none.err).toBe(`error: ${path.join(empty, 'flotilla.db')}: no store here yet: run \`flotilla refresh\` to record a snapshot\n`);
      expect(existsSync(path.join(empty, 'flotilla.db'))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    const bad = await cli(['drift-report', '--offline', '--data-dir', dataDir, '-f', 'pdf']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown report format "pdf": expected html, md, json, junit');
  });
});

describe('flotilla history', () => {
  it("shows an app's states, events and drift per cluster", async () => {
    const r = await cli(['history', 'app-0', '--cluster', 'dev-1', '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('app-0 on dev-1 (dev)');
    expect(r.out).toMatch(/2026-11-23T10:00:00.000Z\s+2026-11-23T11:00:00.000Z\s+a1b2c3d\s+Synced\s+Healthy\s+0\/4/);
    expect(r.out).toMatch(/2026-11-23T11:00:00.000Z\s+now\s+a1b2c3d\s+OutOfSync\s+Healthy\s+2\/5/);
    expect(r.out).toMatch(/2026-11-23T11:00:00.000Z\s+drift began at a1b2c3d \(2 resource\(s\)\)/);
    expect(r.out).toMatch(/2026-11-23T11:30:00.000Z\s+sync Succeeded at abcdef0/);
    expect(r.out).toMatch(/2026-11-23T11:00:00.000Z\s+not yet/);
  });

  it('prints JSON with -o json, one entry per cluster', async () => {
    const r = await cli(['history', 'app-1', '--data-dir', dataDir, '-o', 'json']);
    expect(r.code).toBe(0);
    const h = JSON.parse(r.out) as { cluster: string; timeline: unknown[] }[];
    expect(h.map((x) => x.cluster)).toEqual(['dev-1', 'prod-1', 'staging-1']);
    expect(h.every((x) => x.timeline.length === 2)).toBe(true);
  });

  it('exits 2 naming the apps it knows when the app has no history', async () => {
    const r = await cli(['history', 'nope', '--data-dir', dataDir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`error: no history of nope in ${path.join(dataDir, 'flotilla.db')} (apps recorded: app-0, app-1)`);
  });
});
