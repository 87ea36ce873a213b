/**
 * "Did you mean": `editDistance` skips the common prefix and suffix and stops past its bound; it
 * must give exactly the answer of the plain dynamic programme within the bound, and more than the bound past it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { editDistance, nearest } from '../../server/src/core/text/similar.js';

function plain(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

const word = fc.stringMatching(/^[a-c0-2.-]{0,12}$/);

test('editDistance equals the plain dynamic programme within its bound, and is past the bound beyond it', () => {
  fc.assert(
    fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, max) => {
      const p = plain(a, b);
      assert.equal(editDistance(a, b), p, `${a} / ${b}`);
      const capped = editDistance(a, b, max);
      if (p <= max) assert.equal(capped, p, `${a} / ${b} within ${max}`);
      else assert.ok(capped > max, `${a} / ${b}: past ${max}`);
      assert.equal(editDistance(`FEAT-x-${a}-y`, `FEAT-x-${b}-y`), p, 'a shared prefix and suffix change nothing');
    }),
    { numRuns: 3000, seed: 4242 },
  );
});

test('nearest: the first candidate at the smallest distance within the limit, or a prefix match', () => {
  const ids = ['FEAT-checkout', 'FEAT-checkout-v2', 'FEAT-search', 'FEAT-saved-cards'];
  assert.equal(nearest('FEAT-chekout', ids), 'FEAT-checkout');
  assert.equal(nearest('feat-search', ids), 'FEAT-search');
  assert.equal(nearest('FEAT-saved', ids), 'FEAT-saved-cards');
  assert.equal(nearest('KPI-revenue', ids), undefined);
});
