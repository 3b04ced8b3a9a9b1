// The expr language (github.com/expr-lang/expr) as Argo CD's notification triggers use it.
export { compileExpr, ExprCompileError, fetch } from './eval';
export type { CompiledExpr } from './eval';
export { canonical } from './canonical';
export { parseRfc3339, timeHelpers } from './time';
export { ExprDuration, ExprFunc, ExprRuntimeError, ExprTime } from './values';
export type { ExprValue } from './values';
