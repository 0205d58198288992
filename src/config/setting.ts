import { z } from 'zod';
import { ConfigError, shownSettingValue } from '../core';

/**
 * One environment setting: everything about it in one row — the parser (which holds the default),
 * the default as `--help` and the README show it, the description, and whether it is a secret.
 * Validation, `--help`, the README table and the redaction of secrets all read these rows.
 */
export interface Setting<T = unknown> {
  description: string;
  /** The default as text: "(none)" or a phrase when unset means "not used" or "derived". */
  defaultText: string;
  /** Parses the raw value; unset or blank yields the default. */
  schema: z.ZodType<T, string | undefined>;
  /** Never shown in messages, logs or `--help`. */
  secret?: true;
}

/** A row of a settings table with its variable's name, in table order. */
export interface NamedSetting extends Setting {
  name: string;
}

export type SettingsTable = Record<string, Setting>;

/** The parsed values of a table, keyed by variable name. */
export type SettingValues<T extends SettingsTable> = {
  [K in keyof T]: T[K] extends Setting<infer V> ? V : never;
};

/** The rows of a table in order, each with its name. */
export function settingRows(table: SettingsTable): NamedSetting[] {
  return Object.entries(table).map(([name, setting]) => ({ name, ...setting }));
}

// Env values are strings; an empty string counts as unset so `FOO= cmd` falls back to the default.
const unsetIfBlank = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `expected a whole number between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

interface Extra {
  secret?: true;
}

/** Free text with a default. */
export function text(fallback: string, description: string): Setting<string> {
  return { description, defaultText: fallback, schema: unsetIfBlank.transform((value) => value ?? fallback) };
}

/** Free text, or undefined when unset; `noneText` says what unset means. */
export function optionalText(
  description: string,
  noneText = '(none)',
  extra: Extra = {},
): Setting<string | undefined> {
  return { description, defaultText: noneText, schema: unsetIfBlank, ...extra };
}

/** Text that must match `pattern` (the message says what is expected). */
export function matching(
  fallback: string,
  pattern: RegExp,
  expected: string,
  description: string,
): Setting<string> {
  return {
    description,
    defaultText: fallback,
    schema: unsetIfBlank.transform((value) => value ?? fallback).pipe(z.string().regex(pattern, expected)),
  };
}

/** Optional text that must match `pattern` when set. */
export function optionalMatching(
  pattern: RegExp,
  expected: string,
  description: string,
): Setting<string | undefined> {
  return {
    description,
    defaultText: '(none)',
    schema: unsetIfBlank.pipe(z.string().regex(pattern, expected).optional()),
  };
}

export function integer(fallback: number, min: number, max: number, description: string): Setting<number> {
  return {
    description,
    defaultText: String(fallback),
    schema: unsetIfBlank.pipe(wholeNumber(min, max).optional()).transform((value) => value ?? fallback),
  };
}

export function optionalInteger(
  min: number,
  max: number,
  noneText: string,
  description: string,
): Setting<number | undefined> {
  return { description, defaultText: noneText, schema: unsetIfBlank.pipe(wholeNumber(min, max).optional()) };
}

export function flag(fallback: boolean, description: string): Setting<boolean> {
  return {
    description,
    defaultText: String(fallback),
    schema: unsetIfBlank
      .pipe(
        z.stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'] }).optional(),
      )
      .transform((value) => value ?? fallback),
  };
}

/** One of `choices`. */
export function choice<const C extends string>(
  fallback: C,
  choices: readonly C[],
  description: string,
): Setting<C> {
  return {
    description,
    defaultText: fallback,
    schema: unsetIfBlank
      .transform((value) => value ?? fallback)
      .pipe(z.enum(choices as unknown as [C, ...C[]])),
  };
}

/** One of `choices`, or undefined when unset. */
export function optionalChoice<const C extends string>(
  choices: readonly C[],
  description: string,
): Setting<C | undefined> {
  return {
    description,
    defaultText: '(none)',
    schema: unsetIfBlank.pipe(z.enum(choices as unknown as [C, ...C[]]).optional()),
  };
}

/** A number from 0 to 1. */
export function fraction(fallback: number, description: string): Setting<number> {
  return {
    description,
    defaultText: String(fallback),
    schema: unsetIfBlank
      .pipe(
        z
          .string()
          .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, 'expected a number from 0 to 1')
          .transform(Number)
          .optional(),
      )
      .transform((value) => value ?? fallback),
  };
}

/** A URL with one of the given protocols (e.g. /^rediss?:$/). */
export function url(fallback: string, protocols: RegExp, description: string): Setting<string> {
  const valid = (value: string) => {
    try {
      return protocols.test(new URL(value).protocol);
    } catch {
      return false;
    }
  };
  return {
    description,
    defaultText: fallback,
    schema: unsetIfBlank
      .transform((value) => value ?? fallback)
      .pipe(z.string().refine(valid, `expected a URL (${protocols.source.replace(/[\^$]/g, '')})`)),
  };
}

/** A comma-separated list, each item checked by `item`. */
export function list(
  fallback: string,
  item: (value: string) => string | undefined,
  expected: string,
  description: string,
): Setting<string[]> {
  return {
    description,
    defaultText: fallback,
    schema: unsetIfBlank.transform((value, context) => {
      const raw = (value ?? fallback)
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
      const items = raw.map(item);
      const bad = raw.filter((_, index) => items[index] === undefined);
      if (raw.length === 0 || bad.length > 0) {
        context.addIssue({
          code: 'custom',
          message: `${expected}${bad.length ? ` (not ${JSON.stringify(bad.join(','))})` : ''}`,
        });
        return z.NEVER;
      }
      return [...new Set(items as string[])];
    }),
  };
}

/** The subset of `table` named in `names`, same rows (one home per setting). */
export function pick<T extends SettingsTable, K extends keyof T>(table: T, names: readonly K[]): Pick<T, K> {
  return Object.fromEntries(names.map((name) => [name, table[name]])) as Pick<T, K>;
}

/**
 * Parses `env` with the rows of `table`, or throws one ConfigError naming every invalid setting
 * (and the cross-setting `problems`), never echoing a secret.
 */
export function parseSettings<T extends SettingsTable>(
  table: T,
  env: Record<string, string | undefined>,
  problems: readonly string[],
  what: string,
): SettingValues<T> {
  const shape = z.object(
    Object.fromEntries(Object.entries(table).map(([name, setting]) => [name, setting.schema])),
  );
  const picked = Object.fromEntries(Object.keys(table).map((name) => [name, env[name]]));
  const parsed = shape.safeParse(picked);
  if (parsed.success && problems.length === 0) return parsed.data as SettingValues<T>;
  const issues = parsed.success ? [] : parsed.error.issues;
  const lines = issues.map((issue) => {
    const name = String(issue.path[0] ?? 'settings');
    const value = env[name];
    const shown =
      value === undefined || table[name]?.secret
        ? ''
        : ` (got ${JSON.stringify(shownSettingValue(name, value))})`;
    return `  ${name}: ${issue.message}${shown}`;
  });
  throw new ConfigError(`invalid ${what}:\n${[...lines, ...problems].join('\n')}`);
}
