import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetStore } from '../../../electron/store/fleet-store';
import { buildDriftReport, DRIFT_REPORT_FORMATS, renderDriftReport } from '../../../shared/report/index';
import { repoRoot } from '../../helpers/paths';
import { syntheticSnapshot } from './synthetic-fleet';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-store-rel-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Bundles a child-process script (TypeScript importing the store) into a runnable CommonJS file. */
function bundle(name: string, contents: string): string {
  const outfile = path.join(dir, `${name}.cjs`);
  buildSync({ stdin: { contents, resolveDir: repoRoot, loader: 'ts', sourcefile: `${name}.ts` }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', outfile, logLevel: 'error' });
  return outfile;
}

interface Child {
  readonly lines: string[];
  waitFor(line: string): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

function run(script: string, args: readonly string[]): Child {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { line: string; resolve: () => void }[] = [];
  let stderr = '';
  let buf = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      for (const w of waiters.filter((x) => x.line === line)) w.resolve();
    }
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => void (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    lines,
    exited,
    kill: (signal) => void child.kill(signal),
    waitFor: (line) =>
      new Promise<void>((resolve, reject) => {
        if (lines.includes(line)) return resolve();
        waiters.push({ line, resolve });
        void exited.then(({ code, signal }) => reject(new Error(`child exited (${code ?? signal}) before printing "${line}": ${stderr}`)));
      }),
  };
}

describe('FleetStore reliability', () => {
  it('a process killed (SIGKILL) in the middle of recording leaves the previous snapshot whole and the database readable', async () => {
    const file = path.join(dir, 'crash', 'flotilla.db');
    const script = bundle(
      'crash-child',
      `
      import { statSync, writeSync } from 'node:fs';
      import { FleetStore } from './electron/store/fleet-store';
      import { syntheticSnapshot } from './test/electron/store/synthetic-fleet';
      // A small page cache: the big transaction spills uncommitted pages into the WAL before it is killed.
      const store = FleetStore.open(process.argv[2]!, { cacheSizeKiB: 1024 });
      store.recordSnapshot(syntheticSnapshot({ apps: 2, clusters: 2, resourcesPerApp: 5, drifted: 1, takenAt: '2026-11-23T10:00:00.000Z' }));
      writeSync(1, 'base\\n');
      writeSync(1, 'wal ' + statSync(process.argv[2] + '-wal').size + '\\n');
      const huge = syntheticSnapshot({ apps: 40, clusters: 25, resourcesPerApp: 40, generation: 1, takenAt: '2026-11-23T11:00:00.000Z' });
      let told = false;
      store.recordSnapshot(huge, { onProgress: (done, total) => { if (!told && done >= total / 4) { told = true; writeSync(1, 'midway\\n'); } } });
      writeSync(1, 'committed\\n');
      `,
    );
    const child = run(script, [file]);
    await child.waitFor('midway');
    child.kill('SIGKILL');
    const exit = await child.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(child.lines.filter((l) => !l.startsWith('wal '))).toEqual(['base', 'midway']);
    // The killed transaction had written (uncommitted) pages into the WAL; recovery must ignore them.
    const walAfterBase = Number(child.lines.find((l) => l.startsWith('wal '))!.slice(4));
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(walAfterBase + 1_000_000);

    const db = new Database(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
    const store = FleetStore.open(file);
    try {
      expect(store.snapshots()).toEqual([{ id: 1, takenAt: '2026-11-23T10:00:00.000Z' }]);
      const fleet = store.fleetAt()!;
      expect(fleet.appClusters).toHaveLength(4);
      expect(fleet.appClusters.reduce((n, a) => n + a.resourceCount, 0)).toBe(20);
      for (const ac of fleet.appClusters) expect(store.manifestsAt(ac.app, ac.cluster)!.every((m) => m.desired && m.live)).toBe(true);
      // And the store goes on recording.
      const next = store.recordSnapshot(syntheticSnapshot({ apps: 2, clusters: 2, resourcesPerApp: 5, takenAt: '2026-11-23T12:00:00.000Z' }));
      expect(next.snapshot.id).toBe(2);
    } finally {
      store.close();
    }
  });

  it('while another process records, a second one still reads, and a write says plainly that the store is busy', async () => {
    const file = path.join(dir, 'busy', 'flotilla.db');
    const first = FleetStore.open(file);
    first.recordSnapshot(syntheticSnapshot({ apps: 2, clusters: 2, resourcesPerApp: 3, takenAt: '2026-11-23T10:00:00.000Z' }));
    first.close();
    const script = bundle(
      'busy-child',
      `
      import { writeSync } from 'node:fs';
      import { FleetStore } from './electron/store/fleet-store';
      import { syntheticSnapshot } from './test/electron/store/synthetic-fleet';
      const store = FleetStore.open(process.argv[2]!);
      let once = false;
      store.recordSnapshot(syntheticSnapshot({ apps: 2, clusters: 2, resourcesPerApp: 3, generation: 1, takenAt: '2026-11-23T11:00:00.000Z' }), {
        onProgress: () => {
          if (once) return;
          once = true;
          writeSync(1, 'recording\\n');
          // A long recording: hold the write transaction for a while.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4000);
        },
      });
      store.close();
      writeSync(1, 'committed\\n');
      `,
    );
    const child = run(script, [file]);
    await child.waitFor('recording');
    const second = FleetStore.open(file, { busyTimeoutMs: 200 });
    try {
      expect(second.fleetAt()!.snapshot).toEqual({ id: 1, takenAt: '2026-11-23T10:00:00.000Z' });
      expect(() => second.recordSnapshot(syntheticSnapshot({ apps: 1, clusters: 1, resourcesPerApp: 1 }))).toThrow(
        `${file}: the store is busy: another Flotilla process is writing to it; try again when it has finished`,
      );
      expect(() => second.recordPromotion({ app: 'app-0', detail: { revision: 'r', to: 'prod' } })).toThrow(/the store is busy/);
      const exit = await child.exited;
      expect(exit.code).toBe(0);
      expect(child.lines).toEqual(['recording', 'committed']);
      expect(second.snapshots().map((s) => s.id)).toEqual([2, 1]);
      expect(second.recordSnapshot(syntheticSnapshot({ apps: 1, clusters: 1, resourcesPerApp: 1, takenAt: '2026-11-23T12:00:00.000Z' })).snapshot.id).toBe(3);
    } finally {
      second.close();
    }
  });

  it('no Secret value reaches the database file, its WAL, or any report', () => {
    const value = 'hunter2-Sup3rS3cret!';
    const forms = [value, Buffer.from(value).toString('base64'), `${value}-old`, Buffer.from(`${value}-old`).toString('base64')];
    const file = path.join(dir, 'secret', 'flotilla.db');
    const store = FleetStore.open(file);
    try {
      store.recordSnapshot(syntheticSnapshot({ apps: 3, clusters: 2, resourcesPerApp: 4, drifted: 2, secretValue: value, takenAt: '2026-11-23T10:00:00.000Z' }));
      store.recordSnapshot(syntheticSnapshot({ apps: 3, clusters: 2, resourcesPerApp: 4, drifted: 2, secretValue: value, generation: 1, takenAt: '2026-11-23T11:00:00.000Z' }));
      // The Secret is recorded, masked; its unmasked diff was scrubbed.
      const secret = store.manifestsAt('app-0', 'dev-1')!.find((m) => m.kind === 'Secret')!;
      expect(secret.desired).toMatchObject({ stringData: { password: '++++++++' } });
      expect(secret.live).toMatchObject({ data: { password: '++++++++', other: '++++++++' } });
      const drifted = store.appClusterAt('app-0', 'dev-1')!.resources.find((r) => r.kind === 'Secret')!;
      expect(drifted.changes).toEqual([{ path: '/data/other', live: '++++++++' }]);
      expect(drifted.diff).toBe('--- desired\n+++ live\n@@ data @@\n+  other: ++++++++\n   password: ++++++++\n');

      // Read the bytes while the WAL still holds the latest writes.
      expect(existsSync(`${file}-wal`)).toBe(true);
      const bytes = [file, `${file}-wal`, `${file}-shm`].filter(existsSync).map((f) => readFileSync(f));
      expect(bytes.reduce((n, b) => n + b.length, 0)).toBeGreaterThan(10_000);
      for (const b of bytes) for (const f of forms) expect(b.includes(Buffer.from(f, 'utf8')), `"${f}" in the database bytes`).toBe(false);
      // The masked form is there: the check above reads the right bytes.
      expect(bytes.some((b) => b.includes(Buffer.from('"password":"++++++++"')))).toBe(true);

      const report = buildDriftReport(store.driftReportInput({ generatedAt: '2026-11-23T12:00:00.000Z' }));
      expect(report.summary.driftedResources).toBe(2 + 6);
      for (const format of DRIFT_REPORT_FORMATS) {
        const text = renderDriftReport(report, format);
        for (const f of forms) expect(text.includes(f), `"${f}" in the ${format} report`).toBe(false);
      }
    } finally {
      store.close();
    }
  });
});
