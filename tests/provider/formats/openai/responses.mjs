// POST /v1/responses: the Responses API (used by the WordPress AI client and
// by AI Puffer's default OpenAI path).

import { isPlainObject } from '../../lib/http.mjs';
import { structuredText } from '../../lib/structured.mjs';
import { inputTokens, limitTokens, replyText } from '../../lib/text.mjs';
import { argsFor, toolResultsText } from '../../lib/tools.mjs';
import { openaiError } from './errors.mjs';
import { checkReasoningParams, checkTextModel } from './models.mjs';
import {
  checkJsonSchemaFormat, checkType, invalidType, invalidValue, missing, noStream, optional, optionalNumber,
  required, typeName, unknownParams,
} from './params.mjs';

// Accepted top-level arguments; the ones not used here are accepted and ignored.
const ALLOWED = new Set([
  'model', 'input', 'instructions', 'max_output_tokens', 'temperature', 'top_p', 'text', 'stream', 'stream_options',
  'store', 'metadata', 'user', 'tools', 'tool_choice', 'parallel_tool_calls', 'previous_response_id', 'reasoning',
  'include', 'truncation', 'service_tier', 'background', 'prompt_cache_key', 'safety_identifier', 'max_tool_calls',
  'top_logprobs', 'prompt', 'conversation',
]);
const ROLES = ['user', 'assistant', 'system', 'developer'];
const PART_TYPES = ['input_text', 'input_image', 'output_text', 'refusal', 'input_file'];
const TEXT_PARTS = new Set(['input_text', 'output_text']);
const FORMAT_TYPES = ['text', 'json_object', 'json_schema'];
const TOOL_TYPES = ['function', 'web_search', 'web_search_preview', 'file_search', 'code_interpreter', 'image_generation', 'mcp'];

export const responsesEndpoint = {
  method: 'POST',
  path: '/v1/responses',
  json: true,
  validate(body) {
    return (
      unknownParams(body, ALLOWED, 'responses') ??
      required(body, 'model', 'string') ??
      (body.input == null ? missing('input') : checkInput(body.input)) ??
      optional(body, 'instructions', 'string') ??
      optionalNumber(body, 'max_output_tokens', { integer: true, min: 16 }) ??
      optionalNumber(body, 'temperature', { min: 0, max: 2 }) ??
      optionalNumber(body, 'top_p', { min: 0, max: 1 }) ??
      checkTextFormat(body.text) ??
      checkTools(body.tools) ??
      checkCallOutputs(body.input) ??
      noStream(body) ??
      checkTextModel(body.model, 'responses') ??
      checkReasoningParams(body, 'responses') ??
      checkJsonWord(body)
    );
  },
  lastUserText: (body) => lastUserText(messagesOf(body.input)),
  respond({ body, scenario, ids }) {
    const messages = messagesOf(body.input);
    const id = ids.next('resp');
    const empty = scenario.kind === 'empty';
    const results = toolResults(body.input);
    const tool = results.length ? null : body.tools?.find((t) => t.type === 'function');
    const answer = results.length ? toolResultsText(results) : replyText(lastUserText(messages), scenario);
    const text = structuredText(body.text?.format, answer);
    const out = empty || tool ? { text: '', tokens: tool ? 12 : 0, truncated: false } : limitTokens(text, body.max_output_tokens);
    const status = out.truncated ? 'incomplete' : 'completed';
    const input = inputTokens([body.instructions, ...messages.flatMap((m) => m.texts)]);
    const output = empty
      ? []
      : tool
        ? [{ type: 'function_call', id: ids.next('fc'), call_id: ids.next('call'), name: tool.name, arguments: JSON.stringify(argsFor(tool.parameters)), status: 'completed' }]
        : [{
            type: 'message', id: ids.next('msg'), status, role: 'assistant',
            content: [{ type: 'output_text', text: out.text, annotations: [] }],
          }];
    return {
      status: 200,
      json: {
        id, object: 'response', created_at: Math.floor(Date.now() / 1000), status,
        background: false, error: null,
        incomplete_details: out.truncated ? { reason: 'max_output_tokens' } : null,
        instructions: body.instructions ?? null,
        max_output_tokens: body.max_output_tokens ?? null,
        model: body.model,
        output,
        parallel_tool_calls: body.parallel_tool_calls ?? true,
        previous_response_id: body.previous_response_id ?? null,
        reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
        service_tier: 'default',
        store: body.store ?? true,
        temperature: body.temperature ?? 1,
        text: { format: body.text?.format ?? { type: 'text' } },
        tool_choice: body.tool_choice ?? 'auto',
        tools: body.tools ?? [],
        top_p: body.top_p ?? 1,
        truncation: body.truncation ?? 'disabled',
        usage: {
          input_tokens: input,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: out.tokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: input + out.tokens,
        },
        user: body.user ?? null,
        metadata: body.metadata ?? {},
      },
    };
  },
};

/**
 * The tool results of the input's last turn: the `function_call_output` items after the last
 * message, named by the calls they answer.
 */
function toolResults(input) {
  if (!Array.isArray(input)) return [];
  const lastMessage = input.findLastIndex((item) => item.type === undefined || item.type === 'message');
  const calls = new Map(input.filter((i) => i.type === 'function_call').map((c) => [c.call_id, c.name]));
  return input
    .slice(lastMessage + 1)
    .filter((item) => item.type === 'function_call_output')
    .map((item) => ({ name: calls.get(item.call_id), output: item.output }));
}

/** Normalise `input` (validated) to [{ role, texts }]; tool items carry no message text. */
function messagesOf(input) {
  if (typeof input === 'string') return [{ role: 'user', texts: [input] }];
  return input.filter((item) => item.type === undefined || item.type === 'message').map((item) => ({
    role: item.role,
    texts: typeof item.content === 'string'
      ? [item.content]
      : item.content.filter((p) => TEXT_PARTS.has(p.type)).map((p) => p.text),
  }));
}

function lastUserText(messages) {
  return messages.findLast((m) => m.role === 'user')?.texts.join('\n') ?? '';
}

function checkInput(input) {
  if (typeof input === 'string') return null;
  if (!Array.isArray(input)) {
    return openaiError(400, `Invalid type for 'input': expected one of a string or an array of input items, but got ${typeName(input)} instead.`, {
      param: 'input',
      code: 'invalid_type',
    });
  }
  for (const [i, item] of input.entries()) {
    const at = `input[${i}]`;
    if (!isPlainObject(item)) return invalidType(at, 'object', item);
    if (item.type === 'function_call') {
      const bad = requiredAt(item, 'call_id', 'string', at) ?? requiredAt(item, 'name', 'string', at) ?? requiredAt(item, 'arguments', 'string', at);
      if (bad) return bad;
      continue;
    }
    if (item.type === 'function_call_output') {
      const bad = requiredAt(item, 'call_id', 'string', at) ?? (item.output == null ? missing(`${at}.output`) : null);
      if (bad) return bad;
      continue;
    }
    if (item.type !== undefined && item.type !== 'message') return invalidValue(`${at}.type`, item.type, ['message', 'function_call', 'function_call_output']);
    if (item.role == null) return missing(`${at}.role`);
    if (!ROLES.includes(item.role)) return invalidValue(`${at}.role`, item.role, ROLES);
    if (item.content == null) return missing(`${at}.content`);
    if (typeof item.content === 'string') continue;
    if (!Array.isArray(item.content)) {
      return openaiError(400, `Invalid type for '${at}.content': expected one of a string or an array of input content items, but got ${typeName(item.content)} instead.`, {
        param: `${at}.content`,
        code: 'invalid_type',
      });
    }
    for (const [j, part] of item.content.entries()) {
      const bad = checkPart(part, `${at}.content[${j}]`);
      if (bad) return bad;
    }
  }
  return null;
}

function checkPart(part, at) {
  if (!isPlainObject(part)) return invalidType(at, 'object', part);
  if (part.type == null) return missing(`${at}.type`);
  if (!PART_TYPES.includes(part.type)) return invalidValue(`${at}.type`, part.type, PART_TYPES);
  if (TEXT_PARTS.has(part.type)) return part.text == null ? missing(`${at}.text`) : checkType(part.text, `${at}.text`, 'string');
  if (part.type === 'refusal') return part.refusal == null ? missing(`${at}.refusal`) : checkType(part.refusal, `${at}.refusal`, 'string');
  if (part.type === 'input_image') {
    if (part.image_url == null && part.file_id == null) return missing(`${at}.image_url`);
    if (part.image_url != null) return checkType(part.image_url, `${at}.image_url`, 'string');
    return checkType(part.file_id, `${at}.file_id`, 'string');
  }
  // input_file: inline data, a URL or an uploaded file id.
  if (part.file_data == null && part.file_url == null && part.file_id == null) return missing(`${at}.file_data`);
  return null;
}

/** A required field of a nested object, named by its full path in errors. */
const requiredAt = (object, name, kind, at) => (object[name] == null ? missing(`${at}.${name}`) : checkType(object[name], `${at}.${name}`, kind));

function checkTools(tools) {
  if (tools == null) return null;
  if (!Array.isArray(tools)) return invalidType('tools', 'array', tools);
  for (const [i, tool] of tools.entries()) {
    const at = `tools[${i}]`;
    if (!isPlainObject(tool)) return invalidType(at, 'object', tool);
    if (tool.type == null) return missing(`${at}.type`);
    if (!TOOL_TYPES.includes(tool.type)) return invalidValue(`${at}.type`, tool.type, TOOL_TYPES);
    if (tool.type === 'function') {
      const bad = requiredAt(tool, 'name', 'string', at) ?? (tool.parameters != null && !isPlainObject(tool.parameters) ? invalidType(`${at}.parameters`, 'object', tool.parameters) : null);
      if (bad) return bad;
    }
  }
  return null;
}

// Like the real API: every function_call_output must answer a function_call sent before it.
function checkCallOutputs(input) {
  if (!Array.isArray(input)) return null;
  const calls = new Set();
  for (const item of input) {
    if (item.type === 'function_call') calls.add(item.call_id);
    if (item.type === 'function_call_output' && !calls.has(item.call_id)) {
      return openaiError(400, `No tool call found for function call output with call_id ${item.call_id}.`, { param: 'input' });
    }
  }
  return null;
}

function checkTextFormat(text) {
  if (text == null) return null;
  if (!isPlainObject(text)) return invalidType('text', 'object', text);
  const format = text.format;
  if (format == null) return null;
  if (!isPlainObject(format)) return invalidType('text.format', 'object', format);
  if (format.type == null) return missing('text.format.type');
  if (!FORMAT_TYPES.includes(format.type)) return invalidValue('text.format.type', format.type, FORMAT_TYPES);
  return format.type === 'json_schema' ? checkJsonSchemaFormat(format, 'text.format') : null;
}

// The real API refuses JSON mode unless the prompt mentions JSON.
function checkJsonWord(body) {
  if (body.text?.format?.type !== 'json_object') return null;
  const texts = [body.instructions ?? '', ...messagesOf(body.input).flatMap((m) => m.texts)];
  if (texts.some((t) => /json/i.test(t))) return null;
  return openaiError(400, "Response input messages must contain the word 'json' in some form to use 'text.format' of type 'json_object'.", {
    param: 'input',
  });
}
