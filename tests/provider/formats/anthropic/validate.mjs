// What the real Messages API checks before it answers, with its wording (field path, then
// what is wrong). Each check returns an error reply or null, so they chain with `??`.

import { isPlainObject } from '../../lib/http.mjs';
import { invalid } from './errors.mjs';

// Top-level fields the API knows; anything else is "Extra inputs are not permitted".
const ALLOWED = new Set([
  'model', 'messages', 'max_tokens', 'system', 'metadata', 'stop_sequences', 'stream', 'temperature', 'top_p', 'top_k',
  'tools', 'tool_choice', 'thinking', 'service_tier', 'container', 'mcp_servers', 'context_management',
]);
const BLOCK_TYPES = [
  'text', 'image', 'document', 'search_result', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking',
  'server_tool_use', 'web_search_tool_result',
];
const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const TOOL_ID = /^[a-zA-Z0-9_-]+$/;
export const WEB_SEARCH = 'web_search_20250305';

const has = (body, name) => body[name] !== undefined && body[name] !== null;
const required = (path) => invalid(`${path}: Field required`);

function number(body, name, { integer = false, min, max } = {}) {
  if (!has(body, name)) return null;
  const value = body[name];
  if (integer ? !Number.isInteger(value) : typeof value !== 'number') {
    return invalid(`${name}: Input should be a valid ${integer ? 'integer' : 'number'}`);
  }
  if (min !== undefined && value < min) return invalid(`${name}: Input should be greater than or equal to ${min}`);
  if (max !== undefined && value > max) return invalid(`${name}: Input should be less than or equal to ${max}`);
  return null;
}

export function validateMessages(body) {
  const extra = Object.keys(body).find((k) => !ALLOWED.has(k));
  if (extra) return invalid(`${extra}: Extra inputs are not permitted`);
  if (!has(body, 'model')) return required('model');
  if (typeof body.model !== 'string') return invalid('model: Input should be a valid string');
  if (!has(body, 'max_tokens')) return required('max_tokens');
  return (
    number(body, 'max_tokens', { integer: true, min: 1 }) ??
    number(body, 'temperature', { min: 0, max: 1 }) ??
    number(body, 'top_p', { min: 0, max: 1 }) ??
    number(body, 'top_k', { integer: true, min: 0 }) ??
    checkSystem(body.system) ??
    checkStopSequences(body.stop_sequences) ??
    checkMessages(body.messages) ??
    checkTools(body.tools) ??
    checkToolChoice(body) ??
    (body.stream === true ? invalid('stream: the loopback provider does not implement streaming yet; send stream: false') : null)
  );
}

function checkSystem(system) {
  if (system == null || typeof system === 'string') return null;
  if (!Array.isArray(system) || !system.every((b) => isPlainObject(b) && b.type === 'text' && typeof b.text === 'string')) {
    return invalid('system: Input should be a valid string or a list of text blocks');
  }
  return null;
}

function checkStopSequences(stop) {
  if (stop == null) return null;
  if (!Array.isArray(stop) || !stop.every((s) => typeof s === 'string')) return invalid('stop_sequences: Input should be a valid list of strings');
  return null;
}

function checkMessages(messages) {
  if (messages == null) return required('messages');
  if (!Array.isArray(messages)) return invalid('messages: Input should be a valid list');
  if (messages.length === 0) return invalid('messages: at least one message is required');
  for (const [i, message] of messages.entries()) {
    const at = `messages.${i}`;
    if (!isPlainObject(message)) return invalid(`${at}: Input should be a valid dictionary`);
    if (message.role !== 'user' && message.role !== 'assistant') return invalid(`${at}.role: Input should be 'user' or 'assistant'`);
    if (message.content == null) return required(`${at}.content`);
    if (typeof message.content === 'string') {
      if (message.content.trim() === '' && i < messages.length - 1) return invalid('messages: text content blocks must be non-empty');
      continue;
    }
    if (!Array.isArray(message.content)) return invalid(`${at}.content: Input should be a valid string or list`);
    if (message.content.length === 0 && i < messages.length - 1) {
      return invalid(`${at}: all messages must have non-empty content except for the optional final assistant message`);
    }
    for (const [j, block] of message.content.entries()) {
      const bad = checkBlock(block, `${at}.content.${j}`, message.role);
      if (bad) return bad;
    }
    const bad = checkToolPairs(messages, i);
    if (bad) return bad;
  }
  return null;
}

function checkBlock(block, at, role) {
  if (!isPlainObject(block)) return invalid(`${at}: Input should be a valid dictionary`);
  if (!BLOCK_TYPES.includes(block.type)) {
    return invalid(`${at}: Input tag '${block.type}' found using 'type' does not match any of the expected tags: ${BLOCK_TYPES.map((t) => `'${t}'`).join(', ')}`);
  }
  switch (block.type) {
    case 'text':
      if (typeof block.text !== 'string') return required(`${at}.text`);
      return block.text.trim() === '' ? invalid('messages: text content blocks must contain non-whitespace text') : null;
    case 'image':
      if (role !== 'user') return invalid(`${at}: image blocks are only allowed in user messages`);
      return checkImageSource(block.source, `${at}.source`);
    case 'tool_use':
      if (role !== 'assistant') return invalid(`${at}: tool_use blocks are only allowed in assistant messages`);
      if (typeof block.id !== 'string' || !TOOL_ID.test(block.id)) return invalid(`${at}.id: String should match pattern '^[a-zA-Z0-9_-]+$'`);
      if (typeof block.name !== 'string') return required(`${at}.name`);
      return isPlainObject(block.input) ? null : invalid(`${at}.input: Input should be a valid dictionary`);
    case 'tool_result':
      if (role !== 'user') return invalid(`${at}: tool_result blocks are only allowed in user messages`);
      if (typeof block.tool_use_id !== 'string' || !TOOL_ID.test(block.tool_use_id)) {
        return invalid(`${at}.tool_use_id: String should match pattern '^[a-zA-Z0-9_-]+$'`);
      }
      return null;
    case 'thinking':
      return typeof block.signature === 'string' ? null : required(`${at}.signature`);
    default:
      return null;
  }
}

function checkImageSource(source, at) {
  if (!isPlainObject(source)) return required(at);
  if (source.type === 'url') return typeof source.url === 'string' ? null : required(`${at}.url`);
  if (source.type !== 'base64') return invalid(`${at}: Input tag '${source.type}' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'`);
  if (!MEDIA_TYPES.includes(source.media_type)) {
    return invalid(`${at}.base64.media_type: Input should be ${MEDIA_TYPES.map((m) => `'${m}'`).join(', ')}`);
  }
  return typeof source.data === 'string' ? null : required(`${at}.base64.data`);
}

const blocksOf = (message) => (Array.isArray(message?.content) ? message.content : []);

/**
 * Tool results answer the tool calls of the message just before, come first in their user
 * message, and every call of an assistant message is answered in the next one.
 */
function checkToolPairs(messages, i) {
  const message = messages[i];
  const blocks = blocksOf(message);
  if (message.role === 'user') {
    const firstOther = blocks.findIndex((b) => b.type !== 'tool_result');
    if (firstOther >= 0 && blocks.slice(firstOther).some((b) => b.type === 'tool_result')) {
      return invalid(`messages.${i}: tool_result blocks must come first in the content of a user message, before any other block`);
    }
    const called = new Set(blocksOf(messages[i - 1]).filter((b) => b.type === 'tool_use').map((b) => b.id));
    const unexpected = blocks.filter((b) => b.type === 'tool_result' && !called.has(b.tool_use_id)).map((b) => b.tool_use_id);
    if (unexpected.length) {
      return invalid(
        `messages.${i}.content.0: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${unexpected.join(', ')}. ` +
          'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.',
      );
    }
    return null;
  }
  if (i === messages.length - 1) return null;
  const answered = new Set(blocksOf(messages[i + 1]).filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id));
  const missing = blocks.filter((b) => b.type === 'tool_use' && !answered.has(b.id)).map((b) => b.id);
  if (!missing.length) return null;
  return invalid(
    `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. ` +
      'Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
  );
}

function checkTools(tools) {
  if (tools == null) return null;
  if (!Array.isArray(tools)) return invalid('tools: Input should be a valid list');
  const names = new Set();
  for (const [i, tool] of tools.entries()) {
    const at = `tools.${i}`;
    if (!isPlainObject(tool)) return invalid(`${at}: Input should be a valid dictionary`);
    if (tool.type === WEB_SEARCH) {
      if (tool.name !== 'web_search') return invalid(`${at}.${WEB_SEARCH}.name: Input should be 'web_search'`);
      if (has(tool, 'allowed_domains') && has(tool, 'blocked_domains')) {
        return invalid(`${at}.${WEB_SEARCH}: Only one of allowed_domains or blocked_domains can be specified`);
      }
    } else if (tool.type === undefined || tool.type === 'custom') {
      if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name)) {
        return invalid(`${at}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
      }
      if (!isPlainObject(tool.input_schema)) return required(`${at}.custom.input_schema`);
      if (tool.input_schema.type !== 'object') return invalid(`${at}.custom.input_schema.type: Input should be 'object'`);
    } else {
      return invalid(`${at}: Input tag '${tool.type}' found using 'type' does not match any of the expected tags`);
    }
    if (names.has(tool.name)) return invalid('tools: Tool names must be unique.');
    names.add(tool.name);
  }
  return null;
}

function checkToolChoice(body) {
  const choice = body.tool_choice;
  if (choice == null) return null;
  if (!isPlainObject(choice) || !['auto', 'any', 'tool', 'none'].includes(choice.type)) {
    return invalid("tool_choice: Input tag found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'");
  }
  if (choice.type === 'tool') {
    if (typeof choice.name !== 'string') return required('tool_choice.tool.name');
    if (!(body.tools ?? []).some((t) => t.name === choice.name)) return invalid(`tool_choice: tool '${choice.name}' was not found in tools`);
  }
  const forced = choice.type === 'tool' || choice.type === 'any';
  if (forced && body.thinking?.type === 'enabled') return invalid('Thinking may not be enabled when tool_choice forces tool use.');
  return null;
}
