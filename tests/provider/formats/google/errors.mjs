// Google's error body: { error: { code, message, status, details? } }, the
// google.rpc statuses (INVALID_ARGUMENT, PERMISSION_DENIED, RESOURCE_EXHAUSTED …)
// with the wording the Gemini API uses (ai.google.dev/gemini-api/docs/troubleshooting).

const HTTP_STATUS = {
  INVALID_ARGUMENT: 400, FAILED_PRECONDITION: 400, PERMISSION_DENIED: 403, NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429, INTERNAL: 500, UNAVAILABLE: 503,
};

export function googleError(status, message, { code = HTTP_STATUS[status], details, headers } = {}) {
  const error = { code, message, status };
  if (details) error.details = details;
  return { status: code, headers: headers ?? {}, json: { error } };
}

/** A malformed request: INVALID_ARGUMENT, with the field in a BadRequest detail when known. */
export function invalidArgument(message, field) {
  const details = field === undefined
    ? undefined
    : [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field, description: message }] }];
  return googleError('INVALID_ARGUMENT', message, { details });
}

/** The JSON-to-proto mapping's complaint about a field that does not exist. */
export function unknownField(name, at) {
  const where = at ? ` at '${at}'` : '';
  return invalidArgument(`Invalid JSON payload received. Unknown name "${name}"${where}: Cannot find field.`, at ?? '');
}

/** A value of the wrong type (protobuf wording: `Invalid value at 'x' (TYPE_FLOAT), "hot"`). */
export function invalidValue(at, protoType, value) {
  const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  return invalidArgument(`Invalid value at '${at}' (${protoType}), ${shown}`, at);
}

/** A field-rule violation in the request (`* GenerateContentRequest.<path>: <rule>`). */
export const violation = (path, rule) => invalidArgument(`* GenerateContentRequest.${path}: ${rule}\n`);

const HELP = [{ '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] }];

const notFoundPage = (path) => ({
  status: 404,
  contentType: 'text/html; charset=UTF-8',
  text:
    '<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 404 (Not Found)!!1</title>\n' +
    `  <p><b>404.</b> <ins>That’s an error.</ins>\n  <p>The requested URL <code>${path}</code> was not found on this server.  <ins>That’s all we know.</ins>\n`,
});

export const MAX_INPUT_TOKENS = 1_048_576;

export const errors = {
  missingKey: () =>
    googleError(
      'PERMISSION_DENIED',
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    ),
  // Google answers a wrong key with 400, not 401, and never echoes the key.
  invalidKey: () =>
    googleError('INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', {
      details: [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
        { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
      ],
    }),
  // No Retry-After header: the delay travels in a RetryInfo detail.
  rateLimit: () =>
    googleError(
      'RESOURCE_EXHAUSTED',
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
      {
        details: [
          { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }] },
          ...HELP,
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' },
        ],
      },
    ),
  // Prepaid credit used up: 402 since 2026 (it was a 429 before).
  quota: () =>
    googleError(
      'RESOURCE_EXHAUSTED',
      'Your prepayment credits are depleted. Please go to AI Studio at https://ai.studio/projects to manage your project and billing. Learn more at https://ai.google.dev/gemini-api/docs/billing#prepay.',
      { code: 402 },
    ),
  server: () =>
    googleError('INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting'),
  // The [[loopback:too-long]] marker: a prompt over the context window (the count is made up).
  tooLong: (body) => {
    const tokens = MAX_INPUT_TOKENS + Math.ceil(JSON.stringify(body ?? {}).length / 4);
    return googleError('INVALID_ARGUMENT', `The input token count (${tokens}) exceeds the maximum number of tokens allowed (${MAX_INPUT_TOKENS}).`);
  },
  modelNotFound: (name, version) =>
    googleError('NOT_FOUND', `${name} is not found for API version ${version}, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`),
  badJson: () => invalidArgument('Invalid JSON payload received. Unexpected token.'),
  contentType: (type) => invalidArgument(`Invalid JSON payload received. Unexpected Content-Type "${type ?? ''}".`),
  // Google's front end answers unknown paths with its HTML 404 page.
  badUrl: (method, path) => notFoundPage(path),
  badMethod: (method, path) => notFoundPage(path),
};
