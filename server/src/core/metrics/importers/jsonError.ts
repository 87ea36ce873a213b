/**
 * Where JSON text stops being JSON: the offset of the first syntax error, or undefined for valid
 * JSON. (JSON.parse's message does not always carry a position.) Iterative, so any nesting depth
 * is fine; linear in the text.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const str = (): boolean => {
    if (text[i] !== '"') return false;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return true;
      }
      if (c < 32) return false;
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return false;
      } else i++;
    }
    return false;
  };
  const scalar = (): boolean => {
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  // A stack of containers: '{' expects a key next, ':' a value after a key, '[' a value, ',' after a value.
  const stack: ('{' | '[')[] = [];
  const value = (): boolean => {
    for (;;) {
      ws();
      const c = text[i];
      if (c === '{' || c === '[') {
        i++;
        ws();
        if ((c === '{' && text[i] === '}') || (c === '[' && text[i] === ']')) {
          i++;
          return true;
        }
        stack.push(c);
        if (c === '{' && !key()) return false;
        continue; // the container's first value
      }
      return c === '"' ? str() : scalar();
    }
  };
  const key = (): boolean => {
    ws();
    if (!str()) return false;
    ws();
    if (text[i] !== ':') return false;
    i++;
    return true;
  };
  if (!value()) return i;
  for (;;) {
    // After a value: close containers or continue with a comma.
    if (!stack.length) {
      ws();
      return i < n ? i : undefined;
    }
    const top = stack[stack.length - 1]!;
    ws();
    const c = text[i];
    if (c === ',') {
      i++;
      if (top === '{' && !key()) return i;
      if (!value()) return i;
      continue;
    }
    if ((top === '{' && c === '}') || (top === '[' && c === ']')) {
      i++;
      stack.pop();
      continue;
    }
    return i;
  }
}
