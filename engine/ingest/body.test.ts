import { describe, expect, it } from 'vitest';
import { isSegstreamError } from '../errors/errors.ts';
import { itemsOfJson, itemsOfNdjson } from './body.ts';

function bodyError(read: () => unknown): unknown {
  try {
    read();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('itemsOfJson', () => {
  it('numbers the items of an array by position', () => {
    expect(itemsOfJson('[{"a":1}, 2, null]')).toEqual([
      { index: 0, value: { a: 1 } },
      { index: 1, value: 2 },
      { index: 2, value: null },
    ]);
  });

  it('reads an empty array as no items', () => {
    expect(itemsOfJson(' [] ')).toEqual([]);
  });

  it.each([
    ['text that is not JSON', '{"a":', 'the body is not valid JSON'],
    ['an empty body', '', 'the body is not valid JSON'],
    ['a single object', '{"event_id":"e1"}', 'expected a JSON array of items'],
    ['a number', '42', 'expected a JSON array of items'],
  ])('refuses %s with INGEST_BODY_INVALID', (_name, text, reason) => {
    const err = bodyError(() => itemsOfJson(text));
    expect(isSegstreamError(err, 'INGEST_BODY_INVALID')).toBe(true);
    expect(String((err as { details: { reason: string } }).details.reason)).toContain(reason);
  });
});

describe('itemsOfNdjson', () => {
  it('reads one item per line; a broken line is a malformed item, its neighbours stay', () => {
    const text = '{"a":1}\r\n{"a":\n\n  \n{"a":3}\n';
    expect(itemsOfNdjson(text)).toEqual([
      { index: 0, value: { a: 1 } },
      { index: 1, malformed: 'the line is not valid JSON' },
      { index: 4, value: { a: 3 } },
    ]);
  });

  it('reads a first line after a byte order mark', () => {
    expect(itemsOfNdjson('\uFEFF{"a":1}\n{"b":2}')).toEqual([
      { index: 0, value: { a: 1 } },
      { index: 1, value: { b: 2 } },
    ]);
  });

  it('reads an empty body as no items', () => {
    expect(itemsOfNdjson('')).toEqual([]);
    expect(itemsOfNdjson('\n\n')).toEqual([]);
  });
});
