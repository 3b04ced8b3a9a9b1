import type { ApplicationSource } from '../model/application';

// `spec.source.helm` as Argo CD reads it (ApplicationSourceHelm), checked field by field so a wrong shape is a clear
// error instead of an option silently ignored.

/** One `helm.parameters` entry: `--set` (or `--set-string` with forceString). */
export interface HelmParameter {
  readonly name: string;
  readonly value: string;
  readonly forceString: boolean;
}

/** One `helm.fileParameters` entry: `--set-file name=path`. */
export interface HelmFileParameter {
  readonly name: string;
  readonly path: string;
}

/** The Helm options of an Application source, with Argo CD's defaults. */
export interface HelmOptions {
  readonly releaseName?: string;
  readonly namespace?: string;
  readonly valueFiles: readonly string[];
  readonly ignoreMissingValueFiles: boolean;
  /** `helm.valuesObject` (wins) or `helm.values`, as the YAML text helm reads; undefined when empty. */
  readonly values?: string;
  readonly parameters: readonly HelmParameter[];
  readonly fileParameters: readonly HelmFileParameter[];
  readonly skipCrds: boolean;
  readonly skipTests: boolean;
  readonly skipSchemaValidation: boolean;
  readonly kubeVersion?: string;
  readonly apiVersions: readonly string[];
}

/** Reads `source.helm`; throws an Error naming the field when a value has the wrong type. */
export function readHelmOptions(source: ApplicationSource): HelmOptions {
  const raw = source.helm;
  if (raw !== undefined && raw !== null && !isObject(raw)) throw new Error(`spec.source.helm must be a map, got ${typeName(raw)}`);
  const h: Record<string, unknown> = isObject(raw) ? raw : {};
  const str = (key: string): string | undefined => {
    const v = h[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw new Error(`spec.source.helm.${key} must be a string, got ${typeName(v)}`);
    return v;
  };
  const bool = (key: string): boolean => {
    const v = h[key];
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') throw new Error(`spec.source.helm.${key} must be true or false, got ${typeName(v)}`);
    return v;
  };
  const strings = (key: string): string[] => {
    const v = h[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Error(`spec.source.helm.${key} must be a list of strings`);
    return v as string[];
  };
  const entries = (key: string): Record<string, unknown>[] => {
    const v = h[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => !isObject(x))) throw new Error(`spec.source.helm.${key} must be a list of maps`);
    return v as Record<string, unknown>[];
  };
  const parameters = entries('parameters').map((p, i): HelmParameter => {
    if (typeof p.name !== 'string' || p.name === '') throw new Error(`spec.source.helm.parameters[${i}].name must be a non-empty string`);
    return { name: p.name, value: scalarText(p.value, `spec.source.helm.parameters[${i}].value`), forceString: p.forceString === true };
  });
  const fileParameters = entries('fileParameters').map((p, i): HelmFileParameter => {
    if (typeof p.name !== 'string' || p.name === '') throw new Error(`spec.source.helm.fileParameters[${i}].name must be a non-empty string`);
    if (typeof p.path !== 'string' || p.path === '') throw new Error(`spec.source.helm.fileParameters[${i}].path must be a non-empty string`);
    return { name: p.name, path: p.path };
  });
  let values: string | undefined;
  const vo = h.valuesObject;
  if (vo !== undefined && vo !== null) {
    if (!isObject(vo)) throw new Error(`spec.source.helm.valuesObject must be a map, got ${typeName(vo)}`);
    // JSON is YAML: helm reads it exactly as the YAML Argo CD converts it to.
    if (Object.keys(vo).length > 0) values = JSON.stringify(vo);
  }
  if (values === undefined) {
    const v = h.values;
    if (v !== undefined && v !== null && typeof v !== 'string') throw new Error(`spec.source.helm.values must be a string (a YAML block); use valuesObject for a map`);
    if (typeof v === 'string' && v !== '') values = v;
  }
  const releaseName = str('releaseName');
  const namespace = str('namespace');
  const kubeVersion = str('kubeVersion');
  return {
    ...(releaseName !== undefined ? { releaseName } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    valueFiles: strings('valueFiles'),
    ignoreMissingValueFiles: bool('ignoreMissingValueFiles'),
    ...(values !== undefined ? { values } : {}),
    parameters,
    fileParameters,
    skipCrds: bool('skipCrds'),
    skipTests: bool('skipTests'),
    skipSchemaValidation: bool('skipSchemaValidation'),
    ...(kubeVersion !== undefined ? { kubeVersion } : {}),
    apiVersions: strings('apiVersions'),
  };
}

/**
 * Argo CD's `cleanSetParameters`: a value wrapped in `{…}` is a Helm list and kept; otherwise every comma not already
 * escaped is escaped, so `--set` reads it as one value.
 */
export function cleanSetValue(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  let out = '';
  let prev = '';
  for (const c of value) {
    out += c === ',' && prev !== '\\' ? '\\,' : c;
    prev = c;
  }
  return out;
}

/** Argo CD's `text.SemVer`: a version without a leading `v` gets one. */
export function semVer(v: string): string {
  return v === '' || v.startsWith('v') ? v : `v${v}`;
}

function scalarText(v: unknown, where: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  throw new Error(`${where} must be a string, got ${typeName(v)}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  return Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'a map' : `${typeof v} ${JSON.stringify(v)}`;
}
