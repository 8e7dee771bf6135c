// Building the page without a framework and without HTML strings: text is always text, so a party's
// name can never become markup.

/**
 * @param {string} tag
 * @param {Record<string, any> | null} [attrs]
 * @param {...any} children strings, nodes, arrays, or null/false (skipped)
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else if (k === 'value') /** @type {HTMLInputElement} */ (el).value = v;
      else if (k === 'checked') /** @type {HTMLInputElement} */ (el).checked = !!v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

/** @param {Node} el @param {any[]} children */
function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the content of `el`. @param {Element} el @param {...any} children */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

let uid = 0;
/** A fresh id for label/for pairs. */
export function nid(prefix = 'f') {
  return `${prefix}-${++uid}`;
}

/**
 * A labelled text field. `name` is the form field name.
 * @param {{label: string, name: string, value?: any, type?: string, required?: boolean, hint?: string, multiline?: boolean, inputmode?: string, autocomplete?: string, min?: any, max?: any, oninput?: (e: Event) => void}} o
 */
export function field(o) {
  const id = nid(o.name);
  const attrs = {
    id,
    name: o.name,
    required: o.required || null,
    inputmode: o.inputmode || null,
    autocomplete: o.autocomplete || 'off',
    min: o.min ?? null,
    max: o.max ?? null,
    'aria-describedby': o.hint ? id + '-hint' : null,
    oninput: o.oninput || null,
  };
  const input = o.multiline
    ? h('textarea', { ...attrs, rows: 4 }, o.value ?? '')
    : h('input', { ...attrs, type: o.type || 'text', value: o.value ?? '' });
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, o.label, o.required ? null : h('span', { class: 'opt' }, ' ')),
    o.hint ? h('p', { class: 'hint', id: id + '-hint' }, o.hint) : null,
    input,
    h('p', { class: 'field-error', id: id + '-err', role: 'alert' }),
  );
}

/**
 * Big choices as radio tiles (category, basis…).
 * @param {{legend: string, name: string, options: Array<{code: string, label: string}>, value?: string, required?: boolean, onchange?: (v: string) => void}} o
 */
export function choices(o) {
  return h(
    'fieldset',
    { class: 'choices' },
    h('legend', null, o.legend),
    o.options.map((opt) => {
      const id = nid(o.name);
      return h(
        'div',
        { class: 'choice' },
        h('input', {
          type: 'radio',
          id,
          name: o.name,
          value: opt.code,
          checked: o.value === opt.code,
          required: o.required || null,
          onchange: o.onchange ? () => o.onchange(opt.code) : null,
        }),
        h('label', { for: id }, opt.label),
      );
    }),
    h('p', { class: 'field-error', role: 'alert' }),
  );
}

/** The values of a form, as strings (checkboxes as booleans). @param {HTMLFormElement} form */
export function formValues(form) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const el of Array.from(form.elements)) {
    const e = /** @type {HTMLInputElement} */ (el);
    if (!e.name) continue;
    if (e.type === 'radio') {
      if (e.checked) out[e.name] = e.value;
      else if (!(e.name in out)) out[e.name] = '';
    } else if (e.type === 'checkbox') out[e.name] = e.checked;
    else out[e.name] = e.value;
  }
  return out;
}

/**
 * Shows per-field errors from a 422 problem (or local checks) next to their fields.
 * @param {HTMLFormElement} form @param {Array<{field: string, message: string}>} errors
 * @returns {boolean} whether any field was marked
 */
export function showFieldErrors(form, errors) {
  for (const p of Array.from(form.querySelectorAll('.field-error'))) p.textContent = '';
  for (const el of Array.from(form.querySelectorAll('[aria-invalid]'))) el.removeAttribute('aria-invalid');
  let first = null;
  for (const err of errors) {
    const el = /** @type {HTMLElement} */ (form.querySelector(`[name="${CSS.escape(err.field)}"]`));
    if (!el) continue;
    const box = el.closest('.field, .choices');
    const p = box?.querySelector('.field-error');
    if (p) p.textContent = err.message;
    el.setAttribute('aria-invalid', 'true');
    first = first || el;
  }
  if (first) first.focus();
  return !!first;
}
