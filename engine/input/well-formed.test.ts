import { describe, expect, it } from 'vitest';
import { illFormedPath, nonFinitePath } from './well-formed.ts';

describe('illFormedPath', () => {
  it.each<[string, unknown, string | undefined]>([
    ['plain text', 'abc', undefined],
    ['a surrogate pair (emoji)', '🎰 名前', undefined],
    ['a lone high surrogate', 'a\ud800b', ''],
    ['a lone low surrogate', '\udc00', ''],
    ['a high surrogate at the end', 'x\ud83c', ''],
    ['reversed pair', '\udc00\ud800', ''],
    ['inside a list', { tags: ['ok', 'b\ud800'] }, 'tags[1]'],
    ['inside an object', { props: { bonus: '\udfff' } }, 'props.bonus'],
    ['in a key', { props: { ['k\ud800']: 'v' } }, 'props.k\ud800'],
    ['numbers and nulls', { a: 1, b: null, c: [true] }, undefined],
  ])('%s', (_name, value, path) => {
    expect(illFormedPath(value)).toBe(path);
  });
});

describe('nonFinitePath', () => {
  it.each<[string, unknown, string | undefined]>([
    ['finite numbers', { limit: 5, x: [1.5, -2] }, undefined],
    ['Infinity', { limit: Infinity }, 'limit'],
    ['NaN in a list', { a: [1, NaN] }, 'a[1]'],
    ['text that spells it', { q: 'Infinity' }, undefined],
  ])('%s', (_name, value, path) => {
    expect(nonFinitePath(value)).toBe(path);
  });
});
