import { describe, expect, it } from 'vitest';
import { bundledSchemasFor, bundledVersions } from '../../../electron/services/validate/bundled-schemas';
import type { ValidationInput } from '../../../shared/validate/finding';
import { crdSchemas } from '../../../shared/validate/schema/crd';
import { schemaValidator } from '../../../shared/validate/schema/schema-check';
import { SchemaSet } from '../../../shared/validate/schema/schema-set';
import { parseYamlDocuments } from '../../../shared/yaml/documents';

const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: {type: string, enum: [small, large]}
                count: {type: integer}
                labels: {type: object, additionalProperties: {type: string}}
                extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

/** Inputs from a YAML text, each object located field by field in `file`. */
function inputs(text: string, file = 'm.yaml'): ValidationInput[] {
  return parseYamlDocuments(text, file).docs.map((d) => ({
    object: d.value as Record<string, unknown>,
    source: { file, line: d.line },
    locate: (p) => ({ file, ...d.at(p) }),
  }));
}

function setWithWidgets(): SchemaSet {
  const crd = crdSchemas(inputs(WIDGET_CRD)[0]!.object);
  return new SchemaSet(bundledSchemasFor('1.32.3').bundle, crd.schemas, crd.problems);
}

const run = (set: SchemaSet, text: string) => schemaValidator(set).run(inputs(text), { cluster: 'prod' });

describe('schema validation against the bundled Kubernetes schemas and CRDs', () => {
  it('bundles the supported minor versions, generated from the Kubernetes module', () => {
    expect(bundledVersions()).toEqual(['1.31', '1.32', '1.33']);
    const { bundle } = bundledSchemasFor('v1.32.3');
    expect(bundle.source).toBe('k8s.io/kubernetes@v1.32.3 api/openapi-spec/v3');
    expect(bundle.kinds['apps/v1/Deployment']).toBe('api.apps.v1.Deployment');
    expect(bundledSchemasFor('1.29.0').note).toBe('no bundled schemas for Kubernetes 1.29; validated against 1.31');
  });

  it('passes a valid Deployment, Service and custom resource', () => {
    const r = run(setWithWidgets(), `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 80}]
          resources: {limits: {cpu: 500m, memory: 1Gi}, requests: {cpu: 1}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {size: small, count: 3, labels: {a: b}, extra: {anything: [1, 2]}}
`);
    expect(r.findings).toEqual([]);
    expect(r.problems).toEqual([]);
  });

  it('reports unknown fields, wrong types, missing required fields and bad enum values at their path and line', () => {
    const r = run(setWithWidgets(), `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: two
  selector: {matchLabels: {app: web}}
  template:
    spec:
      containers:
        - image: nginx
          imagePullPolicy: Always
          livenessprobe: {}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
  size: medium
  count: 1.5
  color: red
`);
    expect(r.findings.map((f) => [f.id, f.fieldPath, f.source?.line, f.object.kind])).toEqual([
      ['wrong-type', 'spec.replicas', 5, 'Deployment'],
      ['missing-required', 'spec.template.spec.containers[0].name', 10, 'Deployment'],
      ['unknown-field', 'spec.template.spec.containers[0].livenessprobe', 12, 'Deployment'],
      ['bad-enum', 'spec.size', 18, 'Widget'],
      ['wrong-type', 'spec.count', 19, 'Widget'],
      ['unknown-field', 'spec.color', 20, 'Widget'],
    ]);
    expect(r.findings[0]).toMatchObject({ check: 'schema', severity: 'error', cluster: 'prod', message: 'spec.replicas: expected integer, got string "two"', source: { file: 'm.yaml', line: 5, column: 3 } });
    expect(r.findings[3]!.message).toBe('spec.size: value "medium" is not one of "small", "large"');
  });

  it('reports a kind with no schema as such, and an object without a kind', () => {
    const r = run(setWithWidgets(), 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n---\nmetadata: {name: x}\n');
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([['no-schema', 'warning'], ['missing-kind', 'error']]);
    expect(r.findings[0]!.message).toBe('no schema for example.com/v1 Gadget in Kubernetes 1.32.3 or any known CRD; not validated');
  });

  it('names a CRD whose schema is invalid and still validates the rest', () => {
    const bad = inputs(WIDGET_CRD.replace('widgets.example.com', 'gadgets.example.com').replace('kind: Widget', 'kind: Gadget').replace('{type: integer}', '{type: int}'), 'crds/gadget.yaml')[0]!;
    const crd = crdSchemas(bad.object, bad.source);
    expect(crd.problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([
      'crds/gadget.yaml:1: CRD gadgets.example.com version v1 has an invalid schema: spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.count.type: "int" is not a type (object, array, string, integer, number, boolean)',
    ]);
    const set = setWithWidgets().withCrds(crd.schemas, crd.problems);
    const r = schemaValidator(set).run(inputs('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: 1}\n'), {});
    expect(r.findings.map((f) => f.fieldPath)).toEqual(['data.a']);
    expect(r.problems).toHaveLength(1);
  });

  it('validates against the target version: a field new in 1.33 is unknown to 1.31', () => {
    const v131 = new SchemaSet(bundledSchemasFor('1.31').bundle);
    const v133 = new SchemaSet(bundledSchemasFor('1.33').bundle);
    // PodSpec.resources (pod-level resources) appeared in 1.32's API (alpha), so 1.31 does not know it.
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  resources: {limits: {cpu: 1}}\n  containers: [{name: c, image: i}]\n';
    expect(schemaValidator(v131).run(inputs(pod), {}).findings.map((f) => f.fieldPath)).toEqual(['spec.resources']);
    expect(schemaValidator(v133).run(inputs(pod), {}).findings).toEqual([]);
  });
});
