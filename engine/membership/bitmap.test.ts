import { describe, expect, it } from 'vitest';
import { Bitmap, diffBitmaps } from './bitmap.ts';

const of = (...nums: number[]) => {
  const bitmap = new Bitmap();
  for (const n of nums) bitmap.set(n, true);
  return bitmap;
};

describe('Bitmap', () => {
  it.each([
    [[], 0],
    [[0], 1],
    [[7, 8, 9], 3],
    [[1, 100_000, 65_535, 65_536], 4],
  ])('sets bits %j: count %i, members in order, get', (nums, count) => {
    const bitmap = of(...nums);
    expect(bitmap.count()).toBe(count);
    expect([...bitmap.members()]).toEqual([...nums].sort((a, b) => a - b));
    for (const n of nums) expect(bitmap.get(n)).toBe(true);
    expect(bitmap.get(2)).toBe(false);
    expect(bitmap.get(10_000_000)).toBe(false);
  });

  it('uses Redis bit order: bit 0 is the high bit of byte 0', () => {
    expect([...of(0, 9).bytes.slice(0, 2)]).toEqual([0x80, 0x40]);
    expect([...new Bitmap(Uint8Array.from([0x01, 0x80])).members()]).toEqual([7, 8]);
  });

  it('clears bits, and clearing beyond its end does not grow it', () => {
    const bitmap = of(3, 5);
    bitmap.set(3, false);
    bitmap.set(1_000_000, false);
    expect([...bitmap.members()]).toEqual([5]);
    expect(bitmap.bytes.length).toBe(8_192);
  });

  it('lists members from a number on', () => {
    expect([...of(1, 8, 9, 20).members(9)]).toEqual([9, 20]);
  });
});

describe('diffBitmaps', () => {
  it.each([
    ['equal', [1, 2], [1, 2], []],
    ['entries and exits', [1, 2, 30], [2, 3, 70_000], ['1-', '3+', '30-', '70000+']],
    ['from empty', [], [4], ['4+']],
    ['to empty', [4, 9], [], ['4-', '9-']],
  ])('%s', (_name, current, wanted, changes) => {
    const diff = diffBitmaps(of(...current), of(...wanted));
    expect(diff.map((c) => `${c.num}${c.on ? '+' : '-'}`)).toEqual(changes);
  });
});
