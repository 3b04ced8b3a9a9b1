import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ThreadedAppFileWriter } from '../../../../electron/services/render/writer-thread';
import { tempDir } from '../../../helpers/git-fixtures';

const app = (i: number, cluster = 'dev-01'): { app: string; cluster: string; yaml: string; problems: [] } => ({ app: `app-${i}`, cluster, yaml: `kind: ConfigMap # ${i}\n`, problems: [] });

describe("render --all's file writer thread", () => {
  const dirs: { dir: string; cleanup: () => void }[] = [];
  const out = (): string => {
    const d = tempDir('flotilla-writer-');
    dirs.push(d);
    return d.dir;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) d.cleanup();
  });

  it('writes every file, many batches past the in-flight bound, and names each one it could not write', async () => {
    const dir = out();
    mkdirSync(path.join(dir, 'dev-01', 'app-7.yaml'), { recursive: true });
    const w = new ThreadedAppFileWriter(dir);
    for (let i = 0; i < 600; i++) expect(await w.send(app(i))).toBe(true);
    expect(await w.send({ ...app(900), problems: [{ severity: 'error', message: 'broken' }] } as never)).toBe(false);
    const failed = await w.drain();
    expect(failed.map((f) => [f.app, f.cluster])).toEqual([['app-7', 'dev-01']]);
    expect(failed[0]!.error.message).toMatch(/EISDIR/);
    for (const i of [0, 6, 8, 599]) expect(readFileSync(path.join(dir, 'dev-01', `app-${i}.yaml`), 'utf8')).toBe(`kind: ConfigMap # ${i}\n`);
    expect(existsSync(path.join(dir, 'dev-01', 'app-900.yaml'))).toBe(false);
  });

  it('fails the apps a stopped thread held, naming why, and writes the rest in the calling thread', async () => {
    const dir = out();
    // A thread that stops at its first batch, writing nothing.
    const w = new ThreadedAppFileWriter(dir, "require('node:worker_threads').parentPort.on('message', () => process.exit(3));");
    for (let i = 0; i < 16; i++) await w.send(app(i));
    // Once the thread took the first batch and stopped:
    for (let waited = 0; w.threadRunning && waited < 20_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(w.threadRunning).toBe(false);
    for (let i = 16; i < 40; i++) await w.send(app(i));
    const failed = await w.drain();
    expect(failed.map((f) => f.app)).toEqual(Array.from({ length: 16 }, (_, i) => `app-${i}`));
    for (const f of failed) expect(f.error.message).toBe('the file writer thread stopped (exit code 3) before writing it');
    for (let i = 16; i < 40; i++) expect(readFileSync(path.join(dir, 'dev-01', `app-${i}.yaml`), 'utf8')).toBe(`kind: ConfigMap # ${i}\n`);
    for (let i = 0; i < 16; i++) expect(existsSync(path.join(dir, 'dev-01', `app-${i}.yaml`))).toBe(false);
  });
});
