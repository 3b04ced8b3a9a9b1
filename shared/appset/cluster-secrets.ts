import type { AppSetCluster } from './engine';
import { isPlainObject } from './go-values';

/** The label that marks an Argo CD cluster Secret, and its value. */
export const SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes standard base64 (Secret `data`) to UTF-8 text; undefined when it is not base64. */
export function decodeBase64(s: string): string | undefined {
  const clean = s.replace(/\s+/g, '').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(clean) || clean.length % 4 === 1) return undefined;
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of clean) {
    acc = (acc << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isPlainObject(v)) for (const [k, item] of Object.entries(v)) if (typeof item === 'string') out[k] = item;
  return out;
}

/**
 * Argo CD cluster Secrets (label argocd.argoproj.io/secret-type: cluster) among repository documents, as clusters:
 * name, server and project from `stringData` or base64 `data`, labels and annotations from the metadata. Only those
 * three keys are read: the connection `config` (tokens, certificates) is never copied.
 */
export function clustersFromSecrets(docs: readonly { value: unknown; file: string; line: number }[]): AppSetCluster[] {
  const out: AppSetCluster[] = [];
  for (const d of docs) {
    const v = d.value;
    if (!isPlainObject(v) || v['kind'] !== 'Secret' || (v['apiVersion'] !== undefined && v['apiVersion'] !== 'v1')) continue;
    const meta = isPlainObject(v['metadata']) ? v['metadata'] : {};
    const labels = stringMap(meta['labels']);
    if (labels[SECRET_TYPE_LABEL] !== 'cluster') continue;
    const stringData = stringMap(v['stringData']);
    const data = stringMap(v['data']);
    const field = (k: string): string | undefined => stringData[k] ?? (data[k] !== undefined ? decodeBase64(data[k]) : undefined);
    const name = field('name') ?? '';
    const server = field('server') ?? '';
    const project = field('project');
    out.push({
      name,
      server,
      ...(project !== undefined ? { project } : {}),
      labels,
      annotations: stringMap(meta['annotations']),
      source: { file: d.file, line: d.line },
    });
  }
  return out;
}
