// `flotilla validate --live` reads a target cluster's admission policies from the cluster itself. The policy made
// here only audits (it never denies nor warns), so the other tests sharing the fleet's staging cluster are unaffected.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, exampleRepo } from '../../helpers/git-fixtures';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { kubeRequest, retargetExample, useKubeFleet } from '../../helpers/kube-fleet';
import { cli } from '../../helpers/run-cli';

interface JsonReport { targets: { app?: string; cluster?: string; findings: { check: string; id: string; severity: string; message: string }[] }[] }

const T = randomBytes(3).toString('hex');
const POLICY = `audit-owner-${T}`;
const VAP = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const BINDINGS = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';

let fleet: LocalFleetState;
let repo: { dir: string; cleanup: () => void };

beforeAll(async () => {
  fleet = await useKubeFleet();
  repo = exampleRepo();
  retargetExample(fleet, repo.dir);
  commitAll(repo.dir, 'point the example at the test clusters');
  const policy = {
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: POLICY },
    spec: {
      matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] },
      validations: [{ expression: `has(object.metadata.annotations) && '${POLICY}' in object.metadata.annotations`, messageExpression: `'no owner annotation on ' + object.metadata.name` }],
    },
  };
  const binding = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: POLICY }, spec: { policyName: POLICY, validationActions: ['Audit'] } };
  for (const [path, body] of [[VAP, policy], [BINDINGS, binding]] as const) {
    const res = await kubeRequest(fleet, 'staging', 'POST', path, body);
    if (res.status !== 201) throw new Error(`creating ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
});

afterAll(async () => {
  await kubeRequest(fleet, 'staging', 'DELETE', `${BINDINGS}/${POLICY}`);
  await kubeRequest(fleet, 'staging', 'DELETE', `${VAP}/${POLICY}`);
  repo?.cleanup();
});

describe('flotilla validate --live', () => {
  it("checks each staging app against the policies read from the staging cluster, and not without --live", async () => {
    const audited = (r: { out: string }): string[] => (JSON.parse(r.out) as JsonReport).targets
      .flatMap((t) => t.findings.filter((f) => f.check === 'admission' && f.id === POLICY).map((f) => `${f.severity} ${f.message}`));
    const live = await cli(['validate', '--cluster', 'staging', '--live', '--kubeconfig', fleet.kubeconfig, '--repo', repo.dir, '-o', 'json']);
    expect(live.err).not.toContain('not read live');
    expect(audited(live)).toContain(`warning staging's policy \`${POLICY}\` (binding ${POLICY}) would audit Deployment api: no owner annotation on api`);
    const offline = await cli(['validate', '--cluster', 'staging', '--repo', repo.dir, '-o', 'json']);
    expect(audited(offline)).toEqual([]);
  });

  it('says so when a cluster cannot be read, and still checks the policies the repository renders', async () => {
    const staging = fleet.clusters.find((c) => c.name === 'staging')!;
    const dead = path.join(repo.dir, '..', `dead-${T}.kubeconfig`);
    writeFileSync(dead, readFileSync(fleet.kubeconfig, 'utf8').split(staging.server).join('https://127.0.0.1:9'));
    const r = await cli(['validate', '--cluster', 'staging', '--live', '--kubeconfig', dead, '--timeout', '2s', '--repo', repo.dir, '-o', 'json']);
    expect(r.err).toMatch(/admission policies of cluster staging not read live \(.+\); only the repository's policies were checked/);
    expect((JSON.parse(r.out) as JsonReport).targets.length).toBeGreaterThan(0);
    expect(r.code).toBe(1);
  });
});
