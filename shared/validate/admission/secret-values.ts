// Secret values never reach a finding: a policy's messageExpression may print a field of the Secret it validates or
// of a Secret it takes as params, so every such value (as written in `data`, decoded, and in `stringData`) is masked
// in messages before they leave the check.

import { decodeBase64 } from '../../appset/cluster-secrets';
import { SECRET_MASK } from '../../diff/secret';
import { isRecord } from '../../yaml/documents';
import type { KubeJson } from './types';

// Shorter values would mask ordinary words of a message; a secret of 1–3 characters is no secret.
const MIN_LENGTH = 4;

/** The values of a Secret object (encoded and decoded `data`, `stringData`); none for other objects. */
export function secretValues(o: KubeJson | null | undefined): string[] {
  if (!o || o['kind'] !== 'Secret' || o['apiVersion'] !== 'v1') return [];
  const out: string[] = [];
  const data = o['data'];
  if (isRecord(data)) {
    for (const v of Object.values(data)) {
      if (typeof v !== 'string') continue;
      out.push(v);
      const text = decodeBase64(v);
      if (text !== undefined) out.push(text);
    }
  }
  const stringData = o['stringData'];
  if (isRecord(stringData)) for (const v of Object.values(stringData)) if (typeof v === 'string') out.push(v);
  return out.filter((v) => v.length >= MIN_LENGTH);
}

/** `message` with every occurrence of the given values replaced by the mask (longest first). */
export function maskValues(message: string, values: readonly string[]): string {
  let out = message;
  for (const v of [...new Set(values)].sort((a, b) => b.length - a.length)) if (out.includes(v)) out = out.split(v).join(SECRET_MASK);
  return out;
}
