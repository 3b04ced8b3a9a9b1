// The signature of the commit each app × cluster runs, through the app's own paths: the grid (`fleet:status`), the app
// page (`app:detail`), the Reports page (`report:drift` in every format), `flotilla drift-report` and `flotilla status
// -o json`. Real SSH keys (ssh-keygen) and an allowed-signers file in the repository's git config; a recorded snapshot.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandlers } from '../../../electron/services/api-handlers';
import { Session } from '../../../electron/services/session';
import { unpackGrid } from '../../../shared/fleet/grid-pack';
import type { DriftReport } from '../../../shared/report/drift-report';
import { exampleRepo, tempDir } from '../../helpers/git-fixtures';
import { cli } from '../../helpers/run-cli';
import type { SignedFleet } from '../../helpers/signed-fleet';
import { recordRunning, signFleet } from '../../helpers/signed-fleet';

const cleanups: (() => void)[] = [];
let repo = '';
let data = '';
let f: SignedFleet;
let session: Session;

beforeAll(() => {
  const r = exampleRepo();
  const t = tempDir('flotilla-sigview-');
  cleanups.push(r.cleanup, t.cleanup);
  repo = r.dir;
  data = path.join(t.dir, 'data');
  f = signFleet(repo, path.join(t.dir, 'keys'));
  recordRunning(data, [
    { app: 'frontend-dev', cluster: 'dev', environment: 'dev', revision: f.signed },
    { app: 'frontend-staging', cluster: 'staging', environment: 'staging', revision: f.untrusted },
    { app: 'frontend-prod', cluster: 'prod', environment: 'prod', revision: f.unsigned },
    // Argo CD says it applied the signed commit: what the cluster runs is the controller's revision, not Flotilla's.
    { app: 'api-dev', cluster: 'dev', environment: 'dev', revision: f.unsigned, controller: { controller: 'Argo CD', kind: 'Application', cluster: 'dev', namespace: 'argocd', name: 'api-dev', sync: 'Synced', health: 'Healthy', revision: f.signed } },
    // Flux applied a commit this repository does not have: nothing can be checked, so the verdict is unknown.
    { app: 'worker-dev', cluster: 'dev', environment: 'dev', revision: f.signed, controller: { controller: 'Flux', kind: 'Kustomization', cluster: 'dev', namespace: 'flux-system', name: 'worker', ready: { status: 'True' }, revision: `main@sha1:${f.absent}` } },
  ]);
  session = new Session({ repoPath: repo, dataDir: data, kubeconfig: [path.join(t.dir, 'no-kubeconfig')] });
  cleanups.push(() => session.close());
});
afterAll(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('the signature of the commit each app × cluster runs', () => {
  it('is on every grid cell that runs a known commit, one verdict per commit', async () => {
    const api = createApiHandlers(session);
    const view = await api['fleet:status']({});
    // The grid travels packed: each verdict once, however many cells run its commit.
    expect(view.grid.signatures.map((s) => s.commit).sort()).toEqual([f.signed, f.untrusted, f.unsigned, f.absent].sort());
    const grid = unpackGrid(view.grid);
    const cell = (row: string, cluster: string) => grid.rows.find((r) => r.key === row)!.cells[cluster]!;
    expect(cell('frontend', 'dev').signature).toMatchObject({ commit: f.signed, status: 'good', format: 'ssh', signer: 'alice@example.com', key: f.alice.fingerprint });
    expect(cell('frontend', 'staging').signature).toMatchObject({ commit: f.untrusted, status: 'unknown-key', format: 'ssh', key: f.mallory.fingerprint });
    expect(cell('frontend', 'prod').signature).toEqual({ commit: f.unsigned, status: 'unsigned' });
    expect(cell('api', 'dev').signature).toMatchObject({ commit: f.signed, status: 'good' });
    expect(cell('worker', 'dev').signature).toEqual({ commit: f.absent, status: 'missing' });
    // Never refreshed there: no commit is known to run, so no verdict is claimed.
    expect(cell('api', 'prod').signature).toBeUndefined();
    expect(view.problems.filter((p) => /signature/.test(p.message))).toEqual([]);
    // The verdicts are plain data: no key file path reaches the UI.
    expect(JSON.stringify(view)).not.toContain(f.alice.file);
  });

  it('is on the app page of an app × cluster', async () => {
    const api = createApiHandlers(session);
    expect((await api['app:detail']({ app: 'frontend-staging', cluster: 'staging' })).signature).toMatchObject({ commit: f.untrusted, status: 'unknown-key' });
    expect((await api['app:detail']({ app: 'api-dev', cluster: 'dev' })).signature).toMatchObject({ commit: f.signed, status: 'good', signer: 'alice@example.com' });
    expect((await api['app:detail']({ app: 'api-prod', cluster: 'prod' })).signature).toBeUndefined();
  });

  it('is in the Reports page\'s drift report, as JSON, Markdown, HTML and JUnit', async () => {
    const api = createApiHandlers(session);
    const json = await api['report:drift']({ format: 'json' });
    const sig = (app: string) => json.report.entries.find((e) => e.app === app)!.signature;
    expect(sig('frontend-dev')).toEqual({ commit: f.signed, verdict: 'signed', words: 'signed by alice@example.com', signer: 'alice@example.com', key: f.alice.fingerprint, format: 'ssh', detail: null });
    expect(sig('frontend-staging')).toMatchObject({ verdict: 'untrusted', words: `signed by an untrusted key ${f.mallory.fingerprint}`, signer: null });
    expect(sig('frontend-prod')).toMatchObject({ verdict: 'unsigned', words: 'unsigned', key: null, format: null });
    expect(sig('worker-dev')).toMatchObject({ commit: f.absent, verdict: 'unknown' });
    const md = (await api['report:drift']({ format: 'md' })).content;
    expect(md).toContain('| Environment | Cluster | App | Revision | Signature | Sync |');
    expect(md).toContain(`| dev | dev | frontend-dev | \`${f.signed.slice(0, 12)}\` | signed by alice@example.com | Synced |`);
    // The controller applied another commit than Flotilla recorded: the report names the one that runs.
    expect(md).toContain(`| dev | dev | api-dev | \`${f.unsigned.slice(0, 12)}\` | signed by alice@example.com \\(runs ${f.signed.slice(0, 12)}\\) |`);
    const html = (await api['report:drift']({ format: 'html' })).content;
    expect(html).toContain('<th>Signature</th>');
    expect(html).toContain('<td class="sig-unsigned">unsigned</td>');
    const junit = (await api['report:drift']({ format: 'junit' })).content;
    expect(junit).toContain(`<testcase classname="staging.staging" name="frontend-staging">\n      <properties><property name="signature" value="untrusted"/><property name="signature.commit" value="${f.untrusted}"/>`);
  });

  it('is in `flotilla drift-report` and `flotilla status -o json`', async () => {
    const out = await cli(['drift-report', '--offline', '--repo', repo, '--data-dir', data, '-f', 'json']);
    expect(out.code).toBe(0);
    const report = JSON.parse(out.out) as DriftReport;
    expect(report.entries.map((e) => `${e.app} ${e.signature?.verdict ?? '-'}`).sort()).toEqual(['api-dev signed', 'frontend-dev signed', 'frontend-prod unsigned', 'frontend-staging untrusted', 'worker-dev unknown']);
    // No cluster can be read: each row shows what was last observed, and the signature of the commit it ran then.
    const status = await cli(['status', '--repo', repo, '--data-dir', data, '--kubeconfig', path.join(data, 'none'), '-o', 'json']);
    const rows = JSON.parse(status.out) as { app: string; cluster: string; freshness: string; signature: { verdict: string; commit: string } | null }[];
    const row = (app: string) => rows.find((r) => r.app === app)!;
    expect(row('frontend-staging')).toMatchObject({ freshness: 'stale', signature: { verdict: 'untrusted', commit: f.untrusted } });
    expect(row('api-dev').signature).toMatchObject({ verdict: 'signed', commit: f.signed });
    expect(row('api-prod')).toMatchObject({ freshness: 'never', signature: null });
  });
});
