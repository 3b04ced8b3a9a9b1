import type { HealthCheck } from '../types';
import { customResourceDefinitionHealth } from './apiextensions-custom-resource-definition';
import { analysisRunHealth } from './argo-analysis-run';
import { applicationSetHealth } from './argo-application-set';
import { cronWorkflowHealth } from './argo-cron-workflow';
import { experimentHealth } from './argo-experiment';
import { rolloutHealth } from './argo-rollout';
import { cronJobHealth } from './batch-cron-job';
import { sealedSecretHealth } from './bitnami-sealed-secret';
import { certificateHealth } from './cert-manager-certificate';
import { clusterIssuerHealth } from './cert-manager-cluster-issuer';
import { issuerHealth } from './cert-manager-issuer';
import { cnpgClusterHealth } from './cnpg-cluster';
import { clusterSecretStoreHealth } from './external-secrets-cluster-secret-store';
import { externalSecretHealth } from './external-secrets-external-secret';
import { secretStoreHealth } from './external-secrets-secret-store';
import { flaggerCanaryHealth } from './flagger-canary';
import { fluxGitRepositoryHealth } from './flux-git-repository';
import { fluxHelmReleaseHealth } from './flux-helm-release';
import { fluxHelmRepositoryHealth } from './flux-helm-repository';
import { fluxKustomizationHealth } from './flux-kustomization';
import { gatewayHealth } from './gateway-api-gateway';
import { httpRouteHealth } from './gateway-api-http-route';
import { scaledJobHealth } from './keda-scaled-job';
import { scaledObjectHealth } from './keda-scaled-object';
import { knativeServiceHealth } from './knative-service';
import { podDisruptionBudgetHealth } from './policy-pod-disruption-budget';
import { prometheusHealth } from './prometheus-operator-prometheus';
import { strimziKafkaHealth } from './strimzi-kafka';
import { EXTERNAL_SECRETS_OTHER_CHECKS } from './external-secrets-others';
import { FLUX_OTHER_CHECKS } from './flux-others';
import { GATEWAY_API_OTHER_CHECKS } from './gateway-api-others';
import { GLOO_CHECKS } from './solo-gloo';
import { RABBITMQ_CHECKS } from './rabbitmq';
import { CLUSTER_API_CHECKS } from './cluster-api';
import { CLOUD_CONTROLLER_CHECKS } from './cloud-controllers';
import { CROSSPLANE_CHECKS } from './crossplane';
import { KEPTN_CHECKS } from './keptn';
import { KUBEVIRT_CHECKS } from './kubevirt';
import { THREESCALE_CHECKS } from './threescale';
import { HUMIO_CHECKS } from './humio';
import { ASTRA_CHECKS } from './astra';
import { NUMAFLOW_CHECKS } from './numaflow';
import { NUMAPLANE_CHECKS } from './numaplane';
import { KRUISE_CHECKS } from './kruise';
import { MARIADB_CHECKS } from './mariadb';
import { OPERATOR_CHECKS } from './operators';
import { ELASTIC_CHECKS } from './elastic';
import { CONFLUENT_CHECKS } from './confluent';
import { GRAFANA_CHECKS } from './grafana';
import { OBSERVABILITY_CHECKS } from './observability';
import { OPENSHIFT_CHECKS } from './openshift';
import { MULTICLUSTER_CHECKS } from './multicluster';
import { DATA_PLATFORM_CHECKS } from './data-platforms';
import { NETWORKING_CHECKS } from './networking';
import { DATABASE_CHECKS } from './databases';
import { CLOUD_SERVICE_CHECKS } from './cloud-services';
import { PLATFORM_MISC_CHECKS } from './platform-misc';
import { STORAGE_CHECKS } from './storage';
import { PROMOTER_CHECKS } from './promoter';
import { STRIMZI_OTHER_CHECKS } from './strimzi-others';

/** Ports of Argo CD's bundled `resource_customizations` health checks. */
export const BUNDLED_CHECKS: readonly HealthCheck[] = [
  rolloutHealth,
  analysisRunHealth,
  experimentHealth,
  applicationSetHealth,
  cronWorkflowHealth,
  cronJobHealth,
  podDisruptionBudgetHealth,
  customResourceDefinitionHealth,
  sealedSecretHealth,
  certificateHealth,
  issuerHealth,
  clusterIssuerHealth,
  fluxKustomizationHealth,
  fluxHelmReleaseHealth,
  fluxGitRepositoryHealth,
  fluxHelmRepositoryHealth,
  externalSecretHealth,
  secretStoreHealth,
  clusterSecretStoreHealth,
  scaledObjectHealth,
  scaledJobHealth,
  gatewayHealth,
  httpRouteHealth,
  prometheusHealth,
  knativeServiceHealth,
  strimziKafkaHealth,
  cnpgClusterHealth,
  flaggerCanaryHealth,
  ...FLUX_OTHER_CHECKS,
  ...STRIMZI_OTHER_CHECKS,
  ...EXTERNAL_SECRETS_OTHER_CHECKS,
  ...GATEWAY_API_OTHER_CHECKS,
  ...GLOO_CHECKS,
  ...RABBITMQ_CHECKS,
  ...CLUSTER_API_CHECKS,
  ...CROSSPLANE_CHECKS,
  ...CLOUD_CONTROLLER_CHECKS,
  ...KEPTN_CHECKS,
  ...KUBEVIRT_CHECKS,
  ...THREESCALE_CHECKS,
  ...HUMIO_CHECKS,
  ...ASTRA_CHECKS,
  ...NUMAFLOW_CHECKS,
  ...NUMAPLANE_CHECKS,
  ...KRUISE_CHECKS,
  ...MARIADB_CHECKS,
  ...OPERATOR_CHECKS,
  ...ELASTIC_CHECKS,
  ...CONFLUENT_CHECKS,
  ...GRAFANA_CHECKS,
  ...OBSERVABILITY_CHECKS,
  ...OPENSHIFT_CHECKS,
  ...MULTICLUSTER_CHECKS,
  ...DATA_PLATFORM_CHECKS,
  ...NETWORKING_CHECKS,
  ...DATABASE_CHECKS,
  ...CLOUD_SERVICE_CHECKS,
  ...PLATFORM_MISC_CHECKS,
  ...STORAGE_CHECKS,
  ...PROMOTER_CHECKS,
];
