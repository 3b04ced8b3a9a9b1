// Realistic desired manifests and the live objects an API server returns for them (defaults, status, managedFields).
import type { KubeObject } from '../../../shared/model/status';

/** A Deployment as rendered from Git. */
export function desiredDeployment(over: { replicas?: number; image?: string; labels?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'guestbook-ui', namespace: 'guestbook', labels: over.labels ?? { app: 'guestbook-ui' } },
    spec: {
      replicas: over.replicas ?? 3,
      selector: { matchLabels: { app: 'guestbook-ui' } },
      template: {
        metadata: { labels: { app: 'guestbook-ui' } },
        spec: {
          containers: [
            {
              name: 'guestbook-ui',
              image: over.image ?? 'gcr.io/heptio-images/ks-guestbook-demo:0.2',
              ports: [{ containerPort: 80 }],
              resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: 1 } },
            },
          ],
        },
      },
    },
  };
}

/** The live Deployment the API server holds after Flotilla applied `desiredDeployment()` with server-side apply. */
export function liveDeployment(over: { replicas?: number; image?: string; labels?: Record<string, string>; extraManagers?: unknown[] } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'guestbook-ui',
      namespace: 'guestbook',
      uid: '1f6c4f6e-2b55-4a3e-9c0a-6b2a5e2d7c11',
      resourceVersion: '48213',
      generation: 4,
      creationTimestamp: '2026-11-20T09:12:44Z',
      labels: over.labels ?? { app: 'guestbook-ui' },
      annotations: {
        'deployment.kubernetes.io/revision': '2',
        'argocd.argoproj.io/tracking-id': 'guestbook:apps/Deployment:guestbook/guestbook-ui',
      },
      managedFields: [
        {
          manager: 'flotilla',
          operation: 'Apply',
          apiVersion: 'apps/v1',
          time: '2026-11-20T09:12:44Z',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': {
              'f:replicas': {},
              'f:selector': {},
              'f:template': {
                'f:metadata': { 'f:labels': { 'f:app': {} } },
                'f:spec': {
                  'f:containers': {
                    'k:{"name":"guestbook-ui"}': {
                      '.': {},
                      'f:image': {},
                      'f:name': {},
                      'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                      'f:resources': { 'f:limits': { 'f:cpu': {} }, 'f:requests': { 'f:cpu': {}, 'f:memory': {} } },
                    },
                  },
                },
              },
            },
          },
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'apps/v1',
          time: '2026-11-20T09:13:02Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:metadata': { 'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} } }, 'f:status': { 'f:replicas': {} } },
          subresource: 'status',
        },
        ...(over.extraManagers ?? []),
      ],
    },
    spec: {
      progressDeadlineSeconds: 600,
      replicas: over.replicas ?? 3,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'guestbook-ui' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'guestbook-ui' } },
        spec: {
          containers: [
            {
              name: 'guestbook-ui',
              image: over.image ?? 'gcr.io/heptio-images/ks-guestbook-demo:0.2',
              imagePullPolicy: 'IfNotPresent',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1' } },
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
        },
      },
    },
    status: {
      availableReplicas: 3,
      observedGeneration: 4,
      readyReplicas: 3,
      replicas: 3,
      updatedReplicas: 3,
      conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }],
    },
  };
}

/** A Service as rendered from Git. */
export function desiredService(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'guestbook-ui', namespace: 'guestbook' },
    spec: { ports: [{ port: 80, targetPort: 80 }], selector: { app: 'guestbook-ui' } },
  };
}

/** The live Service, with the fields the API server fills in. */
export function liveService(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'guestbook-ui', namespace: 'guestbook', uid: 'c0ffee00-0000-4000-8000-000000000001', resourceVersion: '48100', creationTimestamp: '2026-11-20T09:12:44Z' },
    spec: {
      clusterIP: '10.96.120.14',
      clusterIPs: ['10.96.120.14'],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      selector: { app: 'guestbook-ui' },
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
    status: { loadBalancer: {} },
  };
}

/** A Secret as rendered from Git (stringData, as people write it). */
export function desiredSecret(password: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db-credentials', namespace: 'guestbook' },
    type: 'Opaque',
    stringData: { username: 'guestbook', password },
  };
}

/** The live Secret (data base64-encoded, with kubectl's last-applied annotation holding the values). */
export function liveSecret(password: string): KubeObject {
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'db-credentials',
      namespace: 'guestbook',
      uid: 'c0ffee00-0000-4000-8000-000000000002',
      resourceVersion: '48101',
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-credentials', namespace: 'guestbook' }, stringData: { username: 'guestbook', password } }),
      },
    },
    type: 'Opaque',
    data: { username: b64('guestbook'), password: b64(password) },
  };
}
