// POST /v1/chat/completions: the Chat Completions API (OpenAI and the many
// OpenAI-compatible providers). `chatCompletions(dialect)` builds the endpoint
// for a provider from how its dialect differs from OpenAI's (see OPENAI below
// and formats/{deepseek,xai,openrouter,azure}.mjs).

import { isPlainObject } from '../../lib/http.mjs';
import { sample, structuredText } from '../../lib/structured.mjs';
import { inputTokens, limitTokens, replyText, sliceChars, tokensFor } from '../../lib/text.mjs';
import { openaiError } from './errors.mjs';
import { checkReasoningParams, checkTextModel } from './models.mjs';
import {
  checkJsonSchemaFormat, checkType, invalidType, invalidValue, missing, noStream, optional, optionalNumber, required,
  typeName, unknownParams,
} from './params.mjs';

// Accepted top-level arguments; the ones not used here are accepted and ignored.
export const ALLOWED = new Set([
  'model', 'messages', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'n', 'stop', 'presence_penalty',
  'frequency_penalty', 'response_format', 'stream', 'stream_options', 'seed', 'user', 'tools', 'tool_choice',
  'parallel_tool_calls', 'logprobs', 'top_logprobs', 'logit_bias', 'metadata', 'store', 'reasoning_effort',
  'service_tier', 'modalities', 'audio', 'prediction', 'web_search_options', 'verbosity', 'prompt_cache_key',
  'safety_identifier', 'functions', 'function_call',
]);
const ROLES = ['system', 'user', 'assistant', 'developer', 'tool'];
const PART_TYPES = ['text', 'image_url', 'input_audio', 'refusal', 'file'];
const FORMAT_TYPES = ['text', 'json_object', 'json_schema'];

/** OpenAI's own dialect; a provider's dialect overrides what differs. */
const OPENAI = {
  path: '/v1/chat/completions',
  /** Unknown top-level arguments are refused; null: they are ignored. */
  allowed: ALLOWED,
  /** Whether `model` is required in the body (Azure names the deployment in the URL). */
  modelRequired: true,
  /** Whether `n` gives several choices (where not, the argument is ignored). */
  n: true,
  maxChoices: 4,
  maxStop: 4,
  partTypes: PART_TYPES,
  formatTypes: FORMAT_TYPES,
  /** OpenAI refuses json_object unless the messages mention JSON. */
  jsonWord: true,
  /** Deterministic tool calls (see respond): the first declared tool, then an answer quoting the results. */
  toolCalls: true,
  /** Further per-provider checks, after the shared ones: an error reply (in the provider's shape) or null. */
  check: (body) => checkTextModel(body.model, 'chat') ?? checkReasoningParams(body, 'chat'),
  /** Turns a shared (OpenAI-shaped) validation error into the provider's own error shape. */
  reshape: (reply) => reply,
  /** The model the answer names. */
  modelOf: (body) => body.model,
  idPrefix: 'chatcmpl',
  /** Reasoning text a model shows, and the message field it goes in. */
  reasoning: () => null,
  reasoningField: null,
  /** Whether the model shows its reasoning in `reasoningField` (or only counts it). */
  showsReasoning: () => true,
  messageExtra: () => ({ refusal: null }),
  choiceExtra: () => ({ logprobs: null }),
  usage: ({ prompt, completion, reasoning }) => ({
    prompt_tokens: prompt,
    completion_tokens: completion + reasoning,
    total_tokens: prompt + completion + reasoning,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning },
  }),
  bodyExtra: () => ({ service_tier: 'default', system_fingerprint: 'fp_loopback' }),
};

export function chatCompletions(overrides = {}) {
  const d = { ...OPENAI, ...overrides };
  return {
    method: 'POST',
    path: d.path,
    json: true,
    validate(body, ctx) {
      const bad =
        (d.allowed ? unknownParams(body, d.allowed, 'chat') : null) ??
        (d.modelRequired ? required(body, 'model', 'string') : optional(body, 'model', 'string')) ??
        checkMessages(body.messages, d) ??
        optionalNumber(body, 'max_tokens', { integer: true, min: 1 }) ??
        optionalNumber(body, 'max_completion_tokens', { integer: true, min: 1 }) ??
        optionalNumber(body, 'temperature', { min: 0, max: 2 }) ??
        optionalNumber(body, 'top_p', { min: 0, max: 1 }) ??
        (d.n ? optionalNumber(body, 'n', { integer: true, min: 1, max: d.maxChoices }) : null) ??
        optionalNumber(body, 'presence_penalty', { min: -2, max: 2 }) ??
        optionalNumber(body, 'frequency_penalty', { min: -2, max: 2 }) ??
        checkStop(body.stop, d.maxStop) ??
        checkResponseFormat(body.response_format, d.formatTypes) ??
        checkTools(body.tools) ??
        noStream(body);
      if (bad) return d.reshape(bad);
      // The dialect's own checks answer in its own shape already.
      const own = d.check(body, ctx);
      if (own) return own;
      const json = d.jsonWord ? checkJsonWord(body) : null;
      return json && d.reshape(json);
    },
    lastUserText: (body) => lastUserText(body.messages),
    respond({ body, scenario, ids, ...ctx }) {
      const id = ids.next(d.idPrefix, '-');
      const model = d.modelOf(body, ctx);
      const turn = answerTo(body, d, ids, scenario);
      const out = turn.toolCalls ? turn : limitTokens(applyStop(turn.text, body.stop), body.max_completion_tokens ?? body.max_tokens);
      const thought = scenario.kind === 'empty' ? null : d.reasoning(model, lastUserText(body.messages));
      const count = scenario.kind === 'empty' ? 0 : d.n ? (body.n ?? 1) : 1;
      const choices = Array.from({ length: count }, (_, index) => ({
        index,
        message: {
          role: 'assistant',
          content: turn.toolCalls ? null : out.text,
          ...(thought && d.reasoningField && d.showsReasoning(model) ? { [d.reasoningField]: thought } : {}),
          ...(turn.toolCalls ? { tool_calls: turn.toolCalls } : {}),
          ...d.messageExtra(body),
        },
        ...d.choiceExtra(body),
        finish_reason: turn.toolCalls ? 'tool_calls' : out.truncated ? 'length' : 'stop',
      }));
      const prompt = inputTokens(body.messages.flatMap((m) => textsOf(m.content)));
      // The real APIs bill every choice.
      const usage = d.usage({ prompt, completion: count * out.tokens, reasoning: count * (thought ? tokensFor(thought) : 0), body });
      return {
        status: 200,
        json: { id, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model, choices, usage, ...d.bodyExtra(body) },
      };
    },
  };
}

export const chatEndpoint = chatCompletions();

/**
 * What the model says. With tools declared (and tool calls on), a last user turn of
 * text calls the FIRST declared tool with arguments sampled from its schema; a
 * last turn of tool results is answered with text quoting them.
 */
function answerTo(body, d, ids, scenario) {
  const last = body.messages.at(-1);
  if (d.toolCalls && last?.role === 'tool') {
    const results = body.messages.slice(lastNonToolIndex(body.messages) + 1);
    const names = toolNames(body.messages);
    const quoted = results.map((m) => `${names.get(m.tool_call_id) ?? m.tool_call_id}=${textsOf(m.content).join('')}`).join('; ');
    return { text: sliceChars(`Loopback reply to tool results: ${quoted}`, 400) };
  }
  const tool = d.toolCalls && last?.role === 'user' ? body.tools?.find((t) => t?.type === 'function') : undefined;
  if (tool) {
    const args = JSON.stringify(sample(tool.function.parameters ?? {}, 'loopback', 0));
    const toolCalls = [{ id: ids.next('call'), type: 'function', function: { name: tool.function.name, arguments: args } }];
    return { toolCalls, tokens: tokensFor(tool.function.name + args), truncated: false };
  }
  return { text: structuredText(formatOf(body.response_format), replyText(lastUserText(body.messages), scenario)) };
}

const lastNonToolIndex = (messages) => messages.findLastIndex((m) => m.role !== 'tool');

function toolNames(messages) {
  const names = new Map();
  for (const m of messages) for (const call of m.tool_calls ?? []) names.set(call.id, call.function?.name);
  return names;
}

export function textsOf(content) {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  return content.filter((p) => p.type === 'text').map((p) => p.text);
}

export const lastUserText = (messages) => textsOf(messages.findLast((m) => m.role === 'user')?.content).join('\n');

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

function checkMessages(messages, d) {
  if (messages == null) return missing('messages');
  if (!Array.isArray(messages)) return invalidType('messages', 'array', messages);
  if (messages.length === 0) {
    return openaiError(400, "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", {
      param: 'messages',
      code: 'empty_array',
    });
  }
  for (const [i, message] of messages.entries()) {
    const bad = checkMessage(message, `messages[${i}]`, d);
    if (bad) return bad;
  }
  return null;
}

function checkMessage(message, at, d) {
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
    if (!d.partTypes.includes(part.type)) return invalidValue(`${p}.type`, part.type, d.partTypes);
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

function checkStop(stop, max) {
  if (stop == null || typeof stop === 'string') return null;
  if (!Array.isArray(stop)) return invalidType('stop', 'string', stop);
  if (stop.length > max) {
    return openaiError(400, `Invalid 'stop': array too long. Expected an array with maximum length ${max}, but got an array with length ${stop.length} instead.`, {
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

function checkResponseFormat(rf, types) {
  if (rf == null) return null;
  if (!isPlainObject(rf)) return invalidType('response_format', 'object', rf);
  if (rf.type == null) return missing('response_format.type');
  if (!types.includes(rf.type)) return invalidValue('response_format.type', rf.type, types);
  if (rf.type !== 'json_schema') return null;
  if (rf.json_schema == null) return missing('response_format.json_schema');
  if (!isPlainObject(rf.json_schema)) return invalidType('response_format.json_schema', 'object', rf.json_schema);
  return checkJsonSchemaFormat(rf.json_schema, 'response_format.json_schema');
}

/** tools: [{type: 'function', function: {name, description?, parameters?}}]. */
function checkTools(tools) {
  if (tools == null) return null;
  if (!Array.isArray(tools)) return invalidType('tools', 'array', tools);
  for (const [i, tool] of tools.entries()) {
    const at = `tools[${i}]`;
    if (!isPlainObject(tool)) return invalidType(at, 'object', tool);
    if (tool.type !== 'function') return tool.type == null ? missing(`${at}.type`) : invalidValue(`${at}.type`, tool.type, ['function']);
    if (!isPlainObject(tool.function)) return tool.function == null ? missing(`${at}.function`) : invalidType(`${at}.function`, 'object', tool.function);
    const bad = tool.function.name == null ? missing(`${at}.function.name`) : checkType(tool.function.name, `${at}.function.name`, 'string');
    if (bad) return bad;
    if (tool.function.parameters != null && !isPlainObject(tool.function.parameters)) {
      return invalidType(`${at}.function.parameters`, 'object', tool.function.parameters);
    }
  }
  return null;
}

// The real API refuses JSON mode unless the prompt mentions JSON.
function checkJsonWord(body) {
  if (body.response_format?.type !== 'json_object') return null;
  if (body.messages.some((m) => textsOf(m.content).some((t) => /json/i.test(t)))) return null;
  return openaiError(400, "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", {
    param: 'messages',
  });
}
