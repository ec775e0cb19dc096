/**
 * The user side of audience evaluation. A `Subject` is built once per user so that
 * compiled conditions answer membership questions with set lookups only.
 */

/** A user prepared once for evaluation. */
export interface Subject {
  readonly groups: ReadonlySet<string>;
  readonly attributes: ReadonlyMap<string, ReadonlySet<string>>;
  readonly purposes: ReadonlySet<string>;
}

/** Builds a `Subject` from plain lists; missing parts mean "none". */
export function makeSubject(input: {
  groups?: readonly string[];
  attributes?: Readonly<Record<string, readonly string[]>>;
  purposes?: readonly string[];
}): Subject {
  const attributes = new Map<string, ReadonlySet<string>>();
  // Object.entries skips inherited keys, so a name like "constructor" is just a name.
  for (const [name, values] of Object.entries(input.attributes ?? {})) {
    attributes.set(name, new Set(values));
  }
  return {
    groups: new Set(input.groups ?? []),
    attributes,
    purposes: new Set(input.purposes ?? []),
  };
}

/**
 * The key that stands for one attribute `name`/`value` pair inside JSON Logic.
 * JSON encoding keeps it unambiguous even when names contain dots, `=` or quotes.
 */
export function attributeKey(name: string, value: string): string {
  return JSON.stringify([name, value]);
}

/**
 * The JSON Logic data object for `jsonLogic.apply`: attributes are flattened to
 * `attributeKey(name, value)` strings so a plain `in` can test them.
 */
export function subjectToLogicData(s: Subject): { groups: string[]; attributes: string[]; purposes: string[] } {
  const attributes: string[] = [];
  for (const [name, values] of s.attributes) {
    for (const value of values) attributes.push(attributeKey(name, value));
  }
  return { groups: [...s.groups], attributes, purposes: [...s.purposes] };
}
