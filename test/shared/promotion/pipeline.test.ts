import { describe, expect, it } from 'vitest';
import { activeFreeze, signatureGate, stageGates } from '../../../shared/promotion/gates';
import { parsePipelineFile } from '../../../shared/promotion/pipeline';
import type { CommitSignature } from '../../../shared/repo/signature';
import type { ApprovalRecord } from '../../../shared/promotion/approval';
import { editYaml, parseYamlPath } from '../../../shared/promotion/yaml-path';

const FANOUT = `apiVersion: flotilla.dev/v1alpha1
kind: Pipeline
metadata:
  name: web
spec:
  overlayPath: deploy/{{app}}/{{stage}}
  promote:
    images: [ghcr.io/acme/web]
    paths:
      - file: values.yaml
        path: replicas[name=web].count
    revision: true
  git:
    pushTo: review
  stages:
    - name: dev
    - name: staging
      from: dev
    - name: prod-eu
      from: staging
      clusters: [eu-1, eu-2]
      gates:
        soak: 1h30m
        approvers: [alice, bob, carol]
        requiredApprovals: 2
        manualOnly: true
    - name: prod-us
      from: staging
`;

describe('parsePipelineFile', () => {
  it('refuses fields it does not know — a git target under a stage, a Kargo promotionTemplate, a typo — at their line and column', () => {
    const text = FANOUT
      .replace('    - name: staging\n      from: dev\n', '    - name: staging\n      from: dev\n      git:\n        branch: release\n')
      .replace('  git:\n    pushTo: review\n', '  git:\n    pushTo: review\n  promotionTemplate:\n    steps: []\n')
      .replace('        soak: 1h30m\n', '        soak: 1h30m\n        aprovers: [dave]\n');
    const r = parsePipelineFile(text, 'pipeline.yaml');
    expect(r.pipelines).toEqual([]);
    expect(r.problems.map((p) => `${p.line}:${p.column}: ${p.message}`)).toEqual([
      '15:3: pipeline: spec.promotionTemplate: unknown field "promotionTemplate": `promotionTemplate` is a Kargo field; Flotilla reads spec.promote (images, paths, revision)',
      '21:7: pipeline: spec.stages.1.git: unknown field "git": `git` belongs under spec (one git target per pipeline); a stage cannot push elsewhere',
      '28:9: pipeline: spec.stages.2.gates.aprovers: unknown field "aprovers" (did you mean "approvers"?)',
    ]);
  });

  it('reads stages with fan-out, what moves, gates and the review push', () => {
    const r = parsePipelineFile(FANOUT, 'pipeline.yaml');
    expect(r.problems).toEqual([]);
    const p = r.pipelines[0]!;
    expect(p.stages.map((s) => [s.name, s.from])).toEqual([['dev', undefined], ['staging', 'dev'], ['prod-eu', 'staging'], ['prod-us', 'staging']]);
    expect(p.stages[2]).toMatchObject({ clusters: ['eu-1', 'eu-2'], gates: { soakMs: 5_400_000, approvers: ['alice', 'bob', 'carol'], requiredApprovals: 2, manualOnly: true } });
    expect(p.promote).toEqual({ images: ['ghcr.io/acme/web'], paths: [{ file: 'values.yaml', path: ['replicas', { key: 'name', value: 'web' }, 'count'], source: 'replicas[name=web].count' }], revision: true });
    expect(p.git).toEqual({ remote: 'origin', review: true, reviewBranchPrefix: 'flotilla/promote-' });
  });

  it('names file, line and column of each bad field, and of YAML that does not parse', () => {
    const bad = FANOUT.replace('soak: 1h30m', 'soak: soon').replace('from: dev', 'from: qa').replace('requiredApprovals: 2', 'requiredApprovals: 5');
    expect(parsePipelineFile(bad, 'p.yaml').problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`)).toEqual([
      'p.yaml:18:13: pipeline: spec.stages.1.from: stage "qa" is not declared before "staging" (known: dev)',
      'p.yaml:23:15: pipeline: spec.stages.2.gates.soak: expected a duration such as 10m or 1h, got "soon"',
      'p.yaml:25:28: pipeline: spec.stages.2.gates.requiredApprovals: expected a whole number from 0 to the number of approvers (3)',
    ]);
    const broken = parsePipelineFile(FANOUT.replace('    - name: dev\n', '    - name: [dev\n'), 'p.yaml');
    expect(broken.pipelines).toEqual([]);
    expect(broken.problems[0]).toMatchObject({ file: 'p.yaml', line: expect.any(Number), column: expect.any(Number) });
    expect(broken.problems[0]!.message).toMatch(/^YAML: /);
  });

  it('reads gates.signedCommits (default false) and names a value that is not true or false', () => {
    const signed = parsePipelineFile(FANOUT.replace('        manualOnly: true\n', '        manualOnly: true\n        signedCommits: true\n'), 'p.yaml');
    expect(signed.problems).toEqual([]);
    expect(signed.pipelines[0]!.stages.map((s) => s.gates.signedCommits)).toEqual([false, false, true, false]);
    const bad = parsePipelineFile(FANOUT.replace('        manualOnly: true\n', '        manualOnly: true\n        signedCommits: "yes"\n'), 'p.yaml');
    expect(bad.problems.map((p) => `${p.line}:${p.column}: ${p.message}`)).toEqual(['27:24: pipeline: spec.stages.2.gates.signedCommits: expected true or false']);
  });
});

describe('editYaml', () => {
  it('replaces only the scalar, keeping its quotes, comments and layout', () => {
    const text = 'images:\n  - name: web   # the app\n    newTag: "1.2.3"  # pinned\nreplicas: [ {name: web, count: 2} ]\n';
    const r = editYaml(text, 'k.yaml', [{ path: ['images', 0, 'newTag'], value: '1.3.0' }, { path: ['replicas', 0, 'count'], value: 3 }]);
    expect(r).toEqual({ text: 'images:\n  - name: web   # the app\n    newTag: "1.3.0"  # pinned\nreplicas: [ {name: web, count: 3} ]\n', changed: true, problems: [] });
  });

  it('quotes a plain value that would otherwise read as a number, and leaves an equal value alone', () => {
    expect(editYaml('tag: v1\n', 'a.yaml', [{ path: ['tag'], value: '1.10' }]).text).toBe('tag: "1.10"\n');
    expect(editYaml('tag: v1\n', 'a.yaml', [{ path: ['tag'], value: '2.0.1' }]).text).toBe('tag: 2.0.1\n');
    expect(editYaml('tag: v1 # x\n', 'a.yaml', [{ path: ['tag'], value: 'v1' }])).toEqual({ text: 'tag: v1 # x\n', changed: false, problems: [] });
  });

  it('adds a missing field through the Document API when the file prints back unchanged, and refuses when it would reformat', () => {
    expect(editYaml('images:\n  - name: web\n', 'k.yaml', [{ path: ['images', 0, 'newTag'], value: '2.0.0' }]).text).toBe('images:\n  - name: web\n    newTag: 2.0.0\n');
    const odd = 'images:\n- name: web\n';
    const r = editYaml(odd, 'k.yaml', [{ path: ['images', 0, 'newTag'], value: '2.0.0' }]);
    expect(r.changed).toBe(false);
    expect(r.problems[0]!.message).toContain('would reformat this file');
  });

  it('parses YAML paths and says what is wrong with a bad one', () => {
    expect(parseYamlPath('spec.template.spec.containers[0].image')).toEqual(['spec', 'template', 'spec', 'containers', 0, 'image']);
    expect(parseYamlPath('a..b')).toMatch(/empty segment/);
  });
});

describe('gates', () => {
  it('freezes from each cron fire time for the duration (UTC)', () => {
    const w = { cron: '0 16 * * 5', durationMs: 64 * 3_600_000 };
    expect(activeFreeze(w, Date.parse('2026-11-20T15:59:00Z'))).toBeUndefined();
    expect(activeFreeze(w, Date.parse('2026-11-21T10:00:00Z'))).toContain('since 2026-11-20T16:00:00.000Z');
    expect(activeFreeze(w, Date.parse('2026-11-23T07:59:00Z'))).toBeDefined();
    expect(activeFreeze(w, Date.parse('2026-11-23T08:00:00Z'))).toBeUndefined();
  });

  it('counts only good signatures of listed approvers on this digest, never the promoter, and refuses --yes on a manual-only stage', () => {
    const gates = { freshnessMs: 300_000, approvers: ['alice', 'bob'], requiredApprovals: 1, freezeWindows: [], manualOnly: true, signedCommits: false };
    const digest = `sha256:${'d'.repeat(64)}`;
    const plan = { kind: 'promotion' as const, pipeline: 'apps', digest };
    // git's verdicts on approval records, as the Node side hands them over.
    const record = (n: number, signature: Omit<CommitSignature, 'commit'>, over: Partial<ApprovalRecord> = {}): ApprovalRecord => {
      const commit = String(n).repeat(40);
      return { kind: 'promotion', pipeline: 'apps', stage: 'prod', digest, subject: '', commit, signature: { commit, ...signature }, ...over };
    };
    const alice = { status: 'good' as const, format: 'ssh' as const, signer: 'alice', key: 'SHA256:alice' };
    const r = stageGates('prod', gates, { now: 0, confirmation: 'flag', approvals: [record(1, alice)], promoter: { identity: 'Alice <alice@example.com>', key: 'SHA256:alice' } }, plan);
    expect(r.map((g) => [g.gate, g.passed])).toEqual([['approval', false], ['manual', false]]);
    expect(r[0]!.approvals).toEqual([{ commit: '1'.repeat(40), signer: 'alice', counted: false, reason: 'approval 1111111: signed by alice (ssh SHA256:alice), who promotes and cannot approve' }]);
    expect(r[1]!.reason).toBe('prod is manual-only: confirm in the UI or at an interactive prompt (--yes and automation are refused)');
    const mixed = stageGates('prod', gates, {
      now: 0,
      confirmation: 'interactive',
      promoter: { identity: 'Pat <pat@example.com>' },
      approvals: [
        record(2, { status: 'good', format: 'ssh', signer: 'mallory', key: 'SHA256:m' }),
        record(3, { status: 'unknown-key', format: 'ssh', key: 'SHA256:x', detail: 'No principal matched.' }),
        record(4, { status: 'bad', format: 'ssh', signer: 'bob', key: 'SHA256:b' }),
        record(5, alice, { digest: `sha256:${'e'.repeat(64)}` }),
        record(6, { status: 'unsigned' }),
        record(7, alice, { stage: 'staging' }),
      ],
    }, plan);
    expect(mixed[0]!.passed).toBe(false);
    expect(mixed[0]!.approvals!.map((a) => a.reason)).toEqual([
      'approval 2222222: signed by mallory (ssh SHA256:m), who is not an approver of prod (approvers: alice, bob)',
      'approval 3333333: 3333333 is signed by a key the repository does not trust (ssh SHA256:x): No principal matched.',
      'approval 4444444: 4444444 has a bad signature claiming bob (ssh SHA256:b)',
      'approval 5555555: signed by alice (ssh SHA256:alice) for another plan (sha256:eeeeeeeeeeee); this plan is sha256:dddddddddddd: the plan changed since, approve it again',
      'approval 6666666: 6666666 is not signed: a typed name is not an approval',
    ]);
    const ok = stageGates('prod', gates, { now: 0, confirmation: 'interactive', approvals: [record(8, { status: 'good', format: 'openpgp', signer: 'Bob <bob@example.com>', key: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' })], promoter: { identity: 'Alice <alice@example.com>' } }, { ...plan });
    // `bob` names bob's OpenPGP user id only when it is his email: here it is not, so he is not an approver.
    expect(ok[0]!.passed).toBe(false);
    const byEmail = stageGates('prod', { ...gates, approvers: ['bob@example.com'] }, { now: 0, confirmation: 'interactive', approvals: [record(8, { status: 'good', format: 'openpgp', signer: 'Bob <bob@example.com>', key: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' })] }, plan);
    expect(byEmail.every((g) => g.passed)).toBe(true);
    expect(byEmail[0]!.reason).toBe('approved by bob@example.com (Bob <bob@example.com>) in 8888888 (signed, plan sha256:dddddddddddd)');
    // Without a plan (the pipeline graph) the gate says what is needed.
    expect(stageGates('prod', gates, { now: 0, confirmation: 'interactive' })[0]!.reason).toBe("needs 1 signed approval(s) from alice, bob of the plan's digest");
  });

  it('passes signedCommits only on a good signature, naming the signer or the key otherwise', () => {
    const gates = { freshnessMs: 300_000, approvers: [], requiredApprovals: 0, freezeWindows: [], manualOnly: false, signedCommits: true };
    const commit = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    const at = (sourceSignature?: CommitSignature): [string, boolean, string][] => stageGates('prod', gates, { now: 0, confirmation: 'flag', ...(sourceSignature ? { sourceSignature } : {}) }).map((g) => [g.gate, g.passed, g.reason]);
    expect(at({ commit, status: 'good', format: 'ssh', signer: 'alice@example.com', key: 'SHA256:abc' })).toEqual([['signature', true, 'a1b2c3d has a good signature by alice@example.com (ssh SHA256:abc)']]);
    expect(at({ commit, status: 'unsigned' })).toEqual([['signature', false, 'prod requires signed commits: a1b2c3d is not signed']]);
    expect(at({ commit, status: 'unknown-key', format: 'openpgp', key: '83F6A73E6F3F0D5D', detail: "gpg: Can't check signature: No public key" })).toEqual([
      ['signature', false, "prod requires signed commits: a1b2c3d is signed by a key the repository does not trust (openpgp 83F6A73E6F3F0D5D): gpg: Can't check signature: No public key"],
    ]);
    expect(at({ commit, status: 'bad', format: 'ssh', detail: 'Signature verification failed: incorrect signature' })[0]![1]).toBe(false);
    expect(at()).toEqual([['signature', false, "prod requires signed commits and the source revision's signature was not verified"]]);
    expect(signatureGate('prod', { commit, status: 'missing' }).passed).toBe(false);
    expect(stageGates('prod', { ...gates, signedCommits: false }, { now: 0, confirmation: 'flag' })).toEqual([]);
  });
});
