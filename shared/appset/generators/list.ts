import { parseAllDocuments } from 'yaml';
import type { Params } from '../../model/params';
import { isPlainObject } from '../go-values';
import type { GenerateResult, GeneratorFn, GeneratorIssue, ParamSet } from './types';
import { issue } from './types';
import { YAML_TO_JS, yamlLimitMessage, yamlSizeError } from '../../yaml/limits';

const PATH = ['list'];

/**
 * The list generator: one parameter set per `elements[]` entry, then per entry of the `elementsYaml` list. In
 * fasttemplate mode element values must be strings (plus a `values` map of strings, which becomes `values.<key>`).
 */
export const listGenerator: GeneratorFn = (gen, info): GenerateResult => {
  const params: ParamSet[] = [];
  const issues: GeneratorIssue[] = [];
  const elements = gen['elements'];
  if (elements !== undefined && elements !== null && !Array.isArray(elements)) {
    return { params, issues: [issue('list.elements must be a list of maps', PATH)] };
  }
  (elements ?? []).forEach((el: unknown, i: number) => {
    const where = `elements[${i}]`;
    if (!isPlainObject(el)) {
      issues.push(issue(`list element must be a map, got ${JSON.stringify(el)}`, PATH, where));
      return;
    }
    if (info.goTemplate) {
      params.push({ params: el, path: PATH });
      return;
    }
    const p: Params = {};
    for (const [key, value] of Object.entries(el)) {
      if (key === 'values') {
        if (!isPlainObject(value)) {
          issues.push(issue('error parsing values map: list element `values` must be a map of strings', PATH, where));
          return;
        }
        for (const [vk, vv] of Object.entries(value)) {
          if (typeof vv !== 'string') {
            issues.push(issue(`error parsing value as string: values.${vk} is ${JSON.stringify(vv)}; fasttemplate mode (goTemplate: false) takes only string values`, PATH, where));
            return;
          }
          p[`values.${vk}`] = vv;
        }
      } else if (typeof value !== 'string') {
        issues.push(issue(`error parsing value as string: ${key} is ${JSON.stringify(value)}; fasttemplate mode (goTemplate: false) takes only string values`, PATH, where));
        return;
      } else p[key] = value;
    }
    params.push({ params: p, path: PATH });
  });
  const yamlText = gen['elementsYaml'];
  if (typeof yamlText === 'string' && yamlText.trim() !== '') {
    const docs = parseAllDocuments(yamlText, { version: '1.1' });
    const doc = Array.isArray(docs) ? docs[0] : docs;
    const err = doc?.errors[0];
    let value: unknown;
    let limitErr: string | undefined = yamlSizeError(yamlText);
    if (!limitErr && doc && !err) {
      try {
        value = doc.toJS(YAML_TO_JS);
      } catch (e) {
        limitErr = yamlLimitMessage((e as Error).message);
      }
    }
    if (limitErr) issues.push(issue(`error unmarshling decoded ElementsYaml: ${limitErr}`, PATH, 'elementsYaml'));
    else if (err) issues.push(issue(`error unmarshling decoded ElementsYaml: ${err.message.split('\n')[0]}`, PATH, 'elementsYaml'));
    else if (value !== null && value !== undefined && !(Array.isArray(value) && value.every(isPlainObject))) {
      issues.push(issue('error unmarshling decoded ElementsYaml: expected a list of maps', PATH, 'elementsYaml'));
    } else for (const el of (value ?? []) as Params[]) params.push({ params: el, path: PATH });
  }
  return { params, issues };
};
