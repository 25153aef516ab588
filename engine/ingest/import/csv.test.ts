import { describe, expect, it } from 'vitest';
import { csvRecords, MAX_RECORD_LINES, splitRecord } from './csv.ts';
import type { NumberedLine } from './lines.ts';
import { parseObjectLine, quoteNumbers } from './ndjson.ts';

describe('splitRecord', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['a,,', ['a', '', '']],
    ['"a,b",c', ['a,b', 'c']],
    ['"say ""hi""",x', ['say "hi"', 'x']],
    ['"",x', ['', 'x']],
    ['"line 1\nline 2",x', ['line 1\nline 2', 'x']],
    ['Zoë,東京,"Cote d’Ivoire"', ['Zoë', '東京', 'Cote d’Ivoire']],
  ])('splits %j', (text, fields) => {
    expect(splitRecord(text, ',')).toEqual({ fields });
  });

  it('splits on another delimiter', () => {
    expect(splitRecord('a;"b;c";d', ';')).toEqual({ fields: ['a', 'b;c', 'd'] });
  });

  it.each([
    ['a,b"c,d', { error: 'a quote inside unquoted field 2' }],
    ['a,"b"c,d', { error: 'text after a closing quote in field 2' }],
    ['a,"open,d', { open: true }],
  ])('refuses %j', (text, result) => {
    expect(splitRecord(text, ',')).toEqual(result);
  });
});

async function records(texts: string[]) {
  async function* lines(): AsyncGenerator<NumberedLine> {
    for (const [i, text] of texts.entries()) yield { line: i + 1, text };
  }
  const out: unknown[] = [];
  for await (const record of csvRecords(lines(), ',')) out.push(record);
  return out;
}

describe('csvRecords', () => {
  it('numbers a multi-line record by its first line and skips blank lines', async () => {
    expect(await records(['a,b', '', '"x', 'y",z', 'p,q'])).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['x\ny', 'z'] },
      { line: 5, fields: ['p', 'q'] },
    ]);
  });

  it('rejects only the line of a quote that never closes and reads the rest again', async () => {
    expect(await records(['a,b', '"x,y', 'c,d', 'e,f'])).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, error: 'a quote opened on this line is never closed' },
      { line: 3, fields: ['c', 'd'] },
      { line: 4, fields: ['e', 'f'] },
    ]);
  });

  it('rejects the line of a quote that closes badly later and reads the rest', async () => {
    expect(await records(['"x,y', 'c,d', 'e,"f"g'])).toEqual([
      {
        line: 1,
        error:
          'a quote opened on this line closes on a later line badly ' +
          '(text after a closing quote in field 1)',
      },
      { line: 2, fields: ['c', 'd'] },
      { line: 3, error: 'text after a closing quote in field 2' },
    ]);
  });

  it('gives up on an open quote after MAX_RECORD_LINES lines', async () => {
    const texts = ['"open', ...Array.from({ length: MAX_RECORD_LINES + 5 }, (_, i) => `r${i},v`)];
    const out = (await records(texts)) as { line: number; error?: string }[];
    expect(out[0]).toEqual({ line: 1, error: 'a quote opened on this line is never closed' });
    expect(out).toHaveLength(texts.length);
    expect(out.slice(1).every((r) => r.error === undefined)).toBe(true);
  });
});

describe('NDJSON lines', () => {
  it.each([
    ['{"a":1.10,"b":"1.10","c":-2e3}', '{"a":"1.10","b":"1.10","c":"-2e3"}'],
    ['{"s":"x: 12, \\"y\\": 3","n":[1,2]}', '{"s":"x: 12, \\"y\\": 3","n":["1","2"]}'],
    ['{"t":true,"n":null}', '{"t":true,"n":null}'],
  ])('quotes the numbers of %s', (text, expected) => {
    expect(quoteNumbers(text)).toBe(expected);
  });

  it.each([
    ['{"a":', /^not valid JSON/],
    ['[1]', /^not a JSON object$/],
    ['"text"', /^not a JSON object$/],
  ])('refuses %s', (text, reason) => {
    expect(parseObjectLine(text)).toMatch(reason);
  });

  it('keeps 19-digit ids and 4-place amounts exactly', () => {
    expect(parseObjectLine('{"id":1234567890123456789,"amount":12345678901234.5678}')).toEqual({
      id: '1234567890123456789',
      amount: '12345678901234.5678',
    });
  });
});
