/** What a published JSON Schema of a string parameter says about `value`: length, pattern, and integer type. */
export function documentedAccepts(schema: { type?: string; minLength?: number; maxLength?: number; pattern?: string }, value: string): boolean {
  if (schema.type === 'integer') return /^\d+$/.test(value);
  return value.length >= (schema.minLength ?? 0) && value.length <= (schema.maxLength ?? Infinity)
    && (schema.pattern === undefined || new RegExp(schema.pattern, 'u').test(value));
}
