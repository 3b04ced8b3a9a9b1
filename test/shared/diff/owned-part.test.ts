import { describe, expect, it } from 'vitest';
import { managedFieldSet, ownedPart } from '../../../shared/diff/managed-fields';

// A Deployment as an API server returns it after `flotilla` applied image and replicas and `hpa` set replicas too,
// with a container field (terminationMessagePath) the server defaulted and nobody owns.
const live = {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: {
    name: 'web', labels: { app: 'web', team: 'shop' },
    managedFields: [
      { manager: 'flotilla', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } } } },
      { manager: 'someone-else', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {} } }, 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"sidecar"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } } } },
    ],
  },
  spec: {
    replicas: 2,
    template: { spec: { containers: [{ name: 'sidecar', image: 'envoy:1' }, { name: 'web', image: 'nginx:1.27', terminationMessagePath: '/dev/termination-log' }] } },
  },
  status: { readyReplicas: 2 },
};

describe('ownedPart: what one manager owns of an object', () => {
  it('keeps the owned map fields and the owned items of a keyed list, with only their owned fields', () => {
    const set = managedFieldSet(live, (m) => m === 'flotilla')!;
    expect(ownedPart(set, live)).toEqual({
      metadata: { labels: { app: 'web' } },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    });
    const others = managedFieldSet(live, (m) => m === 'someone-else')!;
    expect(ownedPart(others, live)).toEqual({ metadata: { labels: { team: 'shop' } }, spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'envoy:1' }] } } } });
  });

  it('a list item owned whole (`.` only) or a leaf that became a map is taken whole', () => {
    const set = managedFieldSet({ metadata: { managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': { 'f:ports': { 'k:{"port":80}': { '.': {} } }, 'f:replicas': {} } } }] } }, () => true)!;
    const obj = { spec: { ports: [{ port: 80, name: 'http', protocol: 'TCP' }, { port: 443 }], replicas: { odd: true } } };
    expect(ownedPart(set, obj)).toEqual({ spec: { ports: [{ port: 80, name: 'http', protocol: 'TCP' }], replicas: { odd: true } } });
  });
});
