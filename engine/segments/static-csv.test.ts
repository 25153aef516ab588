import { describe, expect, it } from 'vitest';
import { isSegstreamError } from '../errors/errors.ts';
import { parseStaticMembersCsv } from './static-csv.ts';

describe('parseStaticMembersCsv', () => {
  it.each<[string, string, string[]]>([
    ['one id per line', 'p1\np2\np3\n', ['p1', 'p2', 'p3']],
    ['a player_id header', 'player_id\np1\np2', ['p1', 'p2']],
    ['a header in any case', 'Player_ID\r\np1\r\n', ['p1']],
    ['the player_id column of several', 'email,player_id\na@x,p1\nb@x,p2', ['p1', 'p2']],
    ['a BOM and blank lines', '\uFEFFp1\n\n  \np2', ['p1', 'p2']],
    ['quoted ids with commas and quotes', '"a,b"\n"say ""hi"""', ['a,b', 'say "hi"']],
    ['repeats kept in order', 'p2\np1\np2', ['p2', 'p1', 'p2']],
    ['non-ASCII ids', 'jürgen\n名前', ['jürgen', '名前']],
    ['spaces around ids trimmed', '  p1  \n', ['p1']],
    ['an empty file', '', []],
  ])('reads %s', (_name, text, ids) => {
    expect(parseStaticMembersCsv(text)).toEqual(ids);
  });

  it.each<[string, string, number, string]>([
    ['several columns without a header', 'a,b\nc,d', 1, 'several columns'],
    ['a row without an id in the id column', 'player_id,email\np1,a\n,b', 3, 'no player id'],
    ['an id over 200 characters', `p1\n${'x'.repeat(201)}`, 2, 'longer than 200'],
    ['an unclosed quote (found at the end)', 'p1\n"p2\np3', 3, 'not readable'],
  ])('refuses %s, naming the line', (_name, text, line, reason) => {
    let caught: unknown;
    try {
      parseStaticMembersCsv(text);
    } catch (err) {
      caught = err;
    }
    expect(isSegstreamError(caught, 'STATIC_MEMBERS_INVALID')).toBe(true);
    const details = (caught as { details: { path: string; reason: string } }).details;
    expect(details.path).toBe(`body/line/${line}`);
    expect(details.reason).toContain(reason);
  });
});
