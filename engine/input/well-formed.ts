// Values a JSON schema lets through but nothing downstream can use.
//
// Text that is not well-formed UTF-16 (a lone surrogate such as "\ud800", which JSON can carry
// but UTF-8 cannot) is refused at every boundary: ClickHouse's TSV writer, the CSV export and
// URL encoding all fail on it later, and an accepted item that can never be stored would block
// the ingest queue. Numbers that are not finite come from query strings ("Infinity").

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path (`tags[2]`, `props.bonus`) of the first ill-formed string or key, if any. */
export function illFormedPath(value: unknown): string | undefined {
  return findPath(value, (v) => typeof v === 'string' && LONE_SURROGATE.test(v), true);
}

/** The path of the first number that is not finite (NaN, ±Infinity), if any. */
export function nonFinitePath(value: unknown): string | undefined {
  return findPath(value, (v) => typeof v === 'number' && !Number.isFinite(v), false);
}

/**
 * Nesting this deep is refused by every schema (rules stop at 32 levels), so the search stops
 * there instead of running out of stack on a body nested a million levels.
 */
const MAX_DEPTH = 100;

/** Depth-first search of a parsed JSON value; `keys`: object keys are tested as values too. */
function findPath(
  value: unknown,
  bad: (v: unknown) => boolean,
  keys: boolean,
  path = '',
  depth = 0,
): string | undefined {
  if (bad(value)) return path;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return undefined;
  const entries = Array.isArray(value)
    ? value.map((inner, i) => [`${path}[${i}]`, inner] as const)
    : Object.entries(value).map(
        ([k, inner]) => [path === '' ? k : `${path}.${k}`, inner, k] as const,
      );
  for (const [at, inner, key] of entries as (readonly [string, unknown, string?])[]) {
    if (keys && key !== undefined && bad(key)) return at;
    const found = findPath(inner, bad, keys, at, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
