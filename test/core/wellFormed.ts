/**
 * A strict well-formedness check for the XML Northstar writes (the strategy map's SVG, the HTML
 * report, which is written as well-formed XML): every tag closed and nested, every attribute
 * quoted and unique, no `<` or stray `&` in text, only characters XML allows. Answers the first
 * problem, or undefined.
 */
export function xmlProblem(text: string): string | undefined {
  const at = (i: number) => `at ${text.slice(0, i).split('\n').length}:${i - text.lastIndexOf('\n', i - 1)}`;
  // eslint-disable-next-line no-control-regex
  const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text);
  if (bad) return `a character XML does not allow (U+${bad[0].charCodeAt(0).toString(16)}) ${at(bad.index)}`;
  const entity = /^&(?:#\d+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);/;
  const stack: string[] = [];
  let i = 0;
  let root = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '&') {
      if (!entity.test(text.slice(i, i + 12))) return `a stray & ${at(i)}`;
      i++;
      continue;
    }
    if (c !== '<') {
      if (!stack.length && !/\s/.test(c)) return `text outside the root element ${at(i)}`;
      i++;
      continue;
    }
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return `an unclosed comment ${at(i)}`;
      i = end + 3;
      continue;
    }
    if (/^<!DOCTYPE html>/i.test(text.slice(i, i + 15))) {
      if (stack.length || root) return `a DOCTYPE inside the document ${at(i)}`;
      i += 15;
      continue;
    }
    const close = /^<\/([A-Za-z][\w:.-]*)\s*>/.exec(text.slice(i, i + 200));
    if (close) {
      const open = stack.pop();
      if (open !== close[1]) return `</${close[1]}> closes <${open ?? 'nothing'}> ${at(i)}`;
      i += close[0].length;
      continue;
    }
    const m = /^<([A-Za-z][\w:.-]*)/.exec(text.slice(i, i + 200));
    if (!m) return `a < that starts no tag ${at(i)}`;
    if (!stack.length && root++) return `a second root element <${m[1]}> ${at(i)}`;
    let j = i + m[0].length;
    const names = new Set<string>();
    for (;;) {
      const ws = /^\s*/.exec(text.slice(j, j + 100))![0].length;
      j += ws;
      if (text.startsWith('/>', j)) {
        j += 2;
        break;
      }
      if (text[j] === '>') {
        stack.push(m[1]!);
        j++;
        break;
      }
      if (!ws) return `attributes of <${m[1]}> not separated ${at(j)}`;
      const a = /^([A-Za-z_:][\w:.-]*)\s*=\s*("[^"<]*"|'[^'<]*')/.exec(text.slice(j, j + 100_000));
      if (!a) return `a malformed attribute in <${m[1]}> ${at(j)}`;
      if (names.has(a[1]!)) return `attribute ${a[1]} twice in <${m[1]}> ${at(j)}`;
      names.add(a[1]!);
      const value = a[2]!.slice(1, -1);
      for (let k = value.indexOf('&'); k >= 0; k = value.indexOf('&', k + 1)) if (!entity.test(value.slice(k, k + 12))) return `a stray & in an attribute of <${m[1]}> ${at(j)}`;
      j += a[0].length;
    }
    i = j;
  }
  if (stack.length) return `<${stack[stack.length - 1]}> is never closed`;
  if (!root) return 'no root element';
  return undefined;
}
