import { podTemplateOf, selects } from '../workloads';
import type { LintRule } from './rule';

// KubeLinter's default checks across objects: Services without Pods, selectors that miss their template, missing
// ServiceAccounts, removed API versions. "Across objects" means the objects of one app on one cluster, as KubeLinter
// sees the files it is given.

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const nsOf = (o: Json): string => (isObj(o.metadata) && typeof o.metadata.namespace === 'string' ? o.metadata.namespace : '');

/** The cross-object rules. */
export const OBJECT_RULES: readonly LintRule[] = [
  {
    id: 'dangling-service',
    severity: 'warning',
    description: 'A Service selects no Pods of any workload.',
    remediation: "Make the Service's selector match the labels of one of your workloads' Pods.",
    check(obj, scope) {
      if (obj.kind !== 'Service' || obj.apiVersion !== 'v1') return [];
      const selector = isObj(obj.spec) ? obj.spec.selector : undefined;
      if (!isObj(selector) || Object.keys(selector).length === 0) return [];
      const ns = nsOf(obj);
      const hit = scope.objects.some((o) => nsOf(o) === ns && selects(selector, podTemplateOf(o)?.labels ?? {}) && podTemplateOf(o) !== undefined);
      return hit ? [] : [{ message: `no workload's Pods match selector ${Object.entries(selector).map(([k, v]) => `${k}=${String(v)}`).join(',')}`, path: ['spec', 'selector'] }];
    },
  },
  {
    id: 'mismatching-selector',
    severity: 'error',
    description: "A workload's selector does not match its Pod template labels.",
    remediation: 'Make the selector match the labels of the Pod template.',
    check(obj) {
      const t = podTemplateOf(obj);
      if (!t || obj.kind === 'Pod' || obj.kind === 'CronJob' || obj.kind === 'Job') return [];
      const selector = isObj(obj.spec) ? obj.spec.selector : undefined;
      if (!isObj(selector)) return [];
      return selects(selector, t.labels) ? [] : [{ message: 'selector does not match the Pod template labels', path: ['spec', 'selector'] }];
    },
  },
  {
    id: 'non-existent-service-account',
    severity: 'warning',
    description: 'A Pod refers to a ServiceAccount that is not among the objects.',
    remediation: 'Create the missing ServiceAccount, or refer to an existing one.',
    check(obj, scope) {
      const t = podTemplateOf(obj);
      const sa = t?.spec.serviceAccountName ?? t?.spec.serviceAccount;
      if (!t || typeof sa !== 'string' || sa === '' || sa === 'default') return [];
      const ns = nsOf(obj);
      const found = scope.objects.some((o) => o.kind === 'ServiceAccount' && nsOf(o) === ns && isObj(o.metadata) && o.metadata.name === sa);
      return found ? [] : [{ message: `ServiceAccount "${sa}" is not among the app's objects`, path: [...t.path, 'serviceAccountName'] }];
    },
  },
  {
    id: 'no-extensions-v1beta',
    severity: 'error',
    description: 'The object uses a removed extensions/v1beta API version.',
    remediation: 'Migrate to the apps/v1 or networking.k8s.io/v1 API versions.',
    check: (obj) => (typeof obj.apiVersion === 'string' && /^extensions\/v1beta.+/.test(obj.apiVersion) ? [{ message: `uses ${obj.apiVersion}`, path: ['apiVersion'] }] : []),
  },
];
