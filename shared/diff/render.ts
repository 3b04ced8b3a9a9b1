// YAML text of objects as `argocd app diff` shows them: keys sorted, sequences not indented under their key.

import { stringify } from 'yaml';

/** An object as sorted-key YAML (as sigs.k8s.io/yaml writes it); empty for undefined. */
export function toDiffYaml(obj: unknown): string {
  if (obj === undefined) return '';
  return stringify(obj, { sortMapEntries: true, indentSeq: false, lineWidth: 0, version: '1.1', aliasDuplicateObjects: false });
}
