import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpBridge } from '../../../electron/server/http-bridge';
import { startHttpBridge } from '../../../electron/server/http-bridge';
import { createApiHandlers } from '../../../electron/services/api-handlers';
import { Session } from '../../../electron/services/session';
import type { FleetOverviewView } from '../../../shared/fleet/app-listing';
import { exampleRepo, tempDir } from '../../helpers/git-fixtures';

describe('the HTTP bridge of flotilla serve', () => {
  let repo: { dir: string; cleanup: () => void };
  let data: { dir: string; cleanup: () => void };
  let bridge: HttpBridge;
  let session: Session;
  let base: string;

  beforeAll(async () => {
    repo = exampleRepo();
    data = tempDir();
    const staticDir = path.join(data.dir, 'ui');
    mkdirSync(staticDir);
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Flotilla</title>');
    session = new Session({ repoPath: repo.dir, dataDir: data.dir });
    bridge = await startHttpBridge({ handlers: createApiHandlers(session), events: session.events, staticDir });
    base = `http://127.0.0.1:${bridge.port}`;
  });
  afterAll(async () => {
    await bridge.close();
    repo.cleanup();
    data.cleanup();
  });

  it('binds to loopback and prints a URL carrying a long random token', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
  });

  it('refuses requests without the token', async () => {
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/api/invoke/fleet:overview`, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await fetch(`${base}/api/invoke/fleet:overview`, { method: 'POST', body: '{}', headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  it('exchanges the URL token for an HttpOnly SameSite cookie and serves the page with a CSP', async () => {
    const first = await fetch(bridge.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${base}/`, { headers: { cookie: setCookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    // fetch() cannot forge Host; a raw request can, as a rebinding page's would arrive.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: bridge.port, path: '/api/invoke/fleet:overview', method: 'POST', headers: { Host: `evil.example:${bridge.port}`, Authorization: `Bearer ${bridge.token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(421);
  });

  it('serves the same handler table: the overview of the example fleet', async () => {
    const res = await fetch(`${base}/api/invoke/fleet:overview`, { method: 'POST', body: '{}', headers: { Authorization: `Bearer ${bridge.token}` } });
    const env = (await res.json()) as { ok: true; result: FleetOverviewView };
    expect(env.ok).toBe(true);
    expect(env.result.appsets.map((s) => s.name).sort()).toEqual(['apps', 'platform']);
    // Each app is carried once, in `apps`; an ApplicationSet names its apps, every name a row there.
    const rows = new Set(env.result.apps.map((a) => a.name));
    for (const s of env.result.appsets) {
      expect(s).not.toHaveProperty('apps');
      expect(s.appNames.length).toBeGreaterThan(0);
      for (const n of s.appNames) expect(rows.has(n), `${s.name} names ${n}`).toBe(true);
      expect(s.appNames).toEqual(env.result.apps.filter((a) => a.appset === s.name).map((a) => a.name));
    }
    // Each app as its listing, not its whole Application (the app page reads that with app:detail): no manifest in it.
    expect(JSON.stringify(env.result)).not.toContain('"kind":"Application"');
    for (const a of env.result.apps) expect(Object.keys(a).filter((k) => !['name', 'appset', 'origin', 'cluster', 'project', 'destination', 'source', 'problems'].includes(k)), a.name).toEqual([]);
    expect(env.result.apps.find((a) => a.name === 'guestbook')).toMatchObject({ cluster: 'dev', source: { path: expect.any(String) } });
  });

  it('returns errors as Problems, not stack traces', async () => {
    const res = await fetch(`${base}/api/invoke/repo:open`, { method: 'POST', body: JSON.stringify({ path: '/nonexistent/repo' }), headers: { Authorization: `Bearer ${bridge.token}` } });
    const env = (await res.json()) as { ok: false; problem: { message: string } };
    expect(env).toMatchObject({ ok: false, problem: { message: 'repository folder does not exist: /nonexistent/repo' } });
    const unknown = await fetch(`${base}/api/invoke/nope`, { method: 'POST', body: '{}', headers: { Authorization: `Bearer ${bridge.token}` } });
    expect(unknown.status).toBe(404);
  });

  it('pushes events over server-sent events', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${base}/api/events`, { headers: { Authorization: `Bearer ${bridge.token}` }, signal: ctrl.signal });
    const reader = res.body!.getReader();
    await reader.read(); // the ": connected" comment
    session.events.emit('progress', { id: 'p1', label: 'rendering', done: 1, total: 2 });
    const { value } = await reader.read();
    ctrl.abort();
    expect(new TextDecoder().decode(value)).toContain('event: progress\ndata: {"id":"p1","label":"rendering","done":1,"total":2}');
  });
});
