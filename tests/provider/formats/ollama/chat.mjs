// POST /ollama/api/chat: Ollama's native chat endpoint. It checks what the real
// server checks — the body decodes into its Go types (content a string, images
// base64, tool-call arguments an object, options of the right types), `format`
// is "json" or a schema, the model is pulled and can do what is asked (tools,
// thinking) — and streams NDJSON unless `stream` is false, as Ollama does.

import { isPlainObject } from '../../lib/http.mjs';
import { structuredText } from '../../lib/structured.mjs';
import { REPLY_MAX_CHARS, inputTokens, limitTokens, replyText, sliceChars, tokensFor } from '../../lib/text.mjs';
import { ollamaError } from './errors.mjs';
import { findModel, normalize, registryName } from './models.mjs';

// Option types as Ollama's Options struct declares them (others are accepted and ignored).
const INTEGER_OPTIONS = ['num_predict', 'top_k', 'seed', 'num_ctx', 'num_keep', 'repeat_last_n', 'num_batch', 'num_gpu', 'num_thread'];
const NUMBER_OPTIONS = ['temperature', 'top_p', 'min_p', 'typical_p', 'repeat_penalty', 'presence_penalty', 'frequency_penalty'];

// Fixed timings (nanoseconds) keep answers deterministic.
const TIMINGS = { total_duration: 1162761250, load_duration: 6683708, prompt_eval_duration: 201222000, eval_duration: 953997000 };

export const chatEndpoint = {
  method: 'POST',
  path: '/ollama/api/chat',
  json: true,
  validate(body) {
    return (
      checkMessages(body.messages) ??
      checkFormat(body.format) ??
      checkOptions(body.options) ??
      checkTools(body.tools) ??
      checkModel(body)
    );
  },
  lastUserText: (body) => lastUserText(body.messages ?? []),
  respond({ body, scenario, ids }) {
    const messages = body.messages ?? [];
    const model = normalize(body.model);
    // An empty conversation only loads the model.
    if (messages.length === 0) return reply(body, { role: 'assistant', content: '' }, { done_reason: 'load' });

    const input = inputTokens(messages.map((m) => m.content));
    const last = messages.at(-1);
    const tools = Array.isArray(body.tools) ? body.tools : [];
    if (tools.length > 0 && last.role === 'user' && scenario.kind !== 'empty') {
      const fn = tools[0].function;
      const message = {
        role: 'assistant',
        content: '',
        tool_calls: [{ id: ids.next('call'), function: { index: 0, name: fn.name, arguments: sampleArguments(fn.parameters, messages) } }],
      };
      return reply(body, message, { done_reason: 'stop', prompt_eval_count: input, eval_count: 20 });
    }

    const text = last.role === 'tool' ? toolResultsText(messages) : replyText(lastUserText(messages), scenario);
    const structured = structuredText(formatOf(body.format), text);
    const out = scenario.kind === 'empty'
      ? { text: '', tokens: 1, truncated: false }
      : limitTokens(applyStop(structured, body.options?.stop), body.options?.num_predict);
    const message = { role: 'assistant', content: out.text };
    let thoughtTokens = 0;
    if (body.think && findModel(model)?.thinking) {
      message.thinking = `Loopback thinking about: ${lastUserText(messages)}`;
      thoughtTokens = tokensFor(message.thinking);
    }
    return reply(body, message, {
      done_reason: out.truncated ? 'length' : 'stop',
      prompt_eval_count: input,
      eval_count: out.tokens + thoughtTokens, // Ollama counts thinking as output
    }, body.stream !== false);
  },
};

/** The final chat object; or, when streaming (Ollama's default), NDJSON chunks ending with it. */
function reply(body, message, { done_reason, prompt_eval_count, eval_count }, stream = body.stream !== false) {
  const created_at = new Date().toISOString();
  const final = { model: body.model, created_at, message, done: true, done_reason, ...TIMINGS };
  // Ollama leaves zero counts out (omitempty).
  if (prompt_eval_count) final.prompt_eval_count = prompt_eval_count;
  if (eval_count) final.eval_count = eval_count;
  if (!stream) return { status: 200, json: final };
  const chunks = [];
  if (message.thinking) chunks.push({ model: body.model, created_at, message: { role: 'assistant', content: '', thinking: message.thinking }, done: false });
  if (message.content || message.tool_calls) {
    chunks.push({ model: body.model, created_at, message: { role: 'assistant', content: message.content, ...(message.tool_calls && { tool_calls: message.tool_calls }) }, done: false });
  }
  chunks.push({ ...final, message: { role: 'assistant', content: '' } });
  return { status: 200, contentType: 'application/x-ndjson', text: chunks.map((c) => `${JSON.stringify(c)}\n`).join('') };
}

const lastUserText = (messages) => {
  const content = messages.findLast((m) => m?.role === 'user')?.content;
  return typeof content === 'string' ? content : '';
};

/** The trailing tool messages, quoted: `name=result; …`. */
function toolResultsText(messages) {
  const start = messages.findLastIndex((m) => m.role !== 'tool') + 1;
  const calls = messages.slice(0, start).flatMap((m) => m.tool_calls ?? []);
  const results = messages.slice(start).map((m) => {
    const name = m.tool_name ?? calls.find((c) => c.id !== undefined && c.id === m.tool_call_id)?.function?.name ?? 'unknown';
    return `${name}=${m.content}`;
  });
  return sliceChars(`Loopback reply to tool results: ${results.join('; ')}`, REPLY_MAX_CHARS);
}

/** Arguments sampled from the tool's parameter schema (strings carry the reply text). */
function sampleArguments(parameters, messages) {
  const schema = isPlainObject(parameters) ? parameters : { type: 'object', properties: {} };
  const args = JSON.parse(structuredText({ type: 'json_schema', schema }, replyText(lastUserText(messages))));
  return isPlainObject(args) ? args : {};
}

function formatOf(format) {
  if (format === 'json') return { type: 'json_object' };
  if (isPlainObject(format)) return { type: 'json_schema', schema: format };
  return null;
}

/** A stop sequence ends the reply where it first appears. */
function applyStop(text, stop) {
  const stops = (typeof stop === 'string' ? [stop] : (stop ?? [])).filter((s) => typeof s === 'string' && s.length > 0);
  const cut = Math.min(...stops.map((s) => text.indexOf(s)).filter((i) => i >= 0));
  return Number.isFinite(cut) ? text.slice(0, cut) : text;
}

// ---- checks (Go's decoding errors and Ollama's own sentences) ---------------------------------

const goType = (v) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'boolean' ? 'bool' : typeof v);

const cannotUnmarshal = (value, field, type) =>
  ollamaError(400, `json: cannot unmarshal ${goType(value)} into Go struct field ${field} of type ${type}`);

function checkMessages(messages) {
  if (messages == null) return null;
  if (!Array.isArray(messages)) return cannotUnmarshal(messages, 'ChatRequest.messages', '[]api.Message');
  for (const message of messages) {
    if (!isPlainObject(message)) return cannotUnmarshal(message, 'ChatRequest.messages', 'api.Message');
    for (const field of ['role', 'content', 'tool_name', 'tool_call_id', 'thinking']) {
      const v = message[field];
      if (v != null && typeof v !== 'string') return cannotUnmarshal(v, `Message.messages.${field}`, 'string');
    }
    const bad = checkImages(message.images) ?? checkToolCalls(message.tool_calls);
    if (bad) return bad;
  }
  return null;
}

function checkImages(images) {
  if (images == null) return null;
  if (!Array.isArray(images)) return cannotUnmarshal(images, 'Message.messages.images', '[]api.ImageData');
  for (const image of images) {
    if (typeof image !== 'string') return cannotUnmarshal(image, 'Message.messages.images', 'api.ImageData');
    const at = base64Error(image);
    if (at !== null) return ollamaError(400, `illegal base64 data at input byte ${at}`);
  }
  return null;
}

/** The byte where standard base64 decoding fails (as Go reports it), or null. */
function base64Error(text) {
  const bad = text.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return bad;
  const pad = text.indexOf('=');
  if (pad >= 0 && (!/^=*$/.test(text.slice(pad)) || text.length - pad > 2)) return pad;
  if (text.length % 4 !== 0) return text.length - (text.length % 4);
  return null;
}

function checkToolCalls(toolCalls) {
  if (toolCalls == null) return null;
  if (!Array.isArray(toolCalls)) return cannotUnmarshal(toolCalls, 'Message.messages.tool_calls', '[]api.ToolCall');
  for (const call of toolCalls) {
    const args = call?.function?.arguments;
    if (args != null && !isPlainObject(args)) {
      return cannotUnmarshal(args, 'ToolCallFunction.messages.tool_calls.function.arguments', 'api.ToolCallFunctionArguments');
    }
  }
  return null;
}

function checkFormat(format) {
  if (format == null || format === '' || format === 'json' || isPlainObject(format)) return null;
  return ollamaError(400, 'invalid format: expected "json" or a valid JSON schema');
}

function checkOptions(options) {
  if (options == null) return null;
  if (!isPlainObject(options)) return cannotUnmarshal(options, 'ChatRequest.options', 'map[string]interface {}');
  for (const [key, value] of Object.entries(options)) {
    if (value == null) continue;
    if (INTEGER_OPTIONS.includes(key) && typeof value !== 'number') return ollamaError(400, `option "${key}" must be of type integer`);
    if (NUMBER_OPTIONS.includes(key) && typeof value !== 'number') return ollamaError(400, `option "${key}" must be of type float32`);
    if (key === 'stop' && !(Array.isArray(value) && value.every((s) => typeof s === 'string'))) {
      return ollamaError(400, `option "${key}" must be of an array of strings`);
    }
  }
  return null;
}

function checkTools(tools) {
  if (tools == null) return null;
  if (!Array.isArray(tools)) return cannotUnmarshal(tools, 'ChatRequest.tools', 'api.Tools');
  for (const tool of tools) {
    if (!isPlainObject(tool) || !isPlainObject(tool.function) || typeof tool.function.name !== 'string') {
      return cannotUnmarshal(tool, 'ChatRequest.tools', 'api.Tool');
    }
  }
  return null;
}

function checkModel(body) {
  if (typeof body.model !== 'string' || body.model === '') return ollamaError(400, 'model is required');
  const model = findModel(body.model);
  if (!model) return ollamaError(404, `model "${body.model}" not found, try pulling it first`);
  if (Array.isArray(body.tools) && body.tools.length > 0 && !model.tools) {
    return ollamaError(400, `${registryName(body.model)} does not support tools`);
  }
  if (body.think && body.think !== 'false' && !model.thinking) return ollamaError(400, `"${normalize(body.model)}" does not support thinking`);
  return null;
}
