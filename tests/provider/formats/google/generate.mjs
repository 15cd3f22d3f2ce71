// POST /google/{version}/models/{model}:generateContent: Gemini's generateContent.
// Checks what the real API checks (field names in either JSON spelling, roles,
// one data field per part, objects as function responses, as many responses as
// calls, Gemini 3's thought signatures, generationConfig ranges), then answers
// deterministically: text, JSON for a schema, or a call of the first declared
// function — and, once the results come back, text quoting them.

import { fromBase64, imageType } from '../../lib/image-input.mjs';
import { png } from '../../lib/png.mjs';
import { isPlainObject } from '../../lib/http.mjs';
import { structuredText } from '../../lib/structured.mjs';
import { inputTokens, limitTokens, replyText, tokensFor } from '../../lib/text.mjs';
import { errors, invalidArgument, invalidValue, unknownField, violation } from './errors.mjs';
import { findModel, supports } from './models.mjs';

// Proto JSON takes every field in lowerCamelCase or snake_case.
const snake = (name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const pick = (obj, name) => (isPlainObject(obj) ? (obj[name] ?? obj[snake(name)]) : undefined);
const unknownKey = (obj, allowed) => Object.keys(obj).find((k) => !allowed.has(camel(k)));

const TOP = new Set(['contents', 'systemInstruction', 'generationConfig', 'tools', 'toolConfig', 'safetySettings', 'cachedContent', 'labels']);
const GENERATION = new Set([
  'stopSequences', 'responseMimeType', 'responseSchema', 'responseJsonSchema', 'responseModalities', 'candidateCount',
  'maxOutputTokens', 'temperature', 'topP', 'topK', 'seed', 'presencePenalty', 'frequencyPenalty', 'responseLogprobs',
  'logprobs', 'enableEnhancedCivicAnswers', 'speechConfig', 'thinkingConfig', 'imageConfig', 'mediaResolution',
]);
const PART = new Set([
  'text', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult', 'thought',
  'thoughtSignature', 'videoMetadata', 'partMetadata',
]);
const DATA = ['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult'];
const TOOL = new Set(['functionDeclarations', 'googleSearch', 'googleSearchRetrieval', 'codeExecution', 'urlContext', 'fileSearch', 'googleMaps']);
const DECLARATION = new Set(['name', 'description', 'parameters', 'parametersJsonSchema', 'response', 'responseJsonSchema', 'behavior']);
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;
const MIME_TYPES = ['text/plain', 'application/json', 'application/xml', 'application/yaml', 'text/x.enum'];
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const MAX_CANDIDATES = 8;
const MAX_STOP_SEQUENCES = 5;
/** What a thinking model reports per candidate (the loopback does not really think). */
export const THOUGHT_TOKENS = 12;

const STRUCT = 'type.googleapis.com/google.protobuf.Struct';

/** Gemini image models' aspect ratios and the pixels each makes (ai.google.dev image generation). */
export const IMAGE_SIZES = {
  '1:1': [1024, 1024], '2:3': [832, 1248], '3:2': [1248, 832], '3:4': [864, 1184], '4:3': [1184, 864],
  '4:5': [896, 1152], '5:4': [1152, 896], '9:16': [768, 1344], '16:9': [1344, 768], '21:9': [1536, 672],
};

export const generateEndpoint = {
  method: 'POST',
  path: /^\/google\/(?<version>v1|v1beta|v1alpha)\/(?<resource>(?:models|tunedModels)\/[^/:]+):generateContent$/,
  json: true,
  validate(body, { params }) {
    const extra = unknownKey(body, TOP);
    if (extra) return unknownField(extra);
    const contents = pick(body, 'contents');
    const model = findModel(params.resource);
    return (
      checkContents(contents) ??
      checkSystem(pick(body, 'systemInstruction')) ??
      checkGeneration(pick(body, 'generationConfig')) ??
      checkTools(pick(body, 'tools')) ??
      (model && supports(model, 'generateContent') && params.resource.startsWith('models/') ? null : errors.modelNotFound(params.resource, params.version)) ??
      checkToolSupport(model, pick(body, 'tools')) ??
      checkImageInput(model, contents) ??
      checkTurns(contents) ??
      (model.signatures === 'required' ? checkSignatures(contents) : null)
    );
  },
  lastUserText,
  respond({ body, scenario, ids, params }) {
    const model = findModel(params.resource);
    const contents = pick(body, 'contents');
    const config = pick(body, 'generationConfig') ?? {};
    const thinkingConfig = pick(config, 'thinkingConfig');
    const thinking = model.thinking && pick(thinkingConfig, 'thinkingBudget') !== 0;
    const tools = pick(body, 'tools') ?? [];
    const declarations = tools.flatMap((t) => pick(t, 'functionDeclarations') ?? []);
    const results = partsOf(contents.at(-1)).map((p) => pick(p, 'functionResponse')).filter(Boolean);
    const count = pick(config, 'candidateCount') ?? 1;

    let parts = [];
    let finishReason = 'STOP';
    let tokens = 0;
    const modalities = (pick(config, 'responseModalities') ?? []).map((m) => String(m).toUpperCase());
    if (scenario.kind === 'empty') {
      // What Gemini sends when it has nothing to say: a candidate without parts.
    } else if (model.images && modalities.includes('IMAGE')) {
      // An image model asked for images: a line of text and the image, sized by the aspect ratio.
      const [width, height] = IMAGE_SIZES[pick(pick(config, 'imageConfig'), 'aspectRatio') ?? '1:1'];
      parts = [{ text: 'Here is the image.' }, { inlineData: { mimeType: 'image/png', data: png(width, height).toString('base64') } }];
      tokens = 1290;
    } else if (results.length === 0 && declarations.length > 0) {
      const [first] = declarations;
      const part = { functionCall: { name: first.name, args: sampleArgs(first) } };
      if (thinking) part.thoughtSignature = signatureFor(first.name);
      parts = [part];
      tokens = tokensFor(JSON.stringify(part.functionCall));
    } else {
      const reply = results.length ? toolReply(results) : replyText(lastUserText(body), scenario);
      const out = limitTokens(applyStop(structuredText(formatOf(config), reply), pick(config, 'stopSequences')), pick(config, 'maxOutputTokens'));
      parts = [{ text: out.text }];
      finishReason = out.truncated ? 'MAX_TOKENS' : 'STOP';
      tokens = out.tokens;
    }
    if (thinking && pick(thinkingConfig, 'includeThoughts') === true && parts.length) {
      parts = [{ text: `Loopback thoughts about: ${lastUserText(body) || 'the tool results'}`, thought: true }, ...parts];
    }
    const searched = tools.some((t) => pick(t, 'googleSearch') !== undefined);
    const candidates = Array.from({ length: scenario.kind === 'empty' ? 1 : count }, (_, index) => ({
      content: parts.length ? { parts, role: 'model' } : { role: 'model' },
      finishReason,
      index,
      ...(searched ? { groundingMetadata: { webSearchQueries: [lastUserText(body)], groundingChunks: [] } } : {}),
    }));
    const prompt = inputTokens(promptTexts(body));
    const output = scenario.kind === 'empty' ? 0 : count * tokens; // every candidate is billed
    const thoughts = thinking && scenario.kind !== 'empty' ? count * THOUGHT_TOKENS : 0;
    return {
      status: 200,
      json: {
        candidates,
        usageMetadata: {
          promptTokenCount: prompt,
          ...(output ? { candidatesTokenCount: output } : {}),
          totalTokenCount: prompt + output + thoughts,
          promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
          ...(thoughts ? { thoughtsTokenCount: thoughts } : {}),
        },
        modelVersion: model.id,
        responseId: ids.next('loopback'),
      },
    };
  },
};

const partsOf = (content) => (Array.isArray(pick(content, 'parts')) ? pick(content, 'parts') : []);
const textsOf = (content) => partsOf(content).map((p) => pick(p, 'text')).filter((t) => typeof t === 'string');

/** The text of the last user turn (where the scenario markers are read). */
function lastUserText(body) {
  const contents = pick(body, 'contents');
  const last = Array.isArray(contents) ? contents.at(-1) : undefined;
  return (last?.role ?? 'user') === 'user' ? textsOf(last).join('\n') : '';
}

function promptTexts(body) {
  const texts = textsOf(pick(body, 'systemInstruction'));
  for (const content of pick(body, 'contents')) {
    for (const part of partsOf(content)) {
      const response = pick(part, 'functionResponse');
      if (typeof pick(part, 'text') === 'string') texts.push(pick(part, 'text'));
      else if (response) texts.push(JSON.stringify(response.response));
    }
  }
  return texts;
}

const toolReply = (results) =>
  `Loopback reply to tool results: ${results.map((r) => `${r.name}=${JSON.stringify(r.response)}`).join('; ')}`;

/** A stable signature per function, as opaque as Google's (base64 bytes). */
export const signatureFor = (name) => Buffer.from(`loopback-thought:${name}`).toString('base64');

/** Arguments sampled from the declaration's schema, the way structured output is. */
function sampleArgs(declaration) {
  const schema = pick(declaration, 'parametersJsonSchema') ?? lowerTypes(pick(declaration, 'parameters'));
  if (!isPlainObject(schema)) return {};
  return JSON.parse(structuredText({ type: 'json_schema', schema }, 'loopback'));
}

/** Google's OpenAPI-style schemas spell types in capitals (`OBJECT`); JSON Schema does not. */
function lowerTypes(schema) {
  if (Array.isArray(schema)) return schema.map(lowerTypes);
  if (!isPlainObject(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, k === 'type' && typeof v === 'string' ? v.toLowerCase() : lowerTypes(v)]),
  );
}

function formatOf(config) {
  if (pick(config, 'responseMimeType') !== 'application/json') return undefined;
  const schema = pick(config, 'responseJsonSchema') ?? lowerTypes(pick(config, 'responseSchema'));
  return schema ? { type: 'json_schema', schema } : { type: 'json_object' };
}

/** A stop sequence ends the reply where it first appears (finishReason stays STOP). */
function applyStop(text, stops) {
  const cut = Math.min(...(stops ?? []).filter((s) => s.length > 0).map((s) => text.indexOf(s)).filter((i) => i >= 0));
  return Number.isFinite(cut) ? text.slice(0, cut) : text;
}

// ---- checks: each returns an error reply or null, so they chain with `??` ----------------------

function checkContents(contents) {
  if (contents == null || (Array.isArray(contents) && contents.length === 0)) return violation('contents', 'contents is not specified');
  if (!Array.isArray(contents)) return invalidValue('contents', 'type.googleapis.com/google.ai.generativelanguage.v1beta.Content', contents);
  for (const [i, content] of contents.entries()) {
    const at = `contents[${i}]`;
    if (!isPlainObject(content)) return invalidValue(at, 'type.googleapis.com/google.ai.generativelanguage.v1beta.Content', content);
    const extra = unknownKey(content, new Set(['role', 'parts']));
    if (extra) return unknownField(extra, at);
    if (![undefined, '', 'user', 'model'].includes(content.role)) return invalidArgument('Please use a valid role: user, model.');
    const bad = checkParts(pick(content, 'parts'), `${at}.parts`);
    if (bad) return bad;
  }
  return null;
}

function checkSystem(system) {
  if (system === undefined) return null;
  if (!isPlainObject(system)) return invalidValue('system_instruction', 'type.googleapis.com/google.ai.generativelanguage.v1beta.Content', system);
  const extra = unknownKey(system, new Set(['role', 'parts']));
  return extra ? unknownField(extra, 'system_instruction') : checkParts(pick(system, 'parts'), 'system_instruction.parts');
}

function checkParts(parts, at) {
  if (!Array.isArray(parts) || parts.length === 0) return violation(at, 'contents.parts must not be empty.');
  for (const [j, part] of parts.entries()) {
    const bad = checkPart(part, `${at}[${j}]`);
    if (bad) return bad;
  }
  return null;
}

function checkPart(part, at) {
  if (!isPlainObject(part)) return invalidValue(at, 'type.googleapis.com/google.ai.generativelanguage.v1beta.Part', part);
  const extra = unknownKey(part, PART);
  if (extra) return unknownField(extra, at);
  const data = DATA.filter((k) => pick(part, k) !== undefined);
  if (data.length === 0) return violation(`${at}.data`, "required oneof field 'data' must have one initialized field");
  if (data.length > 1) return invalidArgument(`Invalid JSON payload received. Oneof field 'data' is already set. Cannot set '${snake(data[1])}'`, at);
  const text = pick(part, 'text');
  if (text !== undefined && typeof text !== 'string') return invalidValue(`${at}.text`, 'TYPE_STRING', text);
  const thought = pick(part, 'thought');
  if (thought !== undefined && typeof thought !== 'boolean') return invalidValue(`${at}.thought`, 'TYPE_BOOL', thought);
  const signature = pick(part, 'thoughtSignature');
  if (signature !== undefined && !(typeof signature === 'string' && BASE64.test(signature))) {
    return invalidArgument(`Invalid value at '${at}.thought_signature' (TYPE_BYTES), Base64 decoding failed for "${signature}"`, `${at}.thought_signature`);
  }
  return checkInline(pick(part, 'inlineData'), at) ?? checkFile(pick(part, 'fileData'), at) ?? checkCall(pick(part, 'functionCall'), at) ?? checkResponse(pick(part, 'functionResponse'), at);
}

function checkInline(inline, at) {
  if (inline === undefined) return null;
  if (typeof pick(inline, 'mimeType') !== 'string' || !pick(inline, 'mimeType')) return violation(`${at}.inline_data.mime_type`, 'mime_type is required.');
  const data = pick(inline, 'data');
  if (typeof data !== 'string' || !BASE64.test(data)) {
    return invalidArgument(`Invalid value at '${at}.inline_data.data' (TYPE_BYTES), Base64 decoding failed for "${String(data).slice(0, 40)}"`, `${at}.inline_data.data`);
  }
  return null;
}

function checkFile(file, at) {
  if (file === undefined) return null;
  const uri = pick(file, 'fileUri');
  return typeof uri === 'string' && uri ? null : violation(`${at}.file_data.file_uri`, 'file_uri is required.');
}

function checkCall(call, at) {
  if (call === undefined) return null;
  if (typeof pick(call, 'name') !== 'string' || !pick(call, 'name')) return violation(`${at}.function_call.name`, 'Name cannot be empty.');
  const args = pick(call, 'args');
  return args === undefined || isPlainObject(args) ? null : invalidValue(`${at}.function_call.args`, STRUCT, args);
}

function checkResponse(response, at) {
  if (response === undefined) return null;
  if (typeof pick(response, 'name') !== 'string' || !pick(response, 'name')) return violation(`${at}.function_response.name`, 'Name cannot be empty.');
  const result = pick(response, 'response');
  return isPlainObject(result) ? null : invalidValue(`${at}.function_response.response`, STRUCT, result ?? null);
}

function checkGeneration(config) {
  if (config === undefined) return null;
  if (!isPlainObject(config)) return invalidValue('generation_config', 'type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig', config);
  const extra = unknownKey(config, GENERATION);
  if (extra) return unknownField(extra, 'generation_config');
  const ratio = pick(pick(config, 'imageConfig'), 'aspectRatio');
  if (ratio !== undefined && !(ratio in IMAGE_SIZES)) return invalidValue('generation_config.image_config.aspect_ratio', 'TYPE_STRING', ratio);
  return (
    checkNumber(config, 'temperature', { min: 0, max: 2 }) ??
    checkNumber(config, 'topP', { min: 0, max: 1 }) ??
    checkNumber(config, 'topK', { integer: true, min: 1 }) ??
    checkNumber(config, 'candidateCount', { integer: true, min: 1, max: MAX_CANDIDATES }) ??
    checkNumber(config, 'maxOutputTokens', { integer: true, min: 1 }) ??
    checkNumber(config, 'presencePenalty', { min: -2, max: 2 }) ??
    checkNumber(config, 'frequencyPenalty', { min: -2, max: 2 }) ??
    checkStops(pick(config, 'stopSequences')) ??
    checkResponseFormat(config)
  );
}

function checkNumber(config, name, { integer = false, min, max }) {
  const value = pick(config, name);
  if (value === undefined) return null;
  const at = `generation_config.${snake(name)}`;
  if (typeof value !== 'number' || (integer && !Number.isInteger(value))) return invalidValue(at, integer ? 'TYPE_INT32' : 'TYPE_FLOAT', value);
  const range = max === undefined ? `at least ${min}` : `in the range [${min}, ${max}]`;
  return value < min || (max !== undefined && value > max) ? violation(at, `${snake(name)} must be ${range}.`) : null;
}

function checkStops(stops) {
  if (stops === undefined) return null;
  if (!Array.isArray(stops) || stops.some((s) => typeof s !== 'string')) return invalidValue('generation_config.stop_sequences', 'TYPE_STRING', stops);
  return stops.length > MAX_STOP_SEQUENCES ? violation('generation_config.stop_sequences', `the number of stop_sequences must not exceed ${MAX_STOP_SEQUENCES}.`) : null;
}

function checkResponseFormat(config) {
  const mime = pick(config, 'responseMimeType');
  if (mime !== undefined && !MIME_TYPES.includes(mime)) {
    return violation('generation_config.response_mime_type', 'allowed mimetypes are `text/plain`, `application/json`, `application/xml`, `application/yaml` and `text/x.enum`.');
  }
  const schema = pick(config, 'responseSchema');
  const jsonSchema = pick(config, 'responseJsonSchema');
  if (schema !== undefined && jsonSchema !== undefined) return invalidArgument('response_schema and response_json_schema are mutually exclusive.');
  if (jsonSchema !== undefined && !isPlainObject(jsonSchema)) return invalidValue('generation_config.response_json_schema', 'type.googleapis.com/google.protobuf.Value', jsonSchema);
  if ((schema !== undefined || jsonSchema !== undefined) && !['application/json', 'text/x.enum'].includes(mime)) {
    return violation('generation_config.response_mime_type', 'response_mime_type must be application/json or text/x.enum when a response schema is set.');
  }
  return null;
}

function checkTools(tools) {
  if (tools === undefined) return null;
  if (!Array.isArray(tools)) return invalidValue('tools', 'type.googleapis.com/google.ai.generativelanguage.v1beta.Tool', tools);
  for (const [i, tool] of tools.entries()) {
    const at = `tools[${i}]`;
    if (!isPlainObject(tool)) return invalidValue(at, 'type.googleapis.com/google.ai.generativelanguage.v1beta.Tool', tool);
    const extra = unknownKey(tool, TOOL);
    if (extra) return unknownField(extra, at);
    const search = pick(tool, 'googleSearch');
    if (search !== undefined && !isPlainObject(search)) return invalidValue(`${at}.google_search`, 'type.googleapis.com/google.ai.generativelanguage.v1beta.Tool.GoogleSearch', search);
    const declarations = pick(tool, 'functionDeclarations');
    if (declarations === undefined) continue;
    if (!Array.isArray(declarations)) return invalidValue(`${at}.function_declarations`, 'type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionDeclaration', declarations);
    for (const [j, declaration] of declarations.entries()) {
      const bad = checkDeclaration(declaration, `${at}.function_declarations[${j}]`);
      if (bad) return bad;
    }
  }
  return null;
}

/** The image types Gemini reads (ai.google.dev "Image understanding"). */
const IMAGE_INPUT_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif'];

/**
 * An image model given an image (a reference to refine) reads it: a type it does not take is
 * refused, and bytes that are no image of that type are "Unable to process input image".
 */
function checkImageInput(model, contents) {
  if (!model?.images) return null;
  for (const part of contents.flatMap(partsOf)) {
    const inline = pick(part, 'inlineData');
    if (inline === undefined) continue;
    const mime = String(pick(inline, 'mimeType')).toLowerCase();
    if (!IMAGE_INPUT_TYPES.includes(mime)) return invalidArgument(`Unsupported MIME type: ${mime}`);
    const bytes = fromBase64(pick(inline, 'data'));
    const actual = bytes && imageType(bytes);
    if (!actual || (actual !== mime && !mime.startsWith('image/hei'))) {
      return invalidArgument('Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
    }
  }
  return null;
}

/** Models without tools (the image model) refuse declarations and Google Search outright. */
function checkToolSupport(model, tools) {
  if (model.tools !== false || !Array.isArray(tools)) return null;
  if (tools.some((t) => pick(t, 'functionDeclarations')?.length)) return invalidArgument(`Function calling is not enabled for models/${model.id}`);
  if (tools.some((t) => pick(t, 'googleSearch') !== undefined)) return invalidArgument(`Search Grounding is not supported for models/${model.id}`);
  return null;
}

function checkDeclaration(declaration, at) {
  if (!isPlainObject(declaration)) return invalidValue(at, 'type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionDeclaration', declaration);
  const extra = unknownKey(declaration, DECLARATION);
  if (extra) return unknownField(extra, at);
  if (!FUNCTION_NAME.test(pick(declaration, 'name') ?? '')) {
    return violation(`${at}.name`, 'Invalid function name. Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:), or dashes (-), with a maximum length of 64.');
  }
  const parameters = pick(declaration, 'parameters');
  const jsonSchema = pick(declaration, 'parametersJsonSchema');
  if (parameters !== undefined && jsonSchema !== undefined) return invalidArgument('parameters and parameters_json_schema are mutually exclusive.');
  if (jsonSchema !== undefined && !(isPlainObject(jsonSchema) && [undefined, 'object'].includes(jsonSchema.type))) {
    return violation(`${at}.parameters_json_schema`, 'the schema must describe an object.');
  }
  return null;
}

/** Each turn of function calls is answered by as many function responses, in the next content. */
function checkTurns(contents) {
  for (let i = 0; i + 1 < contents.length; i++) {
    const calls = partsOf(contents[i]).filter((p) => pick(p, 'functionCall')).length;
    if (calls === 0 || contents[i].role !== 'model') continue;
    const responses = partsOf(contents[i + 1]).filter((p) => pick(p, 'functionResponse')).length;
    if (responses !== calls) {
      return invalidArgument('Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.');
    }
  }
  return null;
}

/** Gemini 3: in the current turn (since the last user text), the first function call of each
 *  model step must carry the signature Gemini gave it. */
function checkSignatures(contents) {
  const start = contents.findLastIndex((c) => (c.role ?? 'user') === 'user' && textsOf(c).length > 0);
  for (const content of contents.slice(start + 1).filter((c) => c.role === 'model')) {
    const parts = partsOf(content);
    const first = parts.findIndex((p) => pick(p, 'functionCall'));
    if (first >= 0 && !pick(parts[first], 'thoughtSignature')) {
      return invalidArgument(
        'Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing ' +
          `thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${pick(parts[first], 'functionCall').name}\` , ` +
          `position ${first + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`,
      );
    }
  }
  return null;
}
