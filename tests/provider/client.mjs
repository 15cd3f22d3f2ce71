// What the loopback's tests send with: one HTTP request, its answer read as text and, when it
// parses, as JSON. A string body is sent as is (to test malformed JSON), anything else as JSON.

export async function send(url, method, body, headers) {
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}
