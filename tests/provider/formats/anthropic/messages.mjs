// POST /anthropic/v1/messages: Anthropic's Messages API. Deterministic answers:
// - the request declares tools and its last turn is the user's text: the FIRST declared tool is
//   called (or the one tool_choice names), with input sampled from its input_schema;
// - the last turn carries tool results: text quoting them, "Loopback reply to tool results:
//   name=result; …" — unless tool_choice is `any`, where the LAST declared tool is called (an
//   engine that needs a final tool call, e.g. for a JSON answer, declares that tool last);
// - web search declared: a server_tool_use, its web_search_tool_result and the cited answer;
// - otherwise the shared reply text, cut by stop_sequences and max_tokens.

import { structuredText } from '../../lib/structured.mjs';
import { inputTokens, limitTokens, replyText, tokensFor } from '../../lib/text.mjs';
import { checkModel } from './models.mjs';
import { validateMessages, WEB_SEARCH } from './validate.mjs';

export const TOOL_RESULTS_PREFIX = 'Loopback reply to tool results: ';

export const messagesEndpoint = {
  method: 'POST',
  path: '/anthropic/v1/messages',
  json: true,
  validate: (body) => validateMessages(body) ?? checkModel(body.model),
  lastUserText: (body) => lastUserText(body.messages),
  respond({ body, scenario, ids }) {
    const content = scenario.kind === 'empty' ? { blocks: [], stop: 'end_turn', tokens: 0 } : answer(body, scenario, ids);
    const input = inputTokens([...systemTexts(body.system), ...body.messages.flatMap((m) => textsOf(m.content))]);
    return {
      status: 200,
      json: {
        id: ids.next('msg_01Loopback', ''),
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: content.blocks,
        stop_reason: content.stop,
        stop_sequence: content.stopSequence ?? null,
        usage: {
          input_tokens: input,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
          output_tokens: content.tokens,
          ...(content.searches ? { server_tool_use: { web_search_requests: content.searches } } : {}),
          service_tier: 'standard',
        },
      },
    };
  },
};

/** The answer's content blocks, stop reason and output tokens. */
function answer(body, scenario, ids) {
  const custom = (body.tools ?? []).filter((t) => t.type === undefined || t.type === 'custom');
  const choice = body.tool_choice?.type ?? 'auto';
  const results = toolResults(body.messages);
  if (custom.length && choice !== 'none') {
    const named = choice === 'tool' ? custom.find((t) => t.name === body.tool_choice.name) : null;
    if (named) return callTool(named, body, scenario, ids);
    if (!results.length) return callTool(custom[0], body, scenario, ids);
    if (choice === 'any') return callTool(custom.at(-1), body, scenario, ids);
  }
  const text = results.length
    ? TOOL_RESULTS_PREFIX + results.map((r) => `${r.name}=${r.content}`).join('; ')
    : replyText(lastUserText(body.messages), scenario);
  const search = (body.tools ?? []).find((t) => t.type === WEB_SEARCH);
  // A huge reply stands for a server that ignores max_tokens.
  const limit = scenario.kind === 'huge' ? null : body.max_tokens;
  return search && !results.length ? searchAnswer(search, text, body, limit, ids) : textAnswer(text, body.stop_sequences, limit);
}

function textAnswer(text, stops, maxTokens) {
  const [stopped, stopSequence] = applyStop(text, stops);
  const out = limitTokens(stopped, maxTokens);
  const stop = out.truncated ? 'max_tokens' : stopSequence ? 'stop_sequence' : 'end_turn';
  return { blocks: [{ type: 'text', text: out.text }], stop, stopSequence: out.truncated ? null : stopSequence, tokens: out.tokens };
}

function callTool(tool, body, scenario, ids) {
  const input = JSON.parse(structuredText({ type: 'json_schema', schema: tool.input_schema }, replyText(lastUserText(body.messages), scenario)));
  const tokens = tokensFor(JSON.stringify(input)) + 10;
  // A call longer than max_tokens is cut before it is complete: nothing usable comes back.
  if (tokens > body.max_tokens) return { blocks: [], stop: 'max_tokens', tokens: body.max_tokens };
  return { blocks: [{ type: 'tool_use', id: ids.next('toolu_01Loopback', ''), name: tool.name, input }], stop: 'tool_use', tokens };
}

function searchAnswer(tool, text, body, maxTokens, ids) {
  const domain = tool.allowed_domains?.[0] ?? 'example.com';
  const url = `https://${domain}/loopback-result`;
  const id = ids.next('srvtoolu_01Loopback', '');
  const answer = textAnswer(text, body.stop_sequences, maxTokens);
  const cited = answer.blocks[0];
  cited.citations = [{ type: 'web_search_result_location', url, title: 'Loopback result', encrypted_index: 'bG9vcGJhY2s=', cited_text: text.slice(0, 40) }];
  return {
    ...answer,
    searches: 1,
    blocks: [
      { type: 'server_tool_use', id, name: 'web_search', input: { query: lastUserText(body.messages).slice(0, 100) } },
      { type: 'web_search_tool_result', tool_use_id: id, content: [{ type: 'web_search_result', url, title: 'Loopback result', encrypted_content: 'bG9vcGJhY2s=', page_age: null }] },
      cited,
    ],
  };
}

/** A stop sequence ends the reply where it first appears; returns [text, the sequence or null]. */
function applyStop(text, stops) {
  let cut = [text, null];
  for (const stop of (stops ?? []).filter((s) => s.length > 0)) {
    const at = text.indexOf(stop);
    if (at >= 0 && at < cut[0].length) cut = [text.slice(0, at), stop];
  }
  return cut;
}

function textsOf(content) {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  return content.flatMap((b) => {
    if (b.type === 'text') return [b.text];
    if (b.type === 'tool_result') return textsOf(b.content);
    if (b.type === 'tool_use') return [JSON.stringify(b.input)];
    return [];
  });
}

const systemTexts = (system) => (typeof system === 'string' ? [system] : (system ?? []).map((b) => b.text));

function lastUserText(messages) {
  const last = messages.findLast((m) => m.role === 'user');
  if (typeof last?.content === 'string') return last.content;
  return (last?.content ?? []).filter((b) => b.type === 'text').map((b) => b.text).join('\n');
}

/** The tool results of the last message, each with the name of the call it answers. */
function toolResults(messages) {
  const last = messages.at(-1);
  if (last?.role !== 'user' || !Array.isArray(last.content)) return [];
  const calls = Array.isArray(messages.at(-2)?.content) ? messages.at(-2).content.filter((b) => b.type === 'tool_use') : [];
  return last.content
    .filter((b) => b.type === 'tool_result')
    .map((b) => ({ name: calls.find((c) => c.id === b.tool_use_id)?.name ?? b.tool_use_id, content: textsOf(b.content).join(' ') }));
}
