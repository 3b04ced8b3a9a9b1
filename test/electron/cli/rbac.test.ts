// `flotilla rbac`: who may sync which app of the example fleet by its argocd-rbac-cm, `rbac can` with groups and the
// default role, and a malformed policy: each bad line on stderr at its file:line:col, the rest still answered.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadKubeconfig } from '../../helpers/dead-clusters';
import { commitAll, exampleRepo } from '../../helpers/git-fixtures';
import { cli } from '../../helpers/run-cli';

let repo: { dir: string; cleanup: () => void };
let data: string;

beforeAll(() => {
  repo = exampleRepo();
  data = mkdtempSync(path.join(os.tmpdir(), 'flotilla-rbac-data-'));
});
afterAll(() => repo.cleanup());

describe('flotilla rbac', () => {
  it('lists who may sync each app, with the line that allows it', async () => {
    const r = await cli(['rbac', '--app', 'api-prod', '--data-dir', data, '-o', 'json'], repo.dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { source: string; defaultRole: string; apps: { app: string; object: string; subjects: { subject: string; allowed: boolean; via?: string }[] }[] };
    expect(report).toMatchObject({ source: 'argocd/argocd-rbac-cm.yaml', defaultRole: 'role:readonly' });
    expect(report.apps).toHaveLength(1);
    expect(report.apps[0]!.object).toBe('default/api-prod');
    expect(report.apps[0]!.subjects.map((s) => `${s.subject} ${s.allowed} ${s.via ?? ''}`)).toEqual([
      'admin true Argo CD built-in policy line 12',
      'example-org:developers false argocd/argocd-rbac-cm.yaml:13:5',
      'example-org:platform true Argo CD built-in policy line 12',
      'release-manager true argocd/argocd-rbac-cm.yaml:18:5',
    ]);
    const table = await cli(['rbac', '--app', 'api-dev', '--data-dir', data], repo.dir);
    expect(table.out).toMatch(/api-dev\s+default\/api-dev\s+example-org:developers\s+yes\s+argocd\/argocd-rbac-cm\.yaml:12:5\s+p, role:developer, applications, sync, default\/\*, allow/);
  });

  it('answers `rbac can` for a user and their groups: 0 yes, 1 no, naming the deciding line', async () => {
    const yes = await cli(['rbac', 'can', 'dave', 'sync', 'api-dev', '--group', 'example-org:developers', '--data-dir', data], repo.dir);
    expect(yes.code).toBe(0);
    expect(yes.out).toBe('yes: dave (groups example-org:developers) may sync default/api-dev — argocd/argocd-rbac-cm.yaml:12:5: p, role:developer, applications, sync, default/*, allow\n');
    const no = await cli(['rbac', 'can', 'dave', 'sync', 'api-prod', '--group', 'example-org:developers', '--data-dir', data], repo.dir);
    expect(no.code).toBe(1);
    expect(no.out).toContain('no: dave (groups example-org:developers) may not sync default/api-prod — denied at argocd/argocd-rbac-cm.yaml:13:5');
    // Everybody has the default role: get is allowed to anyone, sync is not.
    const get = await cli(['rbac', 'can', 'nobody', 'get', 'api-prod', '--data-dir', data], repo.dir);
    expect(get.code).toBe(0);
    expect(get.out).toContain('by the default role role:readonly');
    expect((await cli(['rbac', 'can', 'nobody', 'sync', 'api-prod', '--data-dir', data], repo.dir)).code).toBe(1);
    const unknownApp = await cli(['rbac', 'can', 'dave', 'sync', 'nope', '--data-dir', data], repo.dir);
    expect(unknownApp.code).toBe(2);
    expect(unknownApp.err).toContain('no Application named nope');
  });

  it('reports each malformed line at its file:line:col and still answers from the others (exit 1)', async () => {
    const file = path.join(repo.dir, 'argocd/argocd-rbac-cm.yaml');
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, before.replace('    g, example-org:platform, role:admin\n', '    g, example-org:platform, role:admin, extra\n    p, "unterminated, applications, sync, */*, allow\n'));
    commitAll(repo.dir, 'A broken policy');
    try {
      const r = await cli(['rbac', 'can', 'dave', 'sync', 'api-dev', '--group', 'example-org:developers', '--data-dir', data], repo.dir);
      expect(r.err).toContain('error: argocd/argocd-rbac-cm.yaml:16:42: invalid RBAC policy line: a g line has 3 fields (g, user or group, role), this one has 4');
      expect(r.err).toMatch(/error: argocd\/argocd-rbac-cm\.yaml:17:53: invalid RBAC policy line: extraneous or missing " in quoted-field/);
      expect(r.err).toContain('Argo CD refuses it as a whole');
      expect(r.out).toMatch(/^yes: dave .* argocd\/argocd-rbac-cm\.yaml:12:5/);
      expect(r.code).toBe(1);
    } finally {
      writeFileSync(file, before);
      commitAll(repo.dir, 'Policy mended');
    }
  });

  it('prefers argocd-rbac-cm.yaml in the data folder, and says when there is none', async () => {
    const local = mkdtempSync(path.join(os.tmpdir(), 'flotilla-rbac-local-'));
    writeFileSync(path.join(local, 'argocd-rbac-cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-rbac-cm\ndata:\n  policy.csv: |\n    p, dave, applications, sync, default/api-prod, allow\n');
    const r = await cli(['rbac', 'can', 'dave', 'sync', 'api-prod', '--data-dir', local], repo.dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${path.join(local, 'argocd-rbac-cm.yaml')}:7:5`);
    const bare = exampleRepo();
    try {
      writeFileSync(path.join(bare.dir, 'argocd/argocd-rbac-cm.yaml'), '# none\n');
      commitAll(bare.dir, 'No policy');
      const none = await cli(['rbac', '--data-dir', data], bare.dir);
      expect(none.code).toBe(2);
      expect(none.err).toContain('no argocd-rbac-cm found');
    } finally {
      bare.cleanup();
    }
  });
});

describe('flotilla sync --check on a cluster that cannot answer', () => {
  it('is unknown, never allowed: exit 2 with the reason', async () => {
    const kubeconfig = await deadKubeconfig(mkdtempSync(path.join(os.tmpdir(), 'flotilla-rbac-dead-')), ['dev']);
    const r = await cli(['sync', 'api-dev', '--check', '--repo', repo.dir, '--kubeconfig', kubeconfig, '--timeout', '2s'], repo.dir);
    expect(r.out).toMatch(/dev\s+sync\s+0 permissions\s+unknown\s+could not check on dev what you may do: .*(ECONNREFUSED|connect)/);
    expect(r.code).toBe(2);
  });
});
