import { dig } from '../workloads';
import type { PodTemplate } from '../workloads';
import { containersOf } from '../workloads';

// kubesec's published scoring rules (controlplaneio/kubesec pkg/ruler/ruleset.go): the same ids, points and reasons.
// A rule with negative points is critical when it matches; a positive one adds its points when it matches and is
// advice when it does not. "containers[]" rules match when any container (or init container) matches, as kubesec
// counts matching containers. Deliberate differences: kubesec's second memory rule is also called RequestsMemory (a
// copy slip); here it is LimitsMemory. Seccomp and AppArmor are read from the annotations kubesec reads and from the
// securityContext fields that replaced them.

/** One kubesec rule. */
export interface KubesecRule {
  readonly id: string;
  /** kubesec's selector, as shown in its reports. */
  readonly selector: string;
  readonly reason: string;
  readonly points: number;
  /** The kinds kubesec scores: Pod, Deployment, StatefulSet, DaemonSet (and StatefulSet-only rules). */
  readonly kinds: readonly string[];
  matches(obj: Record<string, unknown>, t: PodTemplate): boolean;
}

const WORKLOADS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet'];
type Json = Record<string, unknown>;

const anyContainer = (t: PodTemplate, test: (c: Json) => boolean): boolean => containersOf(t).some((c) => test(c.container));
const sc = (c: Json, ...k: string[]): unknown => dig(c, 'securityContext', ...k);
const has = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** Annotations of the object and of its Pod template (kubesec reads the workload's). */
function annotations(obj: Json): Record<string, unknown> {
  const own = dig(obj, 'metadata', 'annotations');
  const tpl = obj.kind === 'Pod' ? undefined : dig(obj, 'spec', 'template', 'metadata', 'annotations');
  return { ...(typeof own === 'object' && own ? (own as Json) : {}), ...(typeof tpl === 'object' && tpl ? (tpl as Json) : {}) };
}

function seccompTypes(obj: Json, t: PodTemplate): string[] {
  const out: string[] = [];
  const ann = annotations(obj);
  for (const [k, v] of Object.entries(ann)) if ((k === 'seccomp.security.alpha.kubernetes.io/pod' || k.startsWith('container.seccomp.security.alpha.kubernetes.io/')) && typeof v === 'string') out.push(v === 'unconfined' ? 'Unconfined' : 'Profile');
  const pod = dig(t.spec, 'securityContext', 'seccompProfile', 'type');
  if (typeof pod === 'string') out.push(pod === 'Unconfined' ? 'Unconfined' : 'Profile');
  for (const c of containersOf(t)) {
    const ty = sc(c.container, 'seccompProfile', 'type');
    if (typeof ty === 'string') out.push(ty === 'Unconfined' ? 'Unconfined' : 'Profile');
  }
  return out;
}

const rule = (id: string, selector: string, points: number, reason: string, matches: KubesecRule['matches'], kinds: readonly string[] = WORKLOADS): KubesecRule => ({ id, selector, points, reason, matches, kinds });

/** kubesec's rules, in its order. */
export const KUBESEC_RULES: readonly KubesecRule[] = [
  rule('HostNetwork', '.spec .hostNetwork == true', -9, "Sharing the host's network namespace permits processes in the pod to communicate with processes bound to the host's loopback adapter", (_o, t) => t.spec.hostNetwork === true),
  rule('HostPID', '.spec .hostPID == true', -9, "Sharing the host's PID namespace allows visibility of processes on the host, potentially leaking information such as environment variables and configuration", (_o, t) => t.spec.hostPID === true),
  rule('HostIPC', '.spec .hostIPC == true', -9, "Sharing the host's IPC namespace allows container processes to communicate with processes on the host", (_o, t) => t.spec.hostIPC === true),
  rule('ReadOnlyRootFilesystem', 'containers[] .securityContext .readOnlyRootFilesystem == true', 1, 'An immutable root filesystem can prevent malicious binaries being added to PATH and increase attack cost', (_o, t) => anyContainer(t, (c) => sc(c, 'readOnlyRootFilesystem') === true)),
  rule('RunAsNonRoot', 'containers[] .securityContext .runAsNonRoot == true', 1, 'Force the running image to run as a non-root user to ensure least privilege', (_o, t) => anyContainer(t, (c) => (sc(c, 'runAsNonRoot') ?? dig(t.spec, 'securityContext', 'runAsNonRoot')) === true)),
  rule('RunAsUser', 'containers[] .securityContext .runAsUser -gt 10000', 1, "Run as a high-UID user to avoid conflicts with the host's user table", (_o, t) => anyContainer(t, (c) => { const u = sc(c, 'runAsUser') ?? dig(t.spec, 'securityContext', 'runAsUser'); return typeof u === 'number' && u > 10000; })),
  rule('Privileged', 'containers[] .securityContext .privileged == true', -30, 'Privileged containers can allow almost completely unrestricted host access', (_o, t) => anyContainer(t, (c) => sc(c, 'privileged') === true)),
  rule('CapSysAdmin', 'containers[] .securityContext .capabilities .add == SYS_ADMIN', -30, 'CAP_SYS_ADMIN is the most privileged capability and should always be avoided', (_o, t) => anyContainer(t, (c) => { const a = sc(c, 'capabilities', 'add'); return Array.isArray(a) && a.some((x) => x === 'SYS_ADMIN' || x === 'CAP_SYS_ADMIN'); })),
  rule('CapDropAny', 'containers[] .securityContext .capabilities .drop', 1, 'Reducing kernel capabilities available to a container limits its attack surface', (_o, t) => anyContainer(t, (c) => { const d = sc(c, 'capabilities', 'drop'); return Array.isArray(d) && d.length > 0; })),
  rule('CapDropAll', 'containers[] .securityContext .capabilities .drop | index("ALL")', 1, 'Drop all capabilities and add only those required to reduce syscall attack surface', (_o, t) => anyContainer(t, (c) => { const d = sc(c, 'capabilities', 'drop'); return Array.isArray(d) && d.includes('ALL'); })),
  rule('DockerSock', 'volumes[] .hostPath .path == /var/run/docker.sock', -9, 'Mounting the docker.socket leaks information about other containers and can allow container breakout', (_o, t) => (Array.isArray(t.spec.volumes) ? t.spec.volumes : []).some((v) => dig(v, 'hostPath', 'path') === '/var/run/docker.sock')),
  rule('RequestsCPU', 'containers[] .resources .requests .cpu', 1, 'Enforcing CPU requests aids a fair balancing of resources across the cluster', (_o, t) => anyContainer(t, (c) => has(dig(c, 'resources', 'requests', 'cpu')))),
  rule('LimitsCPU', 'containers[] .resources .limits .cpu', 1, 'Enforcing CPU limits prevents DOS via resource exhaustion', (_o, t) => anyContainer(t, (c) => has(dig(c, 'resources', 'limits', 'cpu')))),
  rule('RequestsMemory', 'containers[] .resources .requests .memory', 1, 'Enforcing memory requests aids a fair balancing of resources across the cluster', (_o, t) => anyContainer(t, (c) => has(dig(c, 'resources', 'requests', 'memory')))),
  rule('LimitsMemory', 'containers[] .resources .limits .memory', 1, 'Enforcing memory limits prevents DOS via resource exhaustion', (_o, t) => anyContainer(t, (c) => has(dig(c, 'resources', 'limits', 'memory')))),
  rule('ServiceAccountName', '.spec .serviceAccountName', 3, 'Service accounts restrict Kubernetes API access and should be configured with least privilege', (_o, t) => has(t.spec.serviceAccountName)),
  rule('HostAliases', '.spec .hostAliases', -3, "Managing /etc/hosts aliases can prevent the container from modifying the file after a pod's containers have already been started. DNS should be managed by the orchestrator", (_o, t) => Array.isArray(t.spec.hostAliases) && t.spec.hostAliases.length > 0),
  rule('SeccompAny', '.metadata .annotations ."container.seccomp.security.alpha.kubernetes.io/pod"', 1, 'Seccomp profiles set minimum privilege and secure against unknown threats', (o, t) => seccompTypes(o, t).includes('Profile')),
  rule('SeccompUnconfined', '.metadata .annotations ."container.seccomp.security.alpha.kubernetes.io/pod"', -1, 'Unconfined Seccomp profiles have full system call access', (o, t) => seccompTypes(o, t).includes('Unconfined')),
  rule('ApparmorAny', '.metadata .annotations ."container.apparmor.security.beta.kubernetes.io/nginx"', 3, 'Well defined AppArmor policies may provide greater protection from unknown threats. WARNING: NOT PRODUCTION READY', (o, t) =>
    Object.entries(annotations(o)).some(([k, v]) => k.startsWith('container.apparmor.security.beta.kubernetes.io/') && v !== 'unconfined') || has(dig(t.spec, 'securityContext', 'appArmorProfile', 'type')),
  ),
  rule('VolumeClaimAccessModeReadWriteOnce', '.spec .volumeClaimTemplates[] .spec .accessModes | index("ReadWriteOnce")', 1, 'A ReadWriteOnce claim is mounted by one node only', (o) => (Array.isArray(dig(o, 'spec', 'volumeClaimTemplates')) ? (dig(o, 'spec', 'volumeClaimTemplates') as unknown[]) : []).some((v) => { const m = dig(v, 'spec', 'accessModes'); return Array.isArray(m) && m.includes('ReadWriteOnce'); }), ['StatefulSet']),
  rule('VolumeClaimRequestsStorage', '.spec .volumeClaimTemplates[] .spec .resources .requests .storage', 1, 'A claim that requests its storage size is scheduled where it fits', (o) => (Array.isArray(dig(o, 'spec', 'volumeClaimTemplates')) ? (dig(o, 'spec', 'volumeClaimTemplates') as unknown[]) : []).some((v) => has(dig(v, 'spec', 'resources', 'requests', 'storage'))), ['StatefulSet']),
  rule('AllowPrivilegeEscalation', 'containers[] .securityContext .allowPrivilegeEscalation == true', -7, 'Privilege escalation lets a process gain more privileges than its parent', (_o, t) => anyContainer(t, (c) => sc(c, 'allowPrivilegeEscalation') === true)),
];
