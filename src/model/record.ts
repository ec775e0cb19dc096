import { z } from "zod";

/** The value schema of each record made by `plainRecord`, for the JSON Schema (bundle-json-schema.ts). */
export const RECORD_VALUES = new WeakMap<z.core.$ZodType, z.ZodType>();

/**
 * `z.record(z.string(), value)` for input from outside, where every key is data:
 * `__proto__`, `constructor` and `toString` are names like any other.
 *
 * zod 4.1's own record does not treat them so: it skips a `__proto__` key outright (an
 * attribute named `__proto__` vanished, and an inclusions rule on it stopped matching),
 * and its `isPlainObject` reads `input.constructor.prototype`, so `{"constructor": null}`
 * threw a TypeError and `{"constructor": ["a"]}` was "expected record, received object".
 * This one validates each own enumerable key's value and returns a null-prototype
 * object, so a lookup `record[name]` never reaches Object.prototype.
 */
export function plainRecord<T extends z.ZodType>(value: T): z.ZodType<Record<string, z.output<T>>, Record<string, z.input<T>>> {
  const passThrough = value instanceof z.ZodUnknown;
  const schema = z.unknown().transform((input, ctx) => {
    if (typeof input !== "object" || input === null || Array.isArray(input) || Object.prototype.toString.call(input) !== "[object Object]") {
      ctx.addIssue({ code: "invalid_type", expected: "record", input });
      return z.NEVER;
    }
    const out = Object.create(null) as Record<string, z.output<T>>;
    for (const key of Object.keys(input)) {
      const item = (input as Record<string, unknown>)[key];
      if (passThrough) {
        out[key] = item as z.output<T>;
        continue;
      }
      const r = value.safeParse(item);
      if (r.success) out[key] = r.data;
      else for (const iss of r.error.issues) ctx.addIssue({ ...iss, path: [key, ...iss.path] } as never);
    }
    return out;
  });
  RECORD_VALUES.set(schema, value);
  return schema as unknown as z.ZodType<Record<string, z.output<T>>, Record<string, z.input<T>>>;
}
