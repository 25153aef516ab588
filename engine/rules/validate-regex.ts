// Regular expressions in `matches` run on ClickHouse (RE2) and in the reference evaluator
// (JavaScript). A pattern is accepted only when both read it the same way: it must compile as a
// JavaScript expression with the `u` flag (the stricter mode, closest to RE2's escape rules) and
// must not use what RE2 lacks or spells differently.

/** Why the pattern cannot be used, or undefined when it can. */
export function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
  } catch (err) {
    return `is not a valid regular expression (${(err as Error).message})`;
  }
  return re2Problem(pattern);
}

const UNSUPPORTED_ESCAPES: Record<string, string> = {
  k: 'named backreferences are not supported',
  u: '\\u escapes are not supported; write the character itself',
  c: '\\c control escapes are not supported',
};

function re2Problem(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next)) return 'backreferences are not supported';
      const problem = UNSUPPORTED_ESCAPES[next];
      if (problem) return problem;
      i++;
    } else if (inClass) {
      inClass = c !== ']';
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(' && pattern[i + 1] === '?') {
      const problem = groupProblem(pattern.slice(i + 2, i + 4));
      if (problem) return problem;
    } else if (c === '{') {
      const problem = repeatProblem(pattern.slice(i));
      if (problem) return problem;
    }
  }
  return undefined;
}

/** RE2 refuses counted repetitions above 1000 (a{1001}), which JavaScript accepts. */
const MAX_REPEAT = 1_000;

function repeatProblem(rest: string): string | undefined {
  const counts = /^\{(\d+)(?:,(\d*))?\}/.exec(rest);
  if (!counts) return undefined;
  const largest = Math.max(Number(counts[1]), Number(counts[2] || 0));
  return largest > MAX_REPEAT ? `repeats more than ${MAX_REPEAT} times` : undefined;
}

function groupProblem(head: string): string | undefined {
  if (head.startsWith('=') || head.startsWith('!')) return 'lookahead is not supported';
  if (head === '<=' || head === '<!') return 'lookbehind is not supported';
  // RE2 as bundled with older ClickHouse releases only knows (?P<name>...), which JavaScript
  // does not; a plain group matches the same strings.
  if (head.startsWith('<')) return 'named groups are not supported; use a plain group';
  return undefined;
}
