import type { YAMLSeq } from 'yaml';
import { isMap, isSeq, parseDocument, YAMLMap } from 'yaml';
import { FlotillaError, problem } from '../problem';
import { FLEET_FILE } from '../repo/scan';
import { yamlSizeError } from '../yaml/limits';

/** A cluster as the UI adds or relabels it in the fleet file. */
export interface ClusterEntry {
  readonly name: string;
  readonly context: string;
  readonly server?: string;
  readonly environment?: string;
  readonly labels: Readonly<Record<string, string>>;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Adds a cluster to the fleet file's `spec.clusters`, or updates the one of that name (context, server, environment,
 * labels), editing the YAML document in place so comments and formatting elsewhere are kept. No fleet file yet:
 * a new one is written.
 */
export function upsertCluster(text: string | undefined, entry: ClusterEntry): string {
  if (!NAME.test(entry.name)) throw new FlotillaError(problem(`cluster name "${entry.name}" must be lower-case letters, digits and '-' (DNS-1123)`, { file: FLEET_FILE }));
  for (const k of Object.keys(entry.labels)) if (!/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(k)) throw new FlotillaError(problem(`label key "${k}" is not a valid Kubernetes label key`, { file: FLEET_FILE }));
  const tooBig = text === undefined ? undefined : yamlSizeError(text);
  if (tooBig) throw new FlotillaError(problem(`the fleet file is not read: ${tooBig}`, { file: FLEET_FILE }));
  const doc = parseDocument(text ?? 'apiVersion: flotilla.dev/v1alpha1\nkind: Fleet\nmetadata:\n  name: fleet\nspec:\n  clusters: []\n');
  if (doc.errors.length) throw new FlotillaError(problem(`the fleet file does not parse: ${doc.errors[0]!.message.split('\n')[0]}`, { file: FLEET_FILE }));
  if (!isMap(doc.get('spec'))) doc.set('spec', new YAMLMap());
  let clusters = doc.getIn(['spec', 'clusters']);
  if (!isSeq(clusters)) {
    doc.setIn(['spec', 'clusters'], doc.createNode([]));
    clusters = doc.getIn(['spec', 'clusters']);
  }
  const seq = clusters as YAMLSeq;
  const value: Record<string, unknown> = { name: entry.name, context: entry.context };
  if (entry.server) value.server = entry.server;
  if (entry.environment) value.environment = entry.environment;
  if (Object.keys(entry.labels).length) value.labels = { ...entry.labels };
  const existing = seq.items.find((it) => isMap(it) && it.get('name') === entry.name);
  if (existing && isMap(existing)) {
    for (const key of ['context', 'server', 'environment', 'labels'] as const) {
      if (value[key] === undefined) existing.delete(key);
      else existing.set(key, doc.createNode(value[key]));
    }
  } else {
    seq.flow = false;
    seq.add(doc.createNode(value));
  }
  return doc.toString({ lineWidth: 0 });
}
