import type { JsonPath } from '../../yaml/node-position';
import type { ContainerAt, PodTemplate } from '../workloads';
import { containersOf, dig, podTemplateOf } from '../workloads';
import type { LintHit, LintRule } from './rule';

// KubeLinter's default checks on containers and Pod specs (docs/generated/checks.md), one rule each, with the same
// ids and semantics; each finds nothing on objects that run no Pods.

type Json = Record<string, unknown>;

/** A rule over each container of a workload. */
function perContainer(id: string, severity: LintRule['severity'], description: string, remediation: string, test: (c: ContainerAt, t: PodTemplate) => LintHit | undefined, includeInit = true): LintRule {
  return {
    id,
    severity,
    description,
    remediation,
    check(obj) {
      const t = podTemplateOf(obj);
      if (!t) return [];
      return containersOf(t).flatMap((c) => (includeInit || !c.init ? [test(c, t)].filter((h): h is LintHit => h !== undefined) : []));
    },
  };
}

/** A rule over a workload's Pod spec. */
function perPod(id: string, severity: LintRule['severity'], description: string, remediation: string, test: (t: PodTemplate) => LintHit[]): LintRule {
  return { id, severity, description, remediation, check: (obj) => { const t = podTemplateOf(obj); return t ? test(t) : []; } };
}

const csc = (c: ContainerAt, ...k: string[]): unknown => dig(c.container, 'securityContext', ...k);
const psc = (t: PodTemplate, ...k: string[]): unknown => dig(t.spec, 'securityContext', ...k);
const at = (c: ContainerAt, ...rest: (string | number)[]): JsonPath => [...c.path, ...rest];
const named = (c: ContainerAt): string => `${c.init ? 'init container' : 'container'} "${c.name}"`;

/** Whether a quantity is unset or zero (KubeLinter's bounds 0..0). */
function unsetOrZero(q: unknown): boolean {
  if (q === undefined || q === null || q === '') return true;
  const n = typeof q === 'number' ? q : Number.parseFloat(String(q));
  return Number.isFinite(n) && n === 0;
}

function requirements(resource: 'cpu' | 'memory'): (c: ContainerAt) => LintHit | undefined {
  return (c) => {
    const missing = (['requests', 'limits'] as const).filter((k) => unsetOrZero(dig(c.container, 'resources', k, resource)));
    if (missing.length === 0) return undefined;
    return { message: `${named(c)} has no ${resource} ${missing.join(' or ')} set`, path: at(c, 'resources') };
  };
}

const LATEST = [/:latest$/, /^[^:]*$/, /^.*\/[^:]+$/];
const SENSITIVE_DIRS = [/^\/$/, /^\/boot$/, /^\/dev$/, /^\/etc$/, /^\/lib$/, /^\/proc$/, /^\/sys$/, /^\/usr$/];
const UNSAFE_SYSCTLS = ['kernel.msg', 'kernel.sem', 'kernel.shm', 'fs.mqueue.', 'net.'];

/** hostPath volumes of a Pod spec mounted by some container, with the container and mount path. */
function hostMounts(t: PodTemplate): { path: string; c: ContainerAt; mountIndex: number }[] {
  const volumes = Array.isArray(t.spec.volumes) ? (t.spec.volumes as Json[]) : [];
  const host = new Map<string, string>();
  for (const v of volumes) {
    const p = dig(v, 'hostPath', 'path');
    if (typeof v?.name === 'string' && typeof p === 'string') host.set(v.name, p.replace(/\/+$/, '') || '/');
  }
  const out: { path: string; c: ContainerAt; mountIndex: number }[] = [];
  for (const c of containersOf(t)) {
    const mounts = Array.isArray(c.container.volumeMounts) ? (c.container.volumeMounts as Json[]) : [];
    mounts.forEach((m, i) => {
      const p = typeof m?.name === 'string' ? host.get(m.name) : undefined;
      if (p !== undefined) out.push({ path: p, c, mountIndex: i });
    });
  }
  return out;
}

/** The container and Pod rules. */
export const CONTAINER_RULES: readonly LintRule[] = [
  perContainer('latest-tag', 'warning', 'A container runs an image with the latest tag or no tag.', 'Use a container image with a fixed tag (or a digest), not :latest.', (c) => {
    const image = c.container.image;
    if (typeof image !== 'string' || image.includes('@')) return undefined;
    return LATEST.some((r) => r.test(image)) ? { message: `${named(c)} runs image "${image}" with ${image.endsWith(':latest') ? 'the latest tag' : 'no tag'}`, path: at(c, 'image') } : undefined;
  }),
  perContainer('unset-cpu-requirements', 'warning', 'A container has no CPU requests and limits.', 'Set CPU requests and limits for the container based on its needs.', requirements('cpu')),
  perContainer('unset-memory-requirements', 'warning', 'A container has no memory requests and limits.', 'Set memory requests and limits for the container based on its needs.', requirements('memory')),
  perContainer('run-as-non-root', 'warning', 'A container is not set to run as a non-root user.', 'Set runAsNonRoot: true and a non-zero runAsUser in the Pod or container securityContext.', (c, t) => {
    const nonRoot = csc(c, 'runAsNonRoot') ?? psc(t, 'runAsNonRoot');
    const user = csc(c, 'runAsUser') ?? psc(t, 'runAsUser');
    if (nonRoot === true || (typeof user === 'number' && user > 0)) return undefined;
    return { message: `${named(c)} is not set to runAsNonRoot`, path: at(c, 'securityContext') };
  }),
  perContainer('no-read-only-root-fs', 'warning', 'A container runs without a read-only root filesystem.', 'Set readOnlyRootFilesystem: true in the container securityContext.', (c) =>
    csc(c, 'readOnlyRootFilesystem') === true ? undefined : { message: `${named(c)} does not have a read-only root file system`, path: at(c, 'securityContext', 'readOnlyRootFilesystem') },
  ),
  perContainer('privileged-container', 'error', 'A container runs in privileged mode.', 'Do not run the container as privileged unless it is required.', (c) =>
    csc(c, 'privileged') === true ? { message: `${named(c)} is privileged`, path: at(c, 'securityContext', 'privileged') } : undefined,
  ),
  perContainer('privilege-escalation-container', 'error', 'A container allows privilege escalation (allowPrivilegeEscalation, privileged or CAP_SYS_ADMIN).', 'Set allowPrivilegeEscalation: false in the container securityContext.', (c) => {
    const add = csc(c, 'capabilities', 'add');
    const sysAdmin = Array.isArray(add) && add.some((x) => x === 'SYS_ADMIN' || x === 'CAP_SYS_ADMIN');
    if (csc(c, 'allowPrivilegeEscalation') === true || csc(c, 'privileged') === true || sysAdmin) return { message: `${named(c)} allows privilege escalation`, path: at(c, 'securityContext') };
    return undefined;
  }),
  perContainer('drop-net-raw-capability', 'warning', 'A container does not drop the NET_RAW capability.', 'Drop NET_RAW (or ALL) in the container securityContext capabilities.', (c) => {
    const drop = csc(c, 'capabilities', 'drop');
    const add = csc(c, 'capabilities', 'add');
    const dropped = Array.isArray(drop) && drop.some((x) => x === 'NET_RAW' || x === 'ALL' || x === 'CAP_NET_RAW');
    const added = Array.isArray(add) && add.some((x) => x === 'NET_RAW' || x === 'CAP_NET_RAW' || x === 'ALL');
    return dropped && !added ? undefined : { message: `${named(c)} ${added ? 'adds' : 'does not drop'} NET_RAW`, path: at(c, 'securityContext', 'capabilities') };
  }),
  perContainer('env-var-secret', 'warning', 'A container sets a secret in a plain environment variable.', 'Do not put secrets in environment variables; mount the Secret as a file or use secretKeyRef.', (c) => {
    const env = Array.isArray(c.container.env) ? (c.container.env as Json[]) : [];
    const i = env.findIndex((e) => typeof e?.name === 'string' && /secret/i.test(e.name) && typeof e.value === 'string' && e.value !== '');
    return i < 0 ? undefined : { message: `${named(c)} sets environment variable ${String(env[i]!.name)} to a literal value`, path: at(c, 'env', i, 'value') };
  }),
  perContainer('ssh-port', 'warning', 'A container exposes port 22 (SSH).', 'Make sure non-SSH services do not use port 22, and vet any real SSH server.', (c) => {
    const ports = Array.isArray(c.container.ports) ? (c.container.ports as Json[]) : [];
    const i = ports.findIndex((p) => p?.containerPort === 22 && (p.protocol === undefined || p.protocol === 'TCP'));
    return i < 0 ? undefined : { message: `${named(c)} exposes port 22/TCP`, path: at(c, 'ports', i) };
  }),
  perContainer('no-liveness-probe', 'warning', 'A container has no liveness probe.', 'Specify a livenessProbe for the container.', (c) =>
    c.container.livenessProbe ? undefined : { message: `${named(c)} has no liveness probe`, path: c.path },
  false),
  perContainer('no-readiness-probe', 'warning', 'A container has no readiness probe.', 'Specify a readinessProbe for the container.', (c) =>
    c.container.readinessProbe ? undefined : { message: `${named(c)} has no readiness probe`, path: c.path },
  false),
  perPod('host-network', 'error', "The Pod shares the host's network namespace.", "Do not share the host's network namespace (hostNetwork).", (t) => (t.spec.hostNetwork === true ? [{ message: "uses the host's network namespace", path: [...t.path, 'hostNetwork'] }] : [])),
  perPod('host-pid', 'error', "The Pod shares the host's process namespace.", "Do not share the host's process namespace (hostPID).", (t) => (t.spec.hostPID === true ? [{ message: "uses the host's process namespace", path: [...t.path, 'hostPID'] }] : [])),
  perPod('host-ipc', 'error', "The Pod shares the host's IPC namespace.", "Do not share the host's IPC namespace (hostIPC).", (t) => (t.spec.hostIPC === true ? [{ message: "uses the host's IPC namespace", path: [...t.path, 'hostIPC'] }] : [])),
  perPod('docker-sock', 'error', 'A container mounts the Docker socket.', 'Remove the volume and mount of docker.sock: it gives full control of the host.', (t) =>
    hostMounts(t).filter((m) => /docker\.sock$/.test(m.path)).map((m) => ({ message: `${named(m.c)} mounts host path ${m.path}`, path: at(m.c, 'volumeMounts', m.mountIndex) })),
  ),
  perPod('sensitive-host-mounts', 'error', 'A container mounts a sensitive host directory.', 'Do not mount sensitive host directories (/, /boot, /dev, /etc, /lib, /proc, /sys, /usr).', (t) =>
    hostMounts(t).filter((m) => SENSITIVE_DIRS.some((r) => r.test(m.path))).map((m) => ({ message: `${named(m.c)} mounts sensitive host path ${m.path}`, path: at(m.c, 'volumeMounts', m.mountIndex) })),
  ),
  perPod('unsafe-sysctls', 'error', 'The Pod sets unsafe sysctls.', 'Remove unsafe sysctls (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*, net.*) from the Pod securityContext.', (t) => {
    const s = psc(t, 'sysctls');
    return (Array.isArray(s) ? (s as Json[]) : []).flatMap((x, i) => (typeof x?.name === 'string' && UNSAFE_SYSCTLS.some((u) => (x.name as string).startsWith(u)) ? [{ message: `sets unsafe sysctl ${x.name}`, path: [...t.path, 'securityContext', 'sysctls', i] }] : []));
  }),
  perPod('no-anti-affinity', 'warning', 'A workload with several replicas has no Pod anti-affinity.', 'Add podAntiAffinity with topologyKey kubernetes.io/hostname so replicas land on different nodes.', (t) =>
    t.replicas !== undefined && t.replicas >= 2 && dig(t.spec, 'affinity', 'podAntiAffinity') === undefined ? [{ message: `has ${t.replicas} replicas and no podAntiAffinity`, path: t.path }] : [],
  ),
  perPod('deprecated-service-account-field', 'warning', 'The Pod uses the deprecated serviceAccount field.', 'Use serviceAccountName instead of serviceAccount.', (t) =>
    typeof t.spec.serviceAccount === 'string' && t.spec.serviceAccount !== '' ? [{ message: 'uses the deprecated serviceAccount field', path: [...t.path, 'serviceAccount'] }] : [],
  ),
];
