import { z } from "zod";

/** The part of JSON Schema that zod 4 emits for the protocol's schemas. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  description?: string;
  $ref?: string;
}

interface FieldRow {
  field: string;
  type: string;
  required: boolean;
  constraints: string[];
}

const FORMAT_NAMES: Record<string, string> = {
  "date-time": "ISO 8601 date-time in UTC, e.g. `2026-03-14T09:26:53.000Z`",
  email: "an email address",
};

/**
 * Payloads are documented as a client writes them (`io: "input"`); a pipe's input side carries
 * no format, so formats checked later in the pipe (such as `email`) are taken from the output side.
 * That side may end in a transform (the binding code's normalisation), which has no JSON Schema:
 * it is left blank there, and the input side still describes the field.
 */
export function payloadJsonSchema(schema: z.ZodType): JsonSchema {
  const input = z.toJSONSchema(schema, { io: "input" }) as JsonSchema;
  return withOutputFormats(input, z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as JsonSchema);
}

export function replyJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "output" }) as JsonSchema;
}

function withOutputFormats(input: JsonSchema, output: JsonSchema): JsonSchema {
  const merged: JsonSchema = { ...input };
  if (merged.format === undefined && output.format !== undefined && merged.type === output.type) merged.format = output.format;
  if (input.properties && output.properties) {
    const outputProperties = output.properties;
    merged.properties = Object.fromEntries(
      Object.entries(input.properties).map(([key, value]) => [key, outputProperties[key] ? withOutputFormats(value, outputProperties[key]) : value]),
    );
  }
  if (input.items && output.items) merged.items = withOutputFormats(input.items, output.items);
  return merged;
}

/** A Markdown table of an object schema's fields, nested objects and arrays flattened as `a.b` and `a[].b`. */
export function renderFieldTable(schema: JsonSchema, whenEmpty: string): string {
  if (schema.$ref !== undefined || schema.type !== "object") {
    throw new Error(`Only object schemas without $ref can be documented, got ${JSON.stringify(schema).slice(0, 120)}; extend scripts/protocol-doc/field-table.ts`);
  }
  const rows = fieldRows(schema, "");
  if (rows.length === 0) return whenEmpty;
  const lines = rows.map((row) => tableRow([`\`${row.field}\``, row.type, row.required ? "yes" : "no", row.constraints.join("; ")]));
  return [tableRow(["Field", "Type", "Required", "Constraints"]), tableRow(["---", "---", "---", "---"]), ...lines].join("\n");
}

function fieldRows(schema: JsonSchema, prefix: string): FieldRow[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const { schema: value, nullable } = withoutNull(property);
    const field = `${prefix}${name}`;
    const row: FieldRow = {
      field,
      type: `${typeName(value)}${nullable ? " or null" : ""}`,
      required: required.has(name),
      constraints: constraintsOf(value),
    };
    if (value.type === "object" && value.properties) return [row, ...fieldRows(value, `${field}.`)];
    const item = value.items ? withoutNull(value.items).schema : undefined;
    if (item?.type === "object" && item.properties) return [row, ...fieldRows(item, `${field}[].`)];
    return [row];
  });
}

function withoutNull(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  if (Array.isArray(schema.type) && schema.type.includes("null")) {
    const rest = schema.type.filter((type) => type !== "null");
    return { schema: { ...schema, type: rest.length === 1 ? rest[0] : rest }, nullable: true };
  }
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.some((variant) => variant.type === "null")) {
    const rest = variants.filter((variant) => variant.type !== "null");
    return { schema: rest.length === 1 ? rest[0]! : { ...schema, anyOf: rest, oneOf: undefined }, nullable: true };
  }
  return { schema, nullable: false };
}

function typeName(schema: JsonSchema): string {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map(typeName).join(" or ");
  if (Array.isArray(schema.type)) return schema.type.join(" or ");
  if (schema.type === "array") return `array of ${schema.items ? typeName(withoutNull(schema.items).schema) : "any"}`;
  if (schema.type === "object" && !schema.properties) return "object (any keys)";
  return schema.type ?? (schema.const !== undefined ? typeof schema.const : "any");
}

function constraintsOf(schema: JsonSchema): string[] {
  const notes: string[] = [];
  if (schema.description) notes.push(schema.description);
  if (schema.const !== undefined) notes.push(`always \`${JSON.stringify(schema.const)}\``);
  if (schema.enum) notes.push(`one of ${schema.enum.map((value) => `\`${String(value)}\``).join(", ")}`);
  if (schema.format) notes.push(FORMAT_NAMES[schema.format] ?? `format \`${schema.format}\``);
  const length = range(schema.minLength, schema.maxLength, "characters");
  if (length) notes.push(length);
  // A format's pattern is zod's implementation of the format, not something to read.
  if (schema.pattern && !schema.format) notes.push(`matches \`${schema.pattern}\``);
  const value = range(schema.minimum, schema.maximum, "");
  if (value) notes.push(value);
  const count = range(schema.minItems, schema.maxItems, "items");
  if (count) notes.push(count);
  if (schema.default !== undefined) notes.push(`default \`${JSON.stringify(schema.default)}\``);
  const item = schema.items ? withoutNull(schema.items).schema : undefined;
  if (item && item.type !== "object") notes.push(...constraintsOf(item).map((note) => `each: ${note}`));
  return notes;
}

/** zod's `z.int()` bounds are the safe-integer range; those say nothing to a reader. */
function range(min: number | undefined, max: number | undefined, unit: string): string | undefined {
  const low = min === undefined || min <= Number.MIN_SAFE_INTEGER ? undefined : min;
  const high = max === undefined || max >= Number.MAX_SAFE_INTEGER ? undefined : max;
  const suffix = unit ? ` ${unit}` : "";
  if (low !== undefined && high !== undefined) return `${low}–${high}${suffix}`;
  if (low !== undefined) return unit === "characters" && low === 1 ? "not empty" : `at least ${low}${suffix}`;
  if (high !== undefined) return `at most ${high}${suffix}`;
  return undefined;
}

/** One Markdown table row. GitHub splits cells on `|` even inside code spans, so those are escaped. */
export function tableRow(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`;
}
