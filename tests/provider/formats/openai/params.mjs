// Request parameter checks with the real API's messages and codes. Each check
// returns an error reply or null, so validators chain with `??`.

import { openaiError } from './errors.mjs';
import { isPlainObject } from '../../lib/http.mjs';

const has = (body, name) => body[name] !== undefined && body[name] !== null;

export function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a decimal';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'boolean' ? 'a boolean' : 'a string';
}

const EXPECTED = { string: 'a string', integer: 'an integer', number: 'a decimal', boolean: 'a boolean', array: 'an array', object: 'an object' };
const MATCHES = {
  string: (v) => typeof v === 'string',
  integer: (v) => Number.isInteger(v),
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  array: Array.isArray,
  object: isPlainObject,
};

export const missing = (param) =>
  openaiError(400, `Missing required parameter: '${param}'.`, { param, code: 'missing_required_parameter' });

export function invalidType(param, kind, value) {
  return openaiError(400, `Invalid type for '${param}': expected ${EXPECTED[kind]}, but got ${typeName(value)} instead.`, {
    param,
    code: 'invalid_type',
  });
}

export function invalidValue(param, value, supported) {
  const list = supported.map((s) => `'${s}'`);
  const text = list.length > 1 ? `${list.slice(0, -1).join(', ')}, and ${list.at(-1)}` : list[0];
  return openaiError(400, `Invalid value: '${value}'. Supported values are: ${text}.`, { param, code: 'invalid_value' });
}

export const checkType = (value, param, kind) => (MATCHES[kind](value) ? null : invalidType(param, kind, value));

export const required = (body, name, kind) => (has(body, name) ? checkType(body[name], name, kind) : missing(name));

export const optional = (body, name, kind) => (has(body, name) ? checkType(body[name], name, kind) : null);

/** Optional number with bounds, e.g. temperature 0..2 or max_output_tokens >= 16. */
export function optionalNumber(body, name, { integer = false, min, max } = {}) {
  if (!has(body, name)) return null;
  const value = body[name];
  const bad = checkType(value, name, integer ? 'integer' : 'number');
  if (bad) return bad;
  const kind = integer ? 'integer' : 'decimal';
  if (min !== undefined && value < min) {
    return openaiError(400, `Invalid '${name}': ${kind} below minimum value. Expected a value >= ${min}, but got ${value} instead.`, {
      param: name,
      code: `${kind}_below_min_value`,
    });
  }
  if (max !== undefined && value > max) {
    return openaiError(400, `Invalid '${name}': ${kind} above maximum value. Expected a value <= ${max}, but got ${value} instead.`, {
      param: name,
      code: `${kind}_above_max_value`,
    });
  }
  return null;
}

/** Unknown top-level arguments are rejected; Chat and Responses word it differently. */
export function unknownParams(body, allowed, style) {
  const extra = Object.keys(body).find((k) => !allowed.has(k));
  if (!extra) return null;
  return style === 'chat'
    ? openaiError(400, `Unrecognized request argument supplied: ${extra}`)
    : openaiError(400, `Unknown parameter: '${extra}'.`, { param: extra, code: 'unknown_parameter' });
}

// Streaming is not implemented yet; say so plainly instead of answering with
// a non-stream body the client would misread.
export function noStream(body) {
  if (body.stream !== true) return null;
  return openaiError(400, 'The loopback provider does not implement streaming yet; send stream: false.', {
    param: 'stream',
    code: 'unsupported_value',
  });
}

/** Shared check of a json_schema format object ({name, schema, strict}). */
export function checkJsonSchemaFormat(format, prefix) {
  const name = `${prefix}.name`;
  if (!has(format, 'name')) return missing(name);
  if (typeof format.name !== 'string') return invalidType(name, 'string', format.name);
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(format.name)) {
    return openaiError(
      400,
      `Invalid '${name}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
      { param: name, code: 'invalid_value' },
    );
  }
  if (!has(format, 'schema')) return missing(`${prefix}.schema`);
  return checkType(format.schema, `${prefix}.schema`, 'object');
}
