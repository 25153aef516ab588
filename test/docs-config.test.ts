// docs/configuration.md and SETTINGS in engine/config/config.ts describe the same variables: this
// test fails as soon as one changes without the other.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTINGS, type SettingKind, type SettingSpec } from '../engine/config/config.ts';
import { ERRORS } from '../engine/errors/errors.ts';

const doc = fs.readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');

interface Row {
  readonly name: string;
  readonly cells: readonly string[];
}

/** Table rows whose first cell is a single backticked name: `| \`NAME\` | ... |`. */
const rows: Row[] = doc
  .split('\n')
  .filter((line) => /^\|\s*`[^`]+`\s*\|/.test(line))
  .map((line) => {
    const cells = line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim());
    return { name: (cells[0] ?? '').replaceAll('`', ''), cells };
  });

const UNITS: Record<Exclude<SettingKind, 'string'>, string> = {
  port: 'port number',
  'http-url': 'URL (http, https)',
  'redis-url': 'URL (redis, rediss)',
  'log-level': 'log level',
};

function defaultCell(setting: SettingSpec): string {
  if (setting.default === undefined) return '(not set)';
  if (setting.default === '') return '(empty)';
  return `\`${setting.default}\``;
}

function row(env: string): Row {
  const found = rows.find((r) => r.name === env);
  if (!found) throw new Error(`${env} is not documented in docs/configuration.md`);
  return found;
}

describe('docs/configuration.md', () => {
  it('has a four-column row (variable, default, unit, description) per variable', () => {
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.cells.length !== 4).map((r) => r.name)).toEqual([]);
  });

  it.each(SETTINGS.map((s) => [s.env, s] as const))('documents %s', (_env, setting) => {
    const [, def, unit, description] = row(setting.env).cells;
    expect(def).toBe(defaultCell(setting));
    if (setting.kind !== 'string') expect(unit).toBe(UNITS[setting.kind]);
    else expect(unit).not.toBe('');
    expect(description?.startsWith(setting.description)).toBe(true);
  });

  it('documents no variable twice', () => {
    const names = rows.map((r) => r.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('documents no variable that SETTINGS does not declare', () => {
    const declared = new Set<string>(SETTINGS.map((s) => s.env));
    expect(rows.map((r) => r.name).filter((name) => !declared.has(name))).toEqual([]);

    // Prose too: a backticked upper-case name outside the Default column is a declared variable
    // or an error code from the catalogue.
    const withoutDefaults = doc
      .split('\n')
      .map((line) => (/^\|\s*`/.test(line) ? line.split('|').toSpliced(2, 1).join('|') : line))
      .join('\n');
    const mentioned = [...withoutDefaults.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]);
    const known = (name = '') => declared.has(name) || Object.hasOwn(ERRORS, name);
    expect(mentioned.filter((name) => !known(name))).toEqual([]);
  });
});
