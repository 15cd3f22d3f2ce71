// Anthropic's real error body: { type: "error", error: { type, message }, request_id }.
// Types and statuses as the Messages API documents them (400 invalid_request_error, 401
// authentication_error, 402 billing_error, 403 permission_error, 404 not_found_error,
// 413 request_too_large, 429 rate_limit_error, 500 api_error, 529 overloaded_error).

let requestCount = 0;

export function anthropicError(status, type, message, headers = {}) {
  requestCount += 1;
  const requestId = `req_011Loopback${String(requestCount).padStart(6, '0')}`;
  return { status, headers: { 'request-id': requestId, ...headers }, json: { type: 'error', error: { type, message }, request_id: requestId } };
}

/** A 400 invalid_request_error, the type of every malformed request. */
export const invalid = (message) => anthropicError(400, 'invalid_request_error', message);

export const errors = {
  missingKey: () => anthropicError(401, 'authentication_error', 'x-api-key header is required'),
  // The real API never echoes the key it refused.
  invalidKey: () => anthropicError(401, 'authentication_error', 'invalid x-api-key'),
  missingVersion: () => invalid('anthropic-version: header is required'),
  badVersion: (version) => invalid(`anthropic-version: invalid version "${version}"`),
  rateLimit: () =>
    anthropicError(
      429,
      'rate_limit_error',
      'This request would exceed the rate limit for your organization (org-loopback) of 5 requests per minute. ' +
        'For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. ' +
        'Please reduce the prompt length or the maximum tokens requested, or try again later.',
      {
        'retry-after': '1',
        'anthropic-ratelimit-requests-limit': '5',
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': new Date(Date.now() + 1000).toISOString(),
      },
    ),
  // No credit left: Anthropic answers 400 invalid_request_error, telling it by the message.
  quota: () =>
    invalid('Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.'),
  tooLong: () => invalid('prompt is too long: 208310 tokens > 200000 maximum'),
  server: () => anthropicError(500, 'api_error', 'Internal server error'),
  badJson: () => invalid('There was an issue with the format of your request: the body is not valid JSON.'),
  contentType: (type) => invalid(`Unsupported Content-Type "${type ?? ''}": the request body must be application/json.`),
  badUrl: () => anthropicError(404, 'not_found_error', 'Not Found'),
  badMethod: (method) => anthropicError(405, 'invalid_request_error', `Method ${method} Not Allowed`),
  modelNotFound: (model) => anthropicError(404, 'not_found_error', `model: ${model}`),
};
