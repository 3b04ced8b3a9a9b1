// The syntax tree of an expr-language expression; every node keeps its offset in the source for errors.

/** A node of the tree. */
export type ExprNode =
  | { readonly type: 'literal'; readonly value: null | boolean | bigint | number | string; readonly offset: number }
  | { readonly type: 'ident'; readonly name: string; readonly offset: number }
  | { readonly type: 'pointer'; readonly name: string; readonly offset: number }
  | { readonly type: 'unary'; readonly op: string; readonly node: ExprNode; readonly offset: number }
  | { readonly type: 'binary'; readonly op: string; readonly left: ExprNode; readonly right: ExprNode; readonly offset: number }
  | { readonly type: 'member'; readonly node: ExprNode; readonly property: ExprNode; readonly optional: boolean; readonly offset: number }
  | { readonly type: 'call'; readonly callee: ExprNode; readonly args: readonly ExprNode[]; readonly offset: number }
  | { readonly type: 'builtin'; readonly name: string; readonly args: readonly ExprNode[]; readonly offset: number }
  | { readonly type: 'closure'; readonly body: ExprNode; readonly offset: number }
  | { readonly type: 'chain'; readonly node: ExprNode; readonly offset: number }
  | { readonly type: 'conditional'; readonly cond: ExprNode; readonly then: ExprNode; readonly else: ExprNode; readonly offset: number }
  | { readonly type: 'array'; readonly items: readonly ExprNode[]; readonly offset: number }
  | { readonly type: 'map'; readonly pairs: readonly { readonly key: ExprNode; readonly value: ExprNode }[]; readonly offset: number };
