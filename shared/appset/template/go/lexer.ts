// Lexer for Go's text/template syntax (delimiters `{{` `}}`), following the token rules of Go's text/template/parse.

/** Kinds of tokens the lexer produces. */
export type TokenKind =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'field'
  | 'identifier'
  | 'variable'
  | 'number'
  | 'string'
  | 'rawString'
  | 'char'
  | 'bool'
  | 'nil'
  | 'dot'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'char-item'
  | 'comment'
  | 'keyword'
  | 'eof'
  | 'error';

/** One lexical token: its kind, text, offset in the source and 1-based line. */
export interface Token {
  readonly kind: TokenKind;
  readonly val: string;
  readonly pos: number;
  readonly line: number;
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);
const LEFT = '{{';
const RIGHT = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isAlphaNumeric(c: string): boolean {
  if (c === '_') return true;
  const code = c.charCodeAt(0);
  if ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return true;
  return code > 127 && /[\p{L}\p{Nd}]/u.test(c);
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

/** Splits template source into tokens; stops at the first lexical error (emitted as an `error` token). */
export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let start = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;
  let insideAction = false;

  const emit = (kind: TokenKind, val?: string): void => {
    tokens.push({ kind, val: val ?? input.slice(start, pos), pos: start, line: startLine });
    start = pos;
    startLine = line;
  };
  const ignore = (): void => {
    line += countNewlines(input.slice(start, pos));
    start = pos;
    startLine = line;
  };
  const fail = (msg: string): Token[] => {
    tokens.push({ kind: 'error', val: msg, pos: start, line: startLine });
    return tokens;
  };
  const advance = (n: number): void => {
    line += countNewlines(input.slice(pos, pos + n));
    pos += n;
  };
  /** Whether a right delimiter (optionally with trim marker) starts at pos; returns its length with trim info. */
  const atRightDelim = (): { trim: boolean; len: number } | undefined => {
    if (input.startsWith(' -' + RIGHT, pos) || input.startsWith('\t-' + RIGHT, pos) || input.startsWith('\r-' + RIGHT, pos) || input.startsWith('\n-' + RIGHT, pos)) {
      return { trim: true, len: 2 + RIGHT.length };
    }
    if (input.startsWith(RIGHT, pos)) return { trim: false, len: RIGHT.length };
    return undefined;
  };

  for (;;) {
    if (!insideAction) {
      // lexText
      const x = input.indexOf(LEFT, pos);
      if (x < 0) {
        pos = input.length;
        if (pos > start) {
          line += countNewlines(input.slice(start, pos));
          emit('text');
        }
        tokens.push({ kind: 'eof', val: '', pos, line });
        return tokens;
      }
      let textEnd = x;
      // Trim marker: "{{- " trims trailing white space of the text before.
      const trimLeft = input[x + LEFT.length] === '-' && isSpace(input[x + LEFT.length + 1] ?? '');
      if (trimLeft) {
        while (textEnd > start && isSpace(input[textEnd - 1]!)) textEnd--;
      }
      pos = textEnd;
      if (pos > start) {
        line += countNewlines(input.slice(start, pos));
        emit('text');
      }
      pos = x;
      ignore();
      // lexLeftDelim
      const delimLen = LEFT.length + (trimLeft ? 2 : 0);
      const afterMarker = x + delimLen;
      if (input.startsWith(LEFT_COMMENT, afterMarker)) {
        // lexComment
        pos = afterMarker;
        const end = input.indexOf(RIGHT_COMMENT, pos + LEFT_COMMENT.length);
        if (end < 0) return fail('unclosed comment');
        advance(end + RIGHT_COMMENT.length - pos);
        const rd = atRightDelim();
        if (!rd) return fail('comment ends before closing delimiter');
        emit('comment', input.slice(afterMarker, pos));
        advance(rd.len);
        if (rd.trim) {
          while (pos < input.length && isSpace(input[pos]!)) advance(1);
        }
        ignore();
        continue;
      }
      pos = x;
      advance(LEFT.length);
      emit('leftDelim');
      if (trimLeft) {
        advance(1);
        ignore();
      }
      insideAction = true;
      parenDepth = 0;
      continue;
    }

    // lexInsideAction
    const rd = atRightDelim();
    if (rd && parenDepth > 0) return fail('unclosed left paren');
    if (rd) {
      if (rd.trim) {
        advance(2);
        ignore();
      }
      advance(RIGHT.length);
      emit('rightDelim');
      if (rd.trim) {
        while (pos < input.length && isSpace(input[pos]!)) advance(1);
        ignore();
      }
      insideAction = false;
      continue;
    }
    if (pos >= input.length) return fail('unclosed action');
    const c = input[pos]!;
    if (isSpace(c)) {
      // lexSpace: stop before a trim marker so the right delimiter is recognised.
      while (pos < input.length && isSpace(input[pos]!)) {
        if (input[pos + 1] === '-' && input.startsWith(RIGHT, pos + 2)) break;
        advance(1);
      }
      emit('space');
      continue;
    }
    if (c === '=') {
      advance(1);
      emit('assign');
      continue;
    }
    if (c === ':') {
      if (input[pos + 1] !== '=') {
        advance(1);
        return fail('expected :=');
      }
      advance(2);
      emit('declare');
      continue;
    }
    if (c === '|') {
      advance(1);
      emit('pipe');
      continue;
    }
    if (c === '"') {
      advance(1);
      for (;;) {
        if (pos >= input.length || input[pos] === '\n') return fail('unterminated quoted string');
        const ch = input[pos]!;
        if (ch === '\\') {
          if (pos + 1 >= input.length || input[pos + 1] === '\n') return fail('unterminated quoted string');
          advance(2);
          continue;
        }
        advance(1);
        if (ch === '"') break;
      }
      emit('string');
      continue;
    }
    if (c === '`') {
      const end = input.indexOf('`', pos + 1);
      if (end < 0) return fail('unterminated raw quoted string');
      advance(end + 1 - pos);
      emit('rawString');
      continue;
    }
    if (c === "'") {
      advance(1);
      for (;;) {
        if (pos >= input.length || input[pos] === '\n') return fail('unterminated character constant');
        const ch = input[pos]!;
        if (ch === '\\') {
          advance(2);
          continue;
        }
        advance(1);
        if (ch === "'") break;
      }
      emit('char');
      continue;
    }
    if (c === '$') {
      advance(1);
      while (pos < input.length && isAlphaNumeric(input[pos]!)) advance(1);
      emit('variable');
      if (!checkTerminator()) return tokens;
      continue;
    }
    if (c === '.') {
      const next = input[pos + 1];
      if (next === undefined || next < '0' || next > '9') {
        advance(1);
        if (pos < input.length && isAlphaNumeric(input[pos]!)) {
          while (pos < input.length && isAlphaNumeric(input[pos]!)) advance(1);
          emit('field');
        } else {
          emit('dot');
          continue;
        }
        if (!checkTerminator()) return tokens;
        continue;
      }
    }
    if (c === '+' || c === '-' || c === '.' || (c >= '0' && c <= '9')) {
      if (!scanNumber()) {
        advance(1);
        return fail(`bad number syntax: "${input.slice(start, pos)}"`);
      }
      emit('number');
      continue;
    }
    if (isAlphaNumeric(c)) {
      while (pos < input.length && isAlphaNumeric(input[pos]!)) advance(1);
      const word = input.slice(start, pos);
      if (KEYWORDS.has(word)) emit('keyword');
      else if (word === 'true' || word === 'false') emit('bool');
      else if (word === 'nil') emit('nil');
      else emit('identifier');
      if (!checkTerminator()) return tokens;
      continue;
    }
    if (c === '(') {
      advance(1);
      emit('leftParen');
      parenDepth++;
      continue;
    }
    if (c === ')') {
      advance(1);
      parenDepth--;
      if (parenDepth < 0) return fail('unexpected right paren');
      emit('rightParen');
      continue;
    }
    if (c === ',') {
      advance(1);
      emit('comma');
      continue;
    }
    advance(1);
    // Go emits any other printable ASCII character as a lone item; the parser then reports it as unexpected.
    if (c >= ' ' && c <= '~') {
      emit('char-item');
      continue;
    }
    return fail(`unrecognized character in action: ${describeRune(c)}`);
  }

  /** After a word, Go requires a space, punctuation or the closing delimiter. */
  function checkTerminator(): boolean {
    if (pos >= input.length) return true;
    const r = input[pos]!;
    if (isSpace(r) || r === '.' || r === ',' || r === '|' || r === ':' || r === ')' || r === '(' || r === '=') return true;
    if (input.startsWith(RIGHT, pos)) return true;
    tokens.push({ kind: 'error', val: `bad character ${describeRune(r)}`, pos, line });
    return false;
  }

  /** Scans a Go number literal at pos; returns false when the following character makes it malformed. */
  function scanNumber(): boolean {
    if (input[pos] === '+' || input[pos] === '-') advance(1);
    let digits = '0123456789_';
    if (input[pos] === '0' && /[xXoObB]/.test(input[pos + 1] ?? '')) {
      const p = input[pos + 1]!.toLowerCase();
      advance(2);
      digits = p === 'x' ? '0123456789abcdefABCDEF_' : p === 'o' ? '01234567_' : '01_';
    }
    const run = (set: string): void => {
      while (pos < input.length && set.includes(input[pos]!)) advance(1);
    };
    run(digits);
    if (input[pos] === '.') {
      advance(1);
      run(digits);
    }
    if (digits.length === 11 && /[eE]/.test(input[pos] ?? '')) {
      advance(1);
      if (input[pos] === '+' || input[pos] === '-') advance(1);
      run('0123456789_');
    }
    if (digits.length > 20 && /[pP]/.test(input[pos] ?? '')) {
      advance(1);
      if (input[pos] === '+' || input[pos] === '-') advance(1);
      run('0123456789_');
    }
    if (input[pos] === 'i') advance(1);
    return pos >= input.length || !isAlphaNumeric(input[pos]!);
  }
}

function describeRune(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  const quoted = c === "'" ? "'\\''" : c === '\\' ? "'\\\\'" : c === '\n' ? "'\\n'" : `'${c}'`;
  return `U+${hex} ${quoted}`;
}
