// A faithful TypeScript implementation of Go's text/template (lexer, parser, executor, builtins, fmt printing).
export { GoExecError } from './exec';
export type { FuncMap, GoFunc, MissingKey, ParamType } from './exec';
export { GoParseError } from './parse';
export { BUILTINS } from './builtins';
export { GoTemplateCache, PARSE_NAME } from './template';
export { formatValue, sprintf } from './fmt';
export { Int64 } from './values';
export { compileSimple, runSimple } from './simple';
export type { SimpleTemplate } from './simple';
