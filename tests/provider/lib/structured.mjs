// When a caller asks for JSON output (json_object / json_schema), a real model
// answers with JSON; an engine parsing structured output would break on plain
// text. So the deterministic reply is wrapped: json_object -> {"reply": text};
// json_schema -> the smallest instance of the schema, strings filled with text.

export function structuredText(format, reply) {
  if (format?.type === 'json_object') return JSON.stringify({ reply });
  if (format?.type === 'json_schema') return JSON.stringify(sample(format.schema, reply, 0));
  return reply;
}

export function sample(schema, reply, depth = 0) {
  if (schema === null || typeof schema !== 'object' || depth > 10) return reply;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives) && alternatives.length) return sample(alternatives[0], reply, depth + 1);
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out = {};
      for (const [name, sub] of Object.entries(schema.properties ?? {})) out[name] = sample(sub, reply, depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items, reply, depth + 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return reply;
  }
}
