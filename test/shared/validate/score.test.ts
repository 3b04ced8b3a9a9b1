import { describe, expect, it } from 'vitest';
import { KUBESEC_RULES } from '../../../shared/validate/score/kubesec-rules';
import { securityScore } from '../../../shared/validate/score/score';
import { SCORE_FINDING_ID, scoreValidator } from '../../../shared/validate/score/score-check';

// kubesec's rules, each with a fixture that matches it and one that does not: a bare Deployment (score 0, nothing
// critical) changed in one place.

type Obj = Record<string, unknown>;
function deployment(pod: Obj = {}, container: Obj = {}, extra: Obj = {}, kind = 'Deployment'): Obj {
  const podSpec = { containers: [{ name: 'app', image: 'app:1', ...container }], ...pod };
  if (kind === 'Pod') return { apiVersion: 'v1', kind, metadata: { name: 'app', ...extra }, spec: podSpec };
  return { apiVersion: 'apps/v1', kind, metadata: { name: 'app', ...extra }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: podSpec } } };
}
const sts = (claims: Obj[]): Obj => ({ ...deployment({}, {}, {}, 'StatefulSet'), spec: { ...(deployment({}, {}, {}, 'StatefulSet').spec as Obj), volumeClaimTemplates: claims } });

const FIXTURES: Record<string, { match: Obj; miss: Obj; also?: string[] }> = {
  HostNetwork: { match: deployment({ hostNetwork: true }), miss: deployment({ hostNetwork: false }) },
  HostPID: { match: deployment({ hostPID: true }), miss: deployment() },
  HostIPC: { match: deployment({ hostIPC: true }), miss: deployment() },
  ReadOnlyRootFilesystem: { match: deployment({}, { securityContext: { readOnlyRootFilesystem: true } }), miss: deployment({}, { securityContext: { readOnlyRootFilesystem: false } }) },
  RunAsNonRoot: { match: deployment({}, { securityContext: { runAsNonRoot: true } }), miss: deployment({}, { securityContext: { runAsNonRoot: false } }) },
  RunAsUser: { match: deployment({ securityContext: { runAsUser: 10001 } }), miss: deployment({}, { securityContext: { runAsUser: 1000 } }) },
  Privileged: { match: deployment({}, { securityContext: { privileged: true } }), miss: deployment({}, { securityContext: { privileged: false } }) },
  CapSysAdmin: { match: deployment({}, { securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }), miss: deployment({}, { securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] } } }) },
  CapDropAny: { match: deployment({}, { securityContext: { capabilities: { drop: ['NET_RAW'] } } }), miss: deployment({}, { securityContext: { capabilities: { drop: [] } } }) },
  CapDropAll: { also: ['CapDropAny'], match: deployment({}, { securityContext: { capabilities: { drop: ['ALL'] } } }), miss: deployment({}, { securityContext: { capabilities: { drop: ['NET_RAW'] } } }) },
  DockerSock: { match: deployment({ volumes: [{ name: 'd', hostPath: { path: '/var/run/docker.sock' } }] }), miss: deployment({ volumes: [{ name: 'd', hostPath: { path: '/var/log' } }] }) },
  RequestsCPU: { match: deployment({}, { resources: { requests: { cpu: '100m' } } }), miss: deployment({}, { resources: { limits: { cpu: '1' } } }) },
  LimitsCPU: { match: deployment({}, { resources: { limits: { cpu: '1' } } }), miss: deployment({}, { resources: { requests: { cpu: '1' } } }) },
  RequestsMemory: { match: deployment({}, { resources: { requests: { memory: '1Gi' } } }), miss: deployment({}, { resources: { limits: { memory: '1Gi' } } }) },
  LimitsMemory: { match: deployment({}, { resources: { limits: { memory: '1Gi' } } }), miss: deployment({}, { resources: { requests: { memory: '1Gi' } } }) },
  ServiceAccountName: { match: deployment({ serviceAccountName: 'app' }), miss: deployment({ serviceAccountName: '' }) },
  HostAliases: { match: deployment({ hostAliases: [{ ip: '10.0.0.1', hostnames: ['db'] }] }), miss: deployment({ hostAliases: [] }) },
  SeccompAny: { match: deployment({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }), miss: deployment({ securityContext: { seccompProfile: { type: 'Unconfined' } } }) },
  SeccompUnconfined: { also: [], match: deployment({}, {}, { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } }), miss: deployment({}, {}, { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default' } }) },
  ApparmorAny: { match: deployment({}, {}, { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' } }, 'Pod'), miss: deployment({}, {}, { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } }, 'Pod') },
  VolumeClaimAccessModeReadWriteOnce: { match: sts([{ spec: { accessModes: ['ReadWriteOnce'] } }]), miss: sts([{ spec: { accessModes: ['ReadWriteMany'] } }]) },
  VolumeClaimRequestsStorage: { match: sts([{ spec: { resources: { requests: { storage: '1Gi' } } } }]), miss: sts([{ spec: {} }]) },
  AllowPrivilegeEscalation: { match: deployment({}, { securityContext: { allowPrivilegeEscalation: true } }), miss: deployment({}, { securityContext: { allowPrivilegeEscalation: false } }) },
};

const matched = (o: Obj): string[] => { const s = securityScore(o)!; return [...s.critical, ...s.passed].map((r) => r.id); };

describe("security score after kubesec's rules", () => {
  it('every rule has a fixture', () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(KUBESEC_RULES.map((r) => r.id).sort());
  });

  for (const [id, fx] of Object.entries(FIXTURES)) {
    const rule = KUBESEC_RULES.find((r) => r.id === id)!;
    it(`${id} (${rule.points > 0 ? '+' : ''}${rule.points}): its fixture matches it; the other does not`, () => {
      // Some fixtures necessarily match a sibling rule too (dropping ALL drops some; a limit without a request).
      expect(matched(fx.match).sort()).toEqual([id, ...(fx.also ?? [])].sort());
      const also = KUBESEC_RULES.filter((r) => fx.also?.includes(r.id)).reduce((n, r) => n + r.points, 0);
      expect(securityScore(fx.match)!.score).toBe(rule.points + also);
      expect(matched(fx.miss)).not.toContain(id);
    });
  }

  it('scores only the kinds kubesec scores', () => {
    expect(securityScore({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} })).toBeUndefined();
    expect(securityScore(deployment({}, {}, {}, 'Job'))).toBeUndefined();
  });

  it('a critical rule fails the workload; the summary finding carries the score, points earned and advice', () => {
    const obj = deployment({ serviceAccountName: 'app' }, { securityContext: { privileged: true, readOnlyRootFilesystem: true } });
    const f = scoreValidator().run([{ object: obj, source: { file: 'apps/a.yaml', line: 3 } }], { cluster: 'prod' }).findings;
    expect(f.map((x) => [x.id, x.severity, x.score])).toEqual([['Privileged', 'error', undefined], [SCORE_FINDING_ID, 'error', -26]]);
    expect(f[1]!.message).toBe('Deployment app: security score -26 (failed: Privileged); points: +1 ReadOnlyRootFilesystem, +3 ServiceAccountName');
    expect(f[1]!.remediation).toContain('RunAsNonRoot (+1)');
    const clean = scoreValidator().run([{ object: deployment({ serviceAccountName: 'app' }) }], {}).findings;
    expect(clean.map((x) => [x.id, x.severity, x.score])).toEqual([[SCORE_FINDING_ID, 'info', 3]]);
  });

  it('a critical rule is suppressed by its ignore-check annotation', () => {
    const obj = deployment({ hostNetwork: true }, {}, { annotations: { 'ignore-check.flotilla.dev/HostNetwork': 'CNI agent' } }, 'Pod');
    const f = scoreValidator().run([{ object: obj }], {}).findings;
    expect(f.map((x) => [x.id, x.severity, x.score])).toEqual([[SCORE_FINDING_ID, 'info', -9]]);
  });
});
