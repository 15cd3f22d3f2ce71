// POST /v1/chat/completions: the Chat Completions API (OpenAI and the many
// OpenAI-compatible providers).

import { isPlainObject } from '../../lib/http.mjs';
import { structuredText } from '../../lib/structured.mjs';
import { inputTokens, limitTokens, replyText } from '../../lib/text.mjs';
import { openaiError } from './errors.mjs';
import { checkReasoningParams, checkTextModel } from './models.mjs';
import {
  checkJsonSchemaFormat, checkType, invalidType, invalidValue, missing, noStream, optionalNumber, required,
  typeName, unknownParams,
} from './params.mjs';

// Accepted top-level arguments; the ones not used here are accepted and ignored.
const ALLOWED = new Set([
  'model', 'messages', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'n', 'stop', 'presence_penalty',
  'frequency_penalty', 'response_format', 'stream', 'stream_options', 'seed', 'user', 'tools', 'tool_choice',
  'parallel_tool_calls', 'logprobs', 'top_logprobs', 'logit_bias', 'metadata', 'store', 'reasoning_effort',
  'service_tier', 'modalities', 'audio', 'prediction', 'web_search_options', 'verbosity', 'prompt_cache_key',
  'safety_identifier', 'functions', 'function_call',
]);
const ROLES = ['system', 'user', 'assistant', 'developer', 'tool'];
const PART_TYPES = ['text', 'image_url', 'input_audio', 'refusal', 'file'];
const FORMAT_TYPES = ['text', 'json_object', 'json_schema'];
const MAX_CHOICES = 4;

export const chatEndpoint = {
  method: 'POST',
  path: '/v1/chat/completions',
  json: true,
  validate(body) {
    return (
      unknownParams(body, ALLOWED, 'chat') ??
      required(body, 'model', 'string') ??
      checkMessages(body.messages) ??
      optionalNumber(body, 'max_tokens', { integer: true, min: 1 }) ??
      optionalNumber(body, 'max_completion_tokens', { integer: true, min: 1 }) ??
      optionalNumber(body, 'temperature', { min: 0, max: 2 }) ??
      optionalNumber(body, 'top_p', { min: 0, max: 1 }) ??
      optionalNumber(body, 'n', { integer: true, min: 1, max: MAX_CHOICES }) ??
      optionalNumber(body, 'presence_penalty', { min: -2, max: 2 }) ??
      optionalNumber(body, 'frequency_penalty', { min: -2, max: 2 }) ??
      checkStop(body.stop) ??
      checkResponseFormat(body.response_format) ??
      noStream(body) ??
      checkTextModel(body.model, 'chat') ??
      checkReasoningParams(body, 'chat') ??
      checkJsonWord(body)
    );
  },
  lastUserText: (body) => lastUserText(body.messages),
  respond({ body, scenario, ids }) {
    const id = ids.next('chatcmpl', '-');
    const reply = structuredText(formatOf(body.response_format), replyText(lastUserText(body.messages), scenario));
    const out = limitTokens(applyStop(reply, body.stop), body.max_completion_tokens ?? body.max_tokens);
    const count = scenario.kind === 'empty' ? 0 : (body.n ?? 1);
    const choices = Array.from({ length: count }, (_, index) => ({
      index,
      message: { role: 'assistant', content: out.text, refusal: null },
      logprobs: null,
      finish_reason: out.truncated ? 'length' : 'stop',
    }));
    const prompt = inputTokens(body.messages.flatMap((m) => textsOf(m.content)));
    const completion = count * out.tokens; // the real API bills every choice
    return {
      status: 200,
      json: {
        id, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: body.model, choices,
        usage: {
          prompt_tokens: prompt,
          completion_tokens: completion,
          total_tokens: prompt + completion,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 0 },
        },
        service_tier: 'default',
        system_fingerprint: 'fp_loopback',
      },
    };
  },
};

function textsOf(content) {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  return content.filter((p) => p.type === 'text').map((p) => p.text);
}

const lastUserText = (messages) => textsOf(messages.findLast((m) => m.role === 'user')?.content).join('\n');

// Chat nests the schema under response_format.json_schema; normalise to the
// Responses shape ({ type, schema }) that structuredText reads.
function formatOf(rf) {
  if (rf?.type === 'json_schema') return { type: 'json_schema', schema: rf.json_schema.schema };
  return rf;
}

/** A stop sequence ends the reply where it first appears (finish_reason stays "stop"). */
function applyStop(text, stop) {
  const stops = (typeof stop === 'string' ? [stop] : (stop ?? [])).filter((s) => s.length > 0);
  const cut = Math.min(...stops.map((s) => text.indexOf(s)).filter((i) => i >= 0));
  return Number.isFinite(cut) ? text.slice(0, cut) : text;
}

function checkMessages(messages) {
  if (messages == null) return missing('messages');
  if (!Array.isArray(messages)) return invalidType('messages', 'array', messages);
  if (messages.length === 0) {
    return openaiError(400, "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", {
      param: 'messages',
      code: 'empty_array',
    });
  }
  for (const [i, message] of messages.entries()) {
    const bad = checkMessage(message, `messages[${i}]`);
    if (bad) return bad;
  }
  return null;
}

function checkMessage(message, at) {
  if (!isPlainObject(message)) return invalidType(at, 'object', message);
  if (message.role == null) return missing(`${at}.role`);
  if (!ROLES.includes(message.role)) return invalidValue(`${at}.role`, message.role, ROLES);
  if (message.role === 'tool' && message.tool_call_id == null) return missing(`${at}.tool_call_id`);
  const { content } = message;
  if (content == null) return message.role === 'assistant' ? null : missing(`${at}.content`);
  if (typeof content === 'string') return null;
  if (!Array.isArray(content)) {
    return openaiError(400, `Invalid type for '${at}.content': expected one of a string or an array of objects, but got ${typeName(content)} instead.`, {
      param: `${at}.content`,
      code: 'invalid_type',
    });
  }
  for (const [j, part] of content.entries()) {
    const p = `${at}.content[${j}]`;
    if (!isPlainObject(part)) return invalidType(p, 'object', part);
    if (part.type == null) return missing(`${p}.type`);
    if (!PART_TYPES.includes(part.type)) return invalidValue(`${p}.type`, part.type, PART_TYPES);
    if (part.type === 'text') {
      const bad = part.text == null ? missing(`${p}.text`) : checkType(part.text, `${p}.text`, 'string');
      if (bad) return bad;
    }
    if (part.type === 'image_url') {
      if (message.role !== 'user') {
        return openaiError(400, `Image URLs are only allowed for messages with role 'user', but this message with role '${message.role}' contains an image URL.`, {
          param: at,
          code: 'invalid_value',
        });
      }
      if (!isPlainObject(part.image_url)) return part.image_url == null ? missing(`${p}.image_url`) : invalidType(`${p}.image_url`, 'object', part.image_url);
      const bad = part.image_url.url == null ? missing(`${p}.image_url.url`) : checkType(part.image_url.url, `${p}.image_url.url`, 'string');
      if (bad) return bad;
    }
  }
  return null;
}

function checkStop(stop) {
  if (stop == null || typeof stop === 'string') return null;
  if (!Array.isArray(stop)) return invalidType('stop', 'string', stop);
  if (stop.length > 4) {
    return openaiError(400, `Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length ${stop.length} instead.`, {
      param: 'stop',
      code: 'array_above_max_length',
    });
  }
  for (const [i, s] of stop.entries()) {
    const bad = checkType(s, `stop[${i}]`, 'string');
    if (bad) return bad;
  }
  return null;
}

function checkResponseFormat(rf) {
  if (rf == null) return null;
  if (!isPlainObject(rf)) return invalidType('response_format', 'object', rf);
  if (rf.type == null) return missing('response_format.type');
  if (!FORMAT_TYPES.includes(rf.type)) return invalidValue('response_format.type', rf.type, FORMAT_TYPES);
  if (rf.type !== 'json_schema') return null;
  if (rf.json_schema == null) return missing('response_format.json_schema');
  if (!isPlainObject(rf.json_schema)) return invalidType('response_format.json_schema', 'object', rf.json_schema);
  return checkJsonSchemaFormat(rf.json_schema, 'response_format.json_schema');
}

// The real API refuses JSON mode unless the prompt mentions JSON.
function checkJsonWord(body) {
  if (body.response_format?.type !== 'json_object') return null;
  if (body.messages.some((m) => textsOf(m.content).some((t) => /json/i.test(t)))) return null;
  return openaiError(400, "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", {
    param: 'messages',
  });
}
