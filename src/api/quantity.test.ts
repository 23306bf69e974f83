import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addQuantities, canonicalQuantity, compareQuantities, isQuantity, milliValue, parseQuantity, quantityToNumber } from './quantity.ts';

describe('parseQuantity / formatQuantity', () => {
  const canonical: Array<[string | number, string]> = [
    ['100m', '100m'],
    ['1000m', '1'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['1Ki', '1Ki'],
    ['0.5Ki', '512'],
    ['1e3', '1e3'],
    ['1000', '1k'],
    ['500M', '500M'],
    ['1500M', '1500M'],
    ['2000M', '2G'],
    ['0.1', '100m'],
    ['1.5', '1500m'],
    ['0', '0'],
    ['-100m', '-100m'],
    ['1n', '1n'],
    ['0.1n', '1n'],
    [2, '2'],
    [0.25, '250m'],
    ['12E', '12E'],
  ];
  for (const [input, expected] of canonical) {
    it(`${JSON.stringify(input)} prints as ${expected}`, () => assert.equal(canonicalQuantity(input), expected));
  }

  for (const bad of ['', 'abc', '1K', '1ki', '1 Gi', '--1', '1.2.3', 'Gi', '.', '1e', '1Gib']) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parseQuantity(bad));
      assert.equal(isQuantity(bad), false);
    });
  }
});

describe('quantity arithmetic', () => {
  it('converts to numbers and millis', () => {
    assert.equal(quantityToNumber(parseQuantity('1.5Gi')), 1.5 * 1024 ** 3);
    assert.equal(quantityToNumber(parseQuantity('250m')), 0.25);
    assert.equal(milliValue(parseQuantity('2')), 2000);
    assert.equal(milliValue(parseQuantity('1n')), 1);
  });

  it('compares across formats', () => {
    assert.equal(compareQuantities(parseQuantity('1Gi'), parseQuantity('1G')), 1);
    assert.equal(compareQuantities(parseQuantity('1000m'), parseQuantity('1')), 0);
    assert.equal(compareQuantities(parseQuantity('100m'), parseQuantity('0.2')), -1);
  });

  it('adds, keeping the first format', () => {
    const sum = addQuantities(parseQuantity('512Mi'), parseQuantity('512Mi'));
    assert.equal(canonicalQuantity('1Gi'), '1Gi');
    assert.equal(sum.format, 'BinarySI');
    assert.equal(sum.nanos, parseQuantity('1Gi').nanos);
    assert.equal(addQuantities(parseQuantity('0'), parseQuantity('1Ki')).format, 'BinarySI');
  });
});
