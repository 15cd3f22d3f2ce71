// AI Puffer > Preview: the engine in the page. Reads the snapshot the server left in the page
// (no secrets in it), prepares the site, and re-runs the `preview` task on every change of the
// form — the prompt, the request type, the caller, a model preference, a pricing rule to try, a
// saved model or a pinned route to try. Decisions are the engine's; this module only turns the
// form into the engine's input (the AI Client call, the caller's frame, the stored settings as
// the settings screen would save them) and shows the answer.
const started = performance.now();
const data = JSON.parse(document.getElementById('aipuffer-preview-data').textContent);
const L = data.labels;
const $ = (id) => document.getElementById(id);
const output = $('aipuffer-preview-output');

// "Text with an image" sends this unless the admin picks a file: a 32×32 PNG teapot.
const SAMPLE_IMAGE = {
  mimeType: 'image/png',
  base64Data:
    'iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAIAAAD8GO2jAAAAiUlEQVR42mP4T2PAMGrBqAVI4ESUDQQNTQvUKnrgFgDZVLYAaCImopoFWE0n3g76+gCrZqr5AFMzHqMJWgMXZyDoTFLtQBNEsYCYYMFvB6YIA6bp1PUQA1WcjydKqGkBzlQ09C1As4OGFlAxbgnnZOpbgJYJqWI6gdKUctMHTX2AWUaOtouGkgUAGE2jqmZHItcAAAAASUVORK5CYII=',
  name: null,
};
let attachedImage = SAMPLE_IMAGE;

/** `%1$s`-style placeholders, as the translations carry them. */
// (Replacer functions: a value such as "$0.50" must never be read as a replacement pattern.)
const format = (text, ...values) => values.reduce((t, v, i) => t.replace(`%${i + 1}$s`, () => v).replace('%s', () => v), text);

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
  const parts = [{ channel: 'content', type: 'text', text: $('aipuffer-preview-prompt').value }];
  if (type === 'vision') parts.push({ channel: 'content', type: 'file', file: { fileType: 'inline', mimeType: attachedImage.mimeType, base64Data: attachedImage.base64Data } });
  const request = {
    capability: image ? 'image_generation' : 'text_generation',
    config,
    messages: [{ role: 'user', parts }],
    requestOptions: { timeout: 30 },
  };
  const [provider, model] = $('aipuffer-preview-model').value.split('|');
  if (model) Object.assign(request, { provider, model });
  else Object.assign(request, { provider: 'aipuffer', model: { fast: 'aipuffer-fast-text', image: 'aipuffer-default-image' }[type] ?? 'aipuffer-default-text' });
  return request;
}

/** The request context of a call from the chosen caller: its main file is the one frame. */
function context() {
  const chosen = $('aipuffer-preview-caller').value;
  const caller = chosen === '' ? null : data.callers[Number(chosen)];
  return { ...data.context, frames: caller ? [caller] : [] };
}

/** The stored settings with the form's saved models and pins, as the settings screen would save them. */
function editedStored() {
  const stored = structuredClone(data.stored);
  const changed = (select) => select.value !== select.dataset.saved;
  for (const select of [...document.querySelectorAll('[data-saved-model]')].filter(changed)) {
    const provider = select.dataset.savedModel;
    stored.providers[provider] = { ...stored.providers[provider], model: select.value };
  }
  for (const select of [...document.querySelectorAll('[data-pin]')].filter(changed)) {
    const [connector, model] = select.value.split('|');
    stored.pins = { ...stored.pins, [select.dataset.pin]: model ? { connector, model } : null };
  }
  return stored;
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

/** An engine failure in the site's language when the page has its template, else the engine's English. */
function sentence(error) {
  const template = L.messages?.[error.reason];
  if (!template) return error.message;
  return Object.entries(error.params ?? {}).reduce((text, [name, value]) => text.replaceAll(`{${name}}`, () => String(value)), template);
}

function notice(kind, text) {
  return element('div', { class: `notice notice-${kind} inline` }, element('p', {}, text));
}

/** A party as the page names it: "Plugin: SEO Helper". */
const named = (party) => (L[`kind_${party.kind}`] ? format(L[`kind_${party.kind}`], party.name) : party.name);

function capLines(p) {
  if (!p.caps.applicable.length) return [L.no_caps];
  return p.caps.applicable.map((c) => {
    const lines = [format(L.cap_line, c.cap.caller ? L.cap_own : L.cap_all, L[c.cap.period], c.spent, c.limit, c.left)];
    lines.push(c.this_request === null ? L.cap_unknown : format(L.cap_this, c.this_request));
    if (c.refuses) lines.push(L.cap_refuses);
    else if (c.reached_after) lines.push(L.cap_after);
    return lines.join(' ');
  });
}

function approvalLines(p) {
  if (!p.approvals.guard_active) return [L.approvals_off];
  return p.approvals.parties.map((need) => {
    const who = need.role === 'gateway' ? format(L.as_gateway, named(need.party)) : named(need.party);
    return need.status === 'not_needed' ? format(L.not_needed, who) : format(L[need.status], who, p.connector);
  });
}

const list = (lines) => (lines.length === 1 ? lines[0] : element('ul', {}, lines.map((line) => element('li', {}, line))));

// Base64 (or a data: URL of it) longer than this is shortened for display.
const LONG = 120;
const BASE64 = /^(data:[\w/+.-]+;base64,)?[A-Za-z0-9+/=\s]+$/;

/** The body for reading: JSON indented, long base64 strings cut (the request itself keeps them whole). */
function displayBody(text) {
  let shortened = false;
  let shown = text;
  try {
    shown = JSON.stringify(JSON.parse(text), (key, value) => {
      if (typeof value !== 'string' || value.length <= LONG || !BASE64.test(value)) return value;
      shortened = true;
      return `${value.slice(0, 48)}${format(L.shortened, value.length.toLocaleString())}`;
    }, 2);
  } catch { /* not JSON: as it is */ }
  return { shown, shortened };
}

function show(step) {
  output.replaceChildren();
  if (data.cap_spend === null) output.append(notice('warning', L.no_spend));
  if (step.step !== 'done') {
    output.append(notice('error', `${L.error} ${step.error ? sentence(step.error) : step.step}`));
    return;
  }
  const p = step.result;
  const refusals = [p.approvals.refusal, p.caps.refusal].filter(Boolean);
  if (refusals.length) {
    output.append(element('div', { class: 'notice notice-warning inline aipuffer-preview-refusal' },
      element('p', {}, element('strong', {}, L.refused)), refusals.map((r) => element('p', {}, sentence(r)))));
  }
  const rows = [
    [L.served_by, `${p.provider} / ${p.model.id}`, 'target'],
    [L.why, p.route ? p.route.why.join(' ') : L.named, 'why'],
    [L.tokens, p.estimated_image_tokens ? format(L.tokens_value_images, p.estimated_usage.input, p.estimated_usage.output, p.estimated_image_tokens) : format(L.tokens_value, p.estimated_usage.input, p.estimated_usage.output), 'tokens'],
    [L.credits, `${p.estimated_credits} — ${p.rule_id === null ? L.no_rule : p.rule_id === 0 ? format(L.trial_rule, p.billing_method) : format(L.rule, p.rule_id, p.billing_method)}`, 'credits'],
    [L.usd, p.estimated_usd === null ? L.no_price : `$${p.estimated_usd} — ${format(L.price_entry, p.price_key)}`, 'usd'],
    [L.caller, p.caller ? named(p.caller) : L.wordpress, 'caller'],
    [L.caps, list(capLines(p)), 'caps'],
    [L.approvals, list(approvalLines(p)), 'approvals'],
  ];
  output.append(element('table', { class: 'widefat striped aipuffer-preview-result' },
    element('tbody', {}, rows.map(([label, value, key]) => element('tr', { 'data-field': key }, element('th', { scope: 'row' }, label), element('td', {}, value))))));
  output.append(element('h2', {}, L.request));
  let shortened = false;
  for (const request of p.requests) {
    const headers = Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`);
    if (request.credential?.placement === 'header') headers.push(`${request.credential.name}: ${request.credential.prefix ?? ''}•••• ${L.redacted}`);
    const body = displayBody(request.body);
    shortened ||= body.shortened;
    output.append(element('pre', { class: 'aipuffer-preview-request', 'data-url': request.url }, `${request.method} ${request.url}\n${headers.join('\n')}\n\n${body.shown}`));
  }
  if (shortened) output.append(element('p', { class: 'description aipuffer-preview-shortened' }, L.shortened_note));
}

/** Fills a select with `[value, label]` options, keeping `selected` chosen (added when not listed). */
function fill(select, options, selected) {
  if (selected && !options.some(([value]) => value === selected)) options = [...options, [selected, selected.replace('|', ' / ')]];
  select.replaceChildren(...options.map(([value, label]) => element('option', { value }, label)));
  select.value = selected ?? '';
  select.dataset.saved = select.value;
}

/** The form's settings inputs, from the prepared site (lists) and the stored settings (choices). */
function settingsForm(engine, site) {
  const connectors = Object.fromEntries(engine.manifest().connectors.map((c) => [c.id, c]));
  const configured = site.connectors.filter((c) => c.configured && connectors[c.id]);
  const pairs = (key) => configured.flatMap((c) => (c[key] ?? []).map((m) => [`${c.id}|${m.id}`, `${connectors[c.id].label} / ${m.id}`]));
  const pin = (kind) => (data.stored.pins?.[kind]?.model ? `${data.stored.pins[kind].connector}|${data.stored.pins[kind].model}` : '');
  for (const select of document.querySelectorAll('[data-pin]')) {
    fill(select, [['', L.inferred], ...pairs(select.dataset.pin === 'image' ? 'image_models' : 'models')], pin(select.dataset.pin));
  }
  const models = $('aipuffer-preview-saved-models');
  models.replaceChildren();
  for (const c of configured) {
    const provider = connectors[c.id].provider;
    const select = element('select', { 'data-saved-model': provider, id: `aipuffer-preview-saved-${c.id}` });
    fill(select, [['', '—'], ...(c.models ?? []).map((m) => [m.id, m.id])], String(data.stored.providers?.[provider]?.model ?? ''));
    models.append(element('label', {}, `${connectors[c.id].label} `, select));
  }
}

function showImage() {
  $('aipuffer-preview-image-thumb').src = `data:${attachedImage.mimeType};base64,${attachedImage.base64Data}`;
  $('aipuffer-preview-image-name').textContent = attachedImage.name === null ? L.sample_image : format(L.picked_image, attachedImage.name);
}

try {
  const engine = await import(data.engine);
  await engine.default({ module_or_path: data.wasm });
  const first = engine.prepare(data.stored);
  const callers = $('aipuffer-preview-caller');
  fill(callers, [['', L.wordpress], ...data.callers.map((caller, i) => [String(i), named({ ...caller, kind: caller.kind.replace('_', '-') })])], '');
  const models = $('aipuffer-preview-model');
  for (const connector of first.site.connectors) {
    for (const model of [...(connector.models ?? []), ...(connector.image_models ?? [])]) {
      if (connector.available && connector.id !== 'aipuffer') models.append(element('option', { value: `${connector.id}|${model.id}` }, `${connector.id} / ${model.id}`));
    }
  }
  settingsForm(engine, first.site);
  showImage();
  // The stored settings change only with the settings inputs: prepare again only then.
  let prepared = { key: JSON.stringify(data.stored), answer: first };
  const run = () => {
    $('aipuffer-preview-image').hidden = $('aipuffer-preview-type').value !== 'vision';
    const stored = editedStored();
    const key = JSON.stringify(stored);
    if (key !== prepared.key) prepared = { key, answer: engine.prepare(stored) };
    window.aipufferPreviewStored = stored;
    if (!prepared.answer.site) {
      output.replaceChildren(notice('error', `${L.bad_settings} ${prepared.answer.error ? sentence(prepared.answer.error) : ''}`));
      return;
    }
    const site = { ...prepared.answer.site, pricing_rules: data.pricing_rules, prices: data.prices };
    let input = { task: 'preview', site, call: call(), context: context(), locked: data.cap_spend ?? [] };
    const step = engine.advance(input);
    const pricedAs = step.step === 'done' ? step.result.priced_as : null;
    if ($('aipuffer-preview-rule-method').value && pricedAs) input = { ...input, site: withTrialRule(site, pricedAs) };
    // What the engine was given last, for anyone checking the page against another host.
    window.aipufferPreviewInput = input;
    show(input.site === site ? step : engine.advance(input));
  };
  const form = document.querySelector('.aipuffer-preview-form');
  form.addEventListener('input', run);
  $('aipuffer-preview-image-file').addEventListener('change', (event) => {
    const file = event.target.files?.[0];
    if (!file) return;
    // Read here, in the browser: the file is never uploaded anywhere.
    const reader = new FileReader();
    reader.onload = () => {
      const [, mimeType, base64Data] = /^data:([^;,]*);base64,(.*)$/s.exec(String(reader.result)) ?? [];
      if (base64Data === undefined) return;
      attachedImage = { mimeType: mimeType || file.type, base64Data, name: file.name };
      showImage();
      run();
    };
    reader.readAsDataURL(file);
  });
  $('aipuffer-preview-image-sample').addEventListener('click', () => {
    attachedImage = SAMPLE_IMAGE;
    $('aipuffer-preview-image-file').value = '';
    showImage();
    run();
  });
  $('aipuffer-preview-settings-reset').addEventListener('click', () => {
    settingsForm(engine, first.site);
    run();
  });
  run();
  const ready = Math.round(performance.now() - started);
  window.aipufferPreviewReadyMs = ready;
  output.append(element('p', { class: 'description aipuffer-preview-timing' }, format(L.ready, ready)));
} catch (error) {
  output.replaceChildren(notice('error', `${L.no_engine} ${error.message}`));
}
