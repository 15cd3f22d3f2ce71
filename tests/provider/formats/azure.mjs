// Azure OpenAI's wire format under /azure (the demo points the connector's
// endpoint at <loopback>/azure): POST /openai/deployments/{deployment}/chat/
// completions?api-version=…, the key in `api-key`, the deployment choosing the
// model (no `model` needed in the body), OpenAI's rules and error bodies, the
// content filter ([[loopback:content-filter]] in the prompt) and Azure's own
// answers for an unknown deployment or API version. POST …/{deployment}/images/
// generations serves the image deployments by OpenAI's rules for their model
// (formats/openai/images.mjs); GPT Image needs API version 2025-04-01-preview or
// later. GET /openai/deployments lists the deployments, as only the authoring
// API versions still do.

import { jsonReply } from '../lib/http.mjs';
import { ALLOWED, chatCompletions, lastUserText } from './openai/chat.mjs';
import { errors as openaiErrors, openaiError } from './openai/errors.mjs';
import { checkEditForm, checkImageRequest, editBody, imageFamily, imageResponse } from './openai/images.mjs';
import { parseMultipart } from '../lib/multipart.mjs';

// Deployment → the model behind it (its dated version, as chat answers name it). The image
// deployment is listed only: chat does not serve it.
const DEPLOYMENTS = new Map([
  ['gpt-4o-prod', { model: 'gpt-4o-2024-11-20', createdAt: 1732233600 }],
  ['gpt-4o-mini', { model: 'gpt-4o-mini-2024-07-18', createdAt: 1721347200 }],
  ['o3-mini', { model: 'o3-mini-2025-01-31', reasoning: true, createdAt: 1738368000 }],
  ['dalle3', { model: 'dall-e-3', image: true, createdAt: 1700179200 }],
  ['gpt-image-1', { model: 'gpt-image-1', image: true, createdAt: 1745280000 }],
]);
const API_VERSIONS = ['2024-10-21', '2024-12-01-preview', '2025-01-01-preview', '2025-03-01-preview', '2025-04-01-preview'];
// The deployment list left the inference API after 2023-03-15-preview: newer versions answer 404.
const LIST_VERSIONS = ['2022-12-01', '2023-03-15-preview'];

const azureError = (status, code, message, headers = {}) => jsonReply(status, { error: { code, message } }, headers);

export const errors = {
  ...openaiErrors,
  missingKey: () =>
    azureError(
      401,
      '401',
      'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
    ),
  invalidKey: () => errors.missingKey(),
  rateLimit: () =>
    azureError(
      429,
      '429',
      'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2025-01-01-preview have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds.',
      { 'retry-after': '6', 'retry-after-ms': '6000' },
    ),
  // Azure bills the subscription: its nearest answer to "no credit" is a quota 429.
  quota: () =>
    azureError(429, '429', 'Requests to the ChatCompletions_Create Operation have exceeded the call rate limit of your current quota. Please retry after 60 seconds.', {
      'retry-after': '60',
    }),
  tooLong: () =>
    openaiError(400, "This model's maximum context length is 128000 tokens. However, your messages resulted in 129000 tokens. Please reduce the length of the messages.", {
      param: 'messages',
      code: 'context_length_exceeded',
    }),
  badUrl: () => azureError(404, '404', 'Resource not found'),
  badMethod: () => azureError(405, '405', 'Method not allowed'),
};

const chat = chatCompletions({
  path: /^\/azure\/openai\/deployments\/(?<deployment>[^/]+)\/chat\/completions$/,
  modelRequired: false, // the deployment in the URL chooses the model
  check: checkDeployment,
  modelOf: (body, { params }) => DEPLOYMENTS.get(decodeURIComponent(params.deployment))?.model,
  idPrefix: 'chatcmpl-loopback-azure',
  toolCalls: true,
  choiceExtra: () => ({ logprobs: null, content_filter_results: {} }),
  bodyExtra: () => ({ prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }], system_fingerprint: 'fp_loopback_azure' }),
});

function checkDeployment(body, { params, query }) {
  const version = query.get('api-version');
  if (version == null) return azureError(404, '404', 'Resource not found');
  if (!API_VERSIONS.includes(version)) return azureError(400, 'BadRequest', 'API version not supported');
  const deployment = DEPLOYMENTS.get(decodeURIComponent(params.deployment));
  if (deployment?.image) {
    return azureError(
      400,
      'OperationNotSupported',
      `The chatCompletion operation does not work with the specified model, ${deployment.model}. Please choose different model and try again. ` +
        'You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.',
    );
  }
  if (!deployment) {
    return azureError(
      404,
      'DeploymentNotFound',
      'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
    );
  }
  if (deployment.reasoning && body.max_tokens != null) {
    return openaiError(400, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", {
      param: 'max_tokens',
      code: 'unsupported_parameter',
    });
  }
  if (lastUserText(body.messages).includes('[[loopback:content-filter]]')) {
    return jsonReply(400, {
      error: {
        message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: { hate: { filtered: true, severity: 'high' } } },
      },
    });
  }
  return null;
}

// GPT Image came to Azure with this inference version; earlier ones do not know it.
const GPT_IMAGE_SINCE = '2025-04-01-preview';

/** What an image deployment refuses before looking at the request: the version, the deployment. */
function checkImageDeployment(params, query, operation) {
  const version = query.get('api-version');
  if (version == null) return azureError(404, '404', 'Resource not found');
  if (!API_VERSIONS.includes(version)) return azureError(400, 'BadRequest', 'API version not supported');
  const deployment = DEPLOYMENTS.get(decodeURIComponent(params.deployment));
  if (!deployment) {
    return azureError(
      404,
      'DeploymentNotFound',
      'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
    );
  }
  if (!deployment.image || (operation === 'imagesEdit' && imageFamily(deployment.model) !== 'gpt-image')) {
    return azureError(400, 'OperationNotSupported', `The ${operation} operation does not work with the specified model, ${deployment.model}. Please choose different model and try again.`);
  }
  if (imageFamily(deployment.model) === 'gpt-image' && version < GPT_IMAGE_SINCE) {
    return azureError(400, 'BadRequest', `The model ${deployment.model} is not supported with API version ${version}. Use ${GPT_IMAGE_SINCE} or later.`);
  }
  return null;
}

const asOpenAiError = (message, param, code) => openaiError(400, message, { param, code });

/** An accepted image request's answer, with Azure's content-filter annotations. */
function imageAnswer(body, params) {
  const { model } = DEPLOYMENTS.get(decodeURIComponent(params.deployment));
  const json = imageResponse(body, model, { urlBase: 'https://loopback.invalid/azure/images' });
  json.data = json.data.map((item) => ({ ...item, content_filter_results: {} }));
  return { status: 200, json: { ...json, prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }] } };
}

const images = {
  method: 'POST',
  path: /^\/azure\/openai\/deployments\/(?<deployment>[^/]+)\/images\/generations$/,
  json: true,
  lastUserText: (body) => (typeof body?.prompt === 'string' ? body.prompt : ''),
  validate(body, { params, query }) {
    // The deployment chooses the model; a model named in the body is ignored, as Azure does.
    return checkImageDeployment(params, query, 'imagesGenerate') ?? checkImageRequest(body, DEPLOYMENTS.get(decodeURIComponent(params.deployment)).model, asOpenAiError);
  },
  respond: ({ body, params }) => imageAnswer(body, params),
};

/** POST …/{deployment}/images/edits: GPT Image deployments edit as OpenAI's endpoint does (multipart). */
const imageEdits = {
  method: 'POST',
  path: /^\/azure\/openai\/deployments\/(?<deployment>[^/]+)\/images\/edits$/,
  lastUserText: (body) => (typeof body?.prompt === 'string' ? body.prompt : ''),
  validate(_body, { params, query, req, raw }) {
    const refused = checkImageDeployment(params, query, 'imagesEdit');
    if (refused) return refused;
    const form = parseMultipart(req.headers['content-type'], raw);
    if (!form) return asOpenAiError('Invalid Content-Type header, expected multipart/form-data.', null, 'invalid_request_error');
    return checkEditForm(form, DEPLOYMENTS.get(decodeURIComponent(params.deployment)).model, asOpenAiError);
  },
  respond: ({ params, req, raw }) => imageAnswer(editBody(parseMultipart(req.headers['content-type'], raw)), params),
};

/** GET /openai/deployments: each deployment, named by its model without the version date. */
function listDeployments({ query }) {
  const version = query.get('api-version');
  if (version == null || API_VERSIONS.includes(version)) return azureError(404, '404', 'Resource not found');
  if (!LIST_VERSIONS.includes(version)) return azureError(400, 'BadRequest', 'API version not supported');
  const data = [...DEPLOYMENTS].map(([id, d]) => ({
    scale_settings: { scale_type: 'standard' },
    model: d.model.replace(/-\d{4}-\d{2}-\d{2}$/, ''),
    owner: 'organization-owner',
    id,
    status: 'succeeded',
    created_at: d.createdAt,
    updated_at: d.createdAt,
    object: 'deployment',
  }));
  return jsonReply(200, { data, object: 'list' });
}

export default {
  name: 'azure',
  defaultKeys: ['loopback-azure-key-0000000000000000000000'],
  errors,
  owns: (path) => path.startsWith('/azure/'),
  authenticate(headers, keys) {
    const key = headers['api-key'];
    if (typeof key !== 'string' || !keys.includes(key.trim())) return { error: errors.missingKey() };
    return { key };
  },
  routes: [chat, images, imageEdits, { method: 'GET', path: '/azure/openai/deployments', respond: listDeployments }],
};
