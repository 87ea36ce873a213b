import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/core/text/lineIndex.js';

test('positions: LF, CRLF, CR and UTF-16', () => {
  const text = 'ab\r\ncd\ne🚀f\rg';
  const li = new LineIndex(text);
  assert.equal(li.lineCount, 4);
  assert.deepEqual(li.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(li.positionAt(4), { line: 1, character: 0 });
  assert.deepEqual(li.positionAt(8), { line: 2, character: 1 });
  // Inside the surrogate pair of 🚀: clamped to its start.
  assert.deepEqual(li.positionAt(9), { line: 2, character: 1 });
  assert.deepEqual(li.positionAt(10), { line: 2, character: 3 });
  assert.equal(li.offsetAt({ line: 1, character: 99 }), 6);
  assert.equal(li.offsetAt({ line: 3, character: 0 }), text.length - 1);
  assert.equal(li.lineText(2), 'e🚀f');
  assert.deepEqual(li.humanPosition(4), { line: 2, column: 1 });
  for (let o = 0; o <= text.length; o++) {
    if (text[o - 1] === '\r' && text[o] === '\n') continue; // between CR and LF is no position
    const p = li.positionAt(o);
    assert.equal(li.offsetAt(p), li.clamp(o));
  }
});
