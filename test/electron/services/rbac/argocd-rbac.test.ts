// Argo CD's RBAC as Flotilla evaluates it with Casbin, against the cases of Argo CD's own tests (util/rbac
// rbac_test.go, server/rbacpolicy): the built-in roles, resource and action wildcards, deny over allow, project
// isolation, the default role, URLs as objects, groups through `g` lines, glob and regex match modes; and a malformed
// policy.csv whose bad lines are Problems at their file:line:col while the others keep working.
import { describe, expect, it } from 'vitest';
import { ArgoRbac } from '../../../../electron/services/rbac/argocd-rbac';
import { parseRbacConfig, RBAC_CONFIGMAP, readCsvLine } from '../../../../shared/rbac/policy';
import { formatProblem } from '../../../../shared/problem';
import { readNamedConfigMapFile } from '../../../../shared/yaml/config-map';

/** An enforcer over a policy.csv (and the ConfigMap's other keys), with Argo CD's built-in policy under it. */
async function rbacOf(csv: string, data: Record<string, string> = {}): Promise<ArgoRbac> {
  const { policy, problems } = parseRbacConfig({ 'policy.csv': csv, ...data }, { source: 'test' });
  expect(problems).toEqual([]);
  return await ArgoRbac.create(policy);
}

describe("Argo CD's RBAC evaluated with Casbin", () => {
  it('has the built-in roles: admin may do anything to applications, role:readonly only get', async () => {
    const enf = await rbacOf('');
    for (const [sub, act] of [['admin', 'get'], ['admin', 'delete'], ['role:readonly', 'get'], ['role:admin', 'get'], ['role:admin', 'delete'], ['admin', 'sync']] as const) {
      expect(enf.enforce(sub, 'applications', act, 'foo/bar').allowed, `${sub} ${act}`).toBe(true);
    }
    expect(enf.enforce('role:readonly', 'applications', 'create', 'foo/bar').allowed).toBe(false);
    expect(enf.enforce('role:readonly', 'applications', 'delete', 'foo/bar').allowed).toBe(false);
    expect(enf.enforce('admin', 'applications', 'sync', 'foo/bar').rule?.text).toBe('p, role:admin, applications, sync, */*, allow');
  });

  it('matches resource and action wildcards, and a deny wins over any allow (TestResourceActionWildcards)', async () => {
    const enf = await rbacOf([
      'p,alice,*,get,foo/obj,allow', 'p, bob, repositories, *, foo/obj, allow', 'p, cathy, *, *, foo/obj, allow',
      'p, dave, applications, get, foo/obj, allow', 'p, dave, applications/*, get, foo/obj, allow', 'p, eve, *, get, foo/obj, deny',
      'p, mallory, repositories, *, foo/obj, deny', 'p, mallory, repositories, *, foo/obj, allow', 'p, mike, *, *, foo/obj, allow',
      'p, mike, *, *, foo/obj, deny', 'p, trudy, applications, get, foo/obj, allow', 'p, trudy, applications/*, get, foo/obj, allow',
      'p, trudy, applications/secrets, get, foo/obj, deny',
    ].join('\n'));
    const can = (s: string, r: string, a: string): boolean => enf.enforce(s, r, a, 'foo/obj').allowed;
    expect([can('alice', 'applications', 'get'), can('alice', 'applications/resources', 'get'), can('alice', 'applications/resources', 'delete')]).toEqual([true, true, false]);
    expect([can('bob', 'repositories', 'get'), can('bob', 'repositories', 'delete'), can('bob', 'applications', 'get')]).toEqual([true, true, false]);
    expect([can('cathy', 'repositories', 'get'), can('cathy', 'repositories', 'delete'), can('cathy', 'applications', 'get'), can('cathy', 'applications/resources', 'delete')]).toEqual([true, true, true, true]);
    expect([can('dave', 'applications', 'get'), can('dave', 'applications/logs', 'get')]).toEqual([true, true]);
    expect([can('eve', 'applications', 'get'), can('eve', 'applications/resources', 'get'), can('eve', 'applications/resources', 'delete')]).toEqual([false, false, false]);
    expect([can('mallory', 'repositories', 'get'), can('mallory', 'repositories', 'delete'), can('mallory', 'applications', 'get')]).toEqual([false, false, false]);
    expect([can('mike', 'repositories', 'get'), can('mike', 'repositories', 'delete'), can('mike', 'applications', 'get'), can('mike', 'applications/resources', 'delete')]).toEqual([false, false, false, false]);
    expect([can('trudy', 'applications', 'get'), can('trudy', 'applications/logs', 'get'), can('trudy', 'applications/secrets', 'get')]).toEqual([true, true, false]);
  });

  it('keeps projects apart through roles (TestProjectIsolationEnforcement, TestProjectReadOnly)', async () => {
    const enf = await rbacOf('p, role:foo-admin, *, *, foo/*, allow\np, role:bar-admin, *, *, bar/*, allow\ng, alice, role:foo-admin\ng, bob, role:bar-admin\np, role:foo-readonly, *, get, foo/*, allow\ng, carol, role:foo-readonly');
    expect(enf.enforce('bob', 'applications', 'delete', 'bar/obj').allowed).toBe(true);
    expect(enf.enforce('bob', 'applications', 'delete', 'foo/obj').allowed).toBe(false);
    expect(enf.enforce('alice', 'applications', 'delete', 'foo/obj').allowed).toBe(true);
    expect(enf.enforce('alice', 'applications', 'delete', 'bar/obj').allowed).toBe(false);
    expect(enf.enforce('carol', 'applications', 'get', 'foo/obj').allowed).toBe(true);
    expect(enf.enforce('carol', 'applications', 'get', 'bar/obj').allowed).toBe(false);
    expect(enf.enforce('carol', 'applications', 'delete', 'foo/obj').allowed).toBe(false);
  });

  it('gives everybody the default role, tried first, so it allows even what a deny line refuses the user (TestDefaultRole)', async () => {
    expect((await rbacOf('')).enforce('bob', 'applications', 'get', 'foo/bar').allowed).toBe(false);
    const enf = await rbacOf('p, carol, applications, get, */*, deny', { 'policy.default': 'role:readonly' });
    const bob = enf.enforce('bob', 'applications', 'get', 'foo/bar');
    expect(bob).toMatchObject({ allowed: true, subject: 'role:readonly' });
    expect(bob.rule?.text).toBe('p, role:readonly, applications, get, */*, allow');
    // Argo CD's enforce: the default role's answer stands on its own.
    expect(enf.enforce('carol', 'applications', 'get', 'foo/bar').allowed).toBe(true);
    expect(enf.enforce('bob', 'applications', 'sync', 'foo/bar').allowed).toBe(false);
  });

  it('takes a URL as an object name (TestURLAsObjectName)', async () => {
    const enf = await rbacOf('p, alice, repositories, *, foo/*, allow\np, bob, repositories, *, foo/https://github.com/argoproj/argo-cd.git, allow');
    expect(enf.enforce('alice', 'repositories', 'delete', 'foo/https://github.com/argoproj/argo-cd.git').allowed).toBe(true);
    expect(enf.enforce('alice', 'repositories', 'delete', 'foo/https://github.com/golang/go.git').allowed).toBe(true);
    expect(enf.enforce('bob', 'repositories', 'delete', 'foo/https://github.com/argoproj/argo-cd.git').allowed).toBe(true);
    expect(enf.enforce('bob', 'repositories', 'delete', 'foo/https://github.com/golang/go.git').allowed).toBe(false);
  });

  it("checks a user's groups only when a g line assigns them, as Argo CD's API server does", async () => {
    const enf = await rbacOf([
      'p, role:deployer, applications, sync, shop/*, allow', 'g, my-org:team-a, role:deployer',
      'p, my-org:team-b, applications, sync, */*, allow', 'p, my-org:team-a, applications, sync, shop/payments, deny',
    ].join('\n'));
    expect(enf.can({ name: 'dave', groups: ['my-org:team-a'] }, 'applications', 'sync', 'shop/web')).toMatchObject({ allowed: true, subject: 'my-org:team-a' });
    expect(enf.can({ name: 'dave', groups: ['my-org:team-a'] }, 'applications', 'sync', 'shop/payments').allowed).toBe(false);
    expect(enf.can({ name: 'dave', groups: ['my-org:team-a'] }, 'applications', 'sync', 'billing/web').allowed).toBe(false);
    // team-b has a p line but no g line: Argo CD never checks it for a user in that group.
    expect(enf.can({ name: 'erin', groups: ['my-org:team-b'] }, 'applications', 'sync', 'shop/web').allowed).toBe(false);
    expect(enf.enforce('my-org:team-b', 'applications', 'sync', 'shop/web').allowed).toBe(true);
    expect(enf.subjects()).toEqual(['admin', 'my-org:team-a', 'my-org:team-b']);
  });

  it("matches objects with Argo CD's glob: `*` crosses `/`, braces and classes", async () => {
    const enf = await rbacOf('p, ann, applications, sync, */web, allow\np, ben, applications, sync, shop/*, allow\np, cid, applications, "{sync,get}", shop/web-[0-9], allow');
    expect(enf.enforce('ann', 'applications', 'sync', 'shop/web').allowed).toBe(true);
    expect(enf.enforce('ann', 'applications', 'sync', 'shop/team/web').allowed).toBe(true);
    expect(enf.enforce('ann', 'applications', 'sync', 'shop/webx').allowed).toBe(false);
    expect(enf.enforce('ben', 'applications', 'sync', 'shop/apps/web').allowed).toBe(true);
    expect(enf.enforce('cid', 'applications', 'get', 'shop/web-1').allowed).toBe(true);
    expect(enf.enforce('cid', 'applications', 'sync', 'shop/web-x').allowed).toBe(false);
  });

  it('matches unanchored Go regular expressions with policy.matchMode: regex', async () => {
    const enf = await rbacOf('p, alice, applications, (sync|get), ^shop/.*$, allow\np, bob, applications, sync, web, allow', { 'policy.matchMode': 'regex' });
    expect(enf.enforce('alice', 'applications', 'sync', 'shop/web').allowed).toBe(true);
    expect(enf.enforce('alice', 'applications', 'delete', 'shop/web').allowed).toBe(false);
    expect(enf.enforce('alice', 'applications', 'sync', 'billing/web').allowed).toBe(false);
    // Unanchored, as casbin's RegexMatch: `web` is found inside `shop/webshop`.
    expect(enf.enforce('bob', 'applications', 'sync', 'shop/webshop').allowed).toBe(true);
    // In glob mode the same line is a literal.
    expect((await rbacOf('p, bob, applications, sync, web, allow')).enforce('bob', 'applications', 'sync', 'shop/webshop').allowed).toBe(false);
  });

  it("reads policy.csv, then the other policy.*.csv keys in key order, as Argo CD's PolicyCSV", async () => {
    const { policy } = parseRbacConfig({ 'policy.z.csv': 'g, zed, role:admin', 'policy.csv': 'p, amy, applications, get, */*, allow', 'policy.a.csv': 'g, abe, role:readonly', 'policy.default': 'role:none' }, { source: 'test' });
    expect(policy.rules.map((r) => r.text)).toEqual(['p, amy, applications, get, */*, allow', 'g, abe, role:readonly', 'g, zed, role:admin']);
    expect(policy.defaultRole).toBe('role:none');
    expect((await ArgoRbac.create(policy)).enforce('zed', 'applications', 'sync', 'a/b').allowed).toBe(true);
  });
});

describe('a malformed policy.csv', () => {
  const text = [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${RBAC_CONFIGMAP}`, '  namespace: argocd', 'data:',
    '  policy.csv: |',
    '    p, role:deployer, applications, sync, shop/*, allow', // line 8
    '    p, alice, applications, get', // 9: four fields
    '    x, bob, role:deployer', // 10: neither p nor g
    '    p, "carol, applications, sync, */*, allow', // 11: unterminated quote
    '    g, dave, role:deployer', // 12
    '    p, erin, applications, sync, */*, alow', // 13: an effect that is neither
    '  policy.default: ""',
    '',
  ].join('\n');

  it('is a Problem per bad line at its file:line:col, and the other lines keep working', async () => {
    const read = readNamedConfigMapFile(text, 'argocd/argocd-rbac-cm.yaml', RBAC_CONFIGMAP);
    const { policy, problems } = parseRbacConfig(read.data!, read.origin);
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^argocd\/argocd-rbac-cm\.yaml:9:32: .*a p line has 6 fields .*this one has 4 \(line "p, alice, applications, get"\)/),
      expect.stringMatching(/^argocd\/argocd-rbac-cm\.yaml:10:5: .*must start with p .* not "x"/),
      expect.stringMatching(/^argocd\/argocd-rbac-cm\.yaml:11:46: invalid RBAC policy line: extraneous or missing " in quoted-field/),
      expect.stringMatching(/^argocd\/argocd-rbac-cm\.yaml:13:39: .*effect "alow" is neither allow nor deny/),
    ]);
    expect(problems.map((p) => p.severity)).toEqual(['error', 'error', 'error', 'warning']);
    expect(policy.rules.map((r) => r.at)).toEqual(['argocd/argocd-rbac-cm.yaml:8:5', 'argocd/argocd-rbac-cm.yaml:12:5', 'argocd/argocd-rbac-cm.yaml:13:5']);
    const enf = await ArgoRbac.create(policy);
    const dave = enf.enforce('dave', 'applications', 'sync', 'shop/web');
    expect(dave.allowed).toBe(true);
    expect(dave.rule?.at).toBe('argocd/argocd-rbac-cm.yaml:8:5');
    expect(enf.enforce('erin', 'applications', 'sync', 'shop/web').allowed).toBe(false);
  });

  it('names the column of a bad regular expression in regex mode', () => {
    const { problems } = parseRbacConfig({ 'policy.csv': 'p, alice, applications, sync, shop/(web, allow', 'policy.matchMode': 'regex' }, { source: 'cluster prod' });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/invalid regular expression .*missing closing \).* at cluster prod data\.policy\.csv line 1/);
  });

  it("reads each line as Go's encoding/csv does: leading spaces trimmed, quotes, bare quotes refused", () => {
    expect(readCsvLine('p,  "a, b" , x')).toEqual({ error: 'extraneous or missing " in quoted-field', column: 10 });
    expect(readCsvLine('p,  "a, b",x ')).toEqual({ fields: ['p', 'a, b', 'x '], columns: [1, 5, 12] });
    expect(readCsvLine('p, "say ""hi""", x')).toEqual({ fields: ['p', 'say "hi"', 'x'], columns: [1, 4, 18] });
    expect(readCsvLine('p, a"b, x')).toEqual({ error: 'bare " in non-quoted-field', column: 5 });
    expect(readCsvLine('g, a,')).toEqual({ fields: ['g', 'a', ''], columns: [1, 4, 6] });
  });
});
