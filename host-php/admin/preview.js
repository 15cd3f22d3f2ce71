// AI Puffer > Preview: the engine in the page. Reads the snapshot the server left in the page
// (no secrets in it), prepares the site, and re-runs the `preview` task on every change of the
// form — the prompt, the request type, a model preference, a pricing rule to try. Decisions
// are the engine's; this module only builds the AI Client call and shows the answer.
const started = performance.now();
const data = JSON.parse(document.getElementById('aipuffer-preview-data').textContent);
const L = data.labels;
const $ = (id) => document.getElementById(id);
const output = $('aipuffer-preview-output');

/** `%1$s`-style placeholders, as the translations carry them. */
const format = (text, ...values) => values.reduce((t, v, i) => t.replace(`%${i + 1}$s`, v).replace('%s', v), text);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([k, v]) => node.setAttribute(k, v));
  children.flat().forEach((child) => node.append(child instanceof Node ? child : document.createTextNode(String(child))));
  return node;
}

/** The AI Client call the form describes. */
function call() {
  const type = $('aipuffer-preview-type').value;
  const image = type === 'image';
  const config = image ? { outputModalities: ['image'] } : { outputModalities: ['text'], maxTokens: Number($('aipuffer-preview-max-tokens').value) || undefined };
  const temperature = $('aipuffer-preview-temperature').value;
  if (temperature !== '' && !image) config.temperature = Number(temperature);
  const candidates = Number($('aipuffer-preview-candidates').value) || 1;
  if (candidates > 1) config.candidateCount = candidates;
  if (type === 'json') {
    config.outputMimeType = 'application/json';
    config.outputSchema = { type: 'object', properties: { title: { type: 'string' }, summary: { type: 'string' } }, required: ['title', 'summary'] };
  }
  if (type === 'tools') {
    config.functionDeclarations = [{ name: 'get_product', description: 'Looks up a product by name.', parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } }];
  }
  const request = {
    capability: image ? 'image_generation' : 'text_generation',
    config,
    messages: [{ role: 'user', parts: [{ channel: 'content', type: 'text', text: $('aipuffer-preview-prompt').value }] }],
    requestOptions: { timeout: 30 },
  };
  const [provider, model] = $('aipuffer-preview-model').value.split('|');
  if (model) Object.assign(request, { provider, model });
  else Object.assign(request, { provider: 'aipuffer', model: { fast: 'aipuffer-fast-text', image: 'aipuffer-default-image' }[type] ?? 'aipuffer-default-text' });
  return request;
}

/** The site with the pricing rule being tried, matching what the engine says the call is priced as. */
function withTrialRule(site, pricedAs) {
  const method = $('aipuffer-preview-rule-method').value;
  if (!method || !pricedAs) return site;
  const rule = {
    ...pricedAs, id: '0', scope_type: 'module', scope_id: '0', enabled: '1', billing_method: method,
    input_rate: $('aipuffer-preview-rule-input').value || null, output_rate: $('aipuffer-preview-rule-output').value || null,
    unit_rate: $('aipuffer-preview-rule-unit').value || null, updated_at: '9999-12-31 23:59:59',
  };
  return { ...site, pricing_rules: [...site.pricing_rules, rule] };
}

function show(step) {
  output.replaceChildren();
  if (step.step !== 'done') {
    output.append(element('div', { class: 'notice notice-error inline' }, element('p', {}, `${L.error} ${step.error?.message ?? step.step}`)));
    return;
  }
  const p = step.result;
  const rows = [
    [L.served_by, `${p.provider} / ${p.model.id}`, 'target'],
    [L.why, p.route ? p.route.why.join(' ') : L.named, 'why'],
    [L.tokens, format(L.tokens_value, p.estimated_usage.input, p.estimated_usage.output), 'tokens'],
    [L.credits, `${p.estimated_credits} — ${p.rule_id === null ? L.no_rule : p.rule_id === 0 ? format(L.trial_rule, p.billing_method) : format(L.rule, p.rule_id, p.billing_method)}`, 'credits'],
    [L.usd, p.estimated_usd === null ? L.no_price : `$${p.estimated_usd} — ${format(L.price_entry, p.price_key)}`, 'usd'],
  ];
  output.append(element('table', { class: 'widefat striped aipuffer-preview-result' },
    element('tbody', {}, rows.map(([label, value, key]) => element('tr', { 'data-field': key }, element('th', { scope: 'row' }, label), element('td', {}, value))))));
  output.append(element('h2', {}, L.request));
  for (const request of p.requests) {
    const headers = Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`);
    if (request.credential?.placement === 'header') headers.push(`${request.credential.name}: ${request.credential.prefix ?? ''}•••• ${L.redacted}`);
    let body = request.body;
    try { body = JSON.stringify(JSON.parse(request.body), null, 2); } catch { /* not JSON: as it is */ }
    output.append(element('pre', { class: 'aipuffer-preview-request', 'data-url': request.url }, `${request.method} ${request.url}\n${headers.join('\n')}\n\n${body}`));
  }
}

try {
  const engine = await import(data.engine);
  await engine.default({ module_or_path: data.wasm });
  const prepared = engine.prepare(data.stored);
  const site = { ...prepared.site, pricing_rules: data.pricing_rules, prices: data.prices };
  const models = $('aipuffer-preview-model');
  for (const connector of site.connectors) {
    for (const model of [...(connector.models ?? []), ...(connector.image_models ?? [])]) {
      if (connector.available && connector.id !== 'aipuffer') models.append(element('option', { value: `${connector.id}|${model.id}` }, `${connector.id} / ${model.id}`));
    }
  }
  const run = () => {
    let input = { task: 'preview', site, call: call() };
    const first = engine.advance(input);
    const pricedAs = first.step === 'done' ? first.result.priced_as : null;
    if ($('aipuffer-preview-rule-method').value && pricedAs) input = { ...input, site: withTrialRule(site, pricedAs) };
    // What the engine was given last, for anyone checking the page against another host.
    window.aipufferPreviewInput = input;
    show(input.site === site ? first : engine.advance(input));
  };
  document.querySelector('.aipuffer-preview-form').addEventListener('input', run);
  run();
  const ready = Math.round(performance.now() - started);
  window.aipufferPreviewReadyMs = ready;
  output.append(element('p', { class: 'description aipuffer-preview-timing' }, format(L.ready, ready)));
} catch (error) {
  output.replaceChildren(element('div', { class: 'notice notice-error inline' }, element('p', {}, `${L.no_engine} ${error.message}`)));
}
