// Forms generated from the field specs the server sends (next_steps[].fields, or a
// workflow definition's forms): label, help, required mark, the right input for the type,
// and the server's validation errors (422 violations) shown beside each field.
//
//   const form = buildForm({id: 'f1', fields, submitLabel, onSubmit: async (data) => api(...)});

import {ApiError} from './api.js';
import {fill, h, newId} from './dom.js';
import {fieldLabel, optionLabel, pick, t, L, today} from './i18n.js';

function inputFor(field, id, describedBy) {
  const common = {id, name: field.name, 'aria-describedby': describedBy, 'aria-required': field.required ? 'true' : null};
  switch (field.type) {
    case 'choice': {
      const select = h('select', common, h('option', {value: ''}, t('choose')));
      for (const o of field.options || []) select.append(h('option', {value: o.value}, optionLabel(field.name, o)));
      return select;
    }
    case 'boolean':
      return h('select', common, h('option', {value: ''}, t('choose')), h('option', {value: 'true'}, t('yes')),
               h('option', {value: 'false'}, t('no')));
    case 'date':
      return h('input', {...common, type: 'date', autocomplete: 'off'});
    case 'integer':
    case 'number':
      return h('input', {...common, type: 'number', inputmode: field.type === 'integer' ? 'numeric' : 'decimal',
                         step: field.type === 'integer' ? '1' : 'any', min: field.min, max: field.max});
    case 'list':
      // Known candidates (a page may add them, e.g. the cases that can join): pick several.
      if (field.candidates) {
        return h('select', {...common, multiple: true, size: Math.min(8, Math.max(3, field.candidates.length))},
          field.candidates.map((o) => h('option', {value: o.value}, o.text)));
      }
      return h('input', {...common, type: 'text', autocomplete: 'off'});
    default:
      if (/(^|_)(text|notes?|decision|rationale|address)$/.test(field.name)) return h('textarea', {...common, rows: 3});
      return h('input', {...common, type: field.name === 'phone' ? 'tel' : 'text',
                         autocomplete: field.personal ? 'off' : null});
  }
}

// The form's values typed as the API expects; empty optional fields are left out.
function collect(form, fields) {
  const data = {};
  for (const f of fields) {
    const el = form.elements.namedItem(f.name);
    if (!el) continue;
    if (el.multiple) {
      const picked = [...el.selectedOptions].map((o) => o.value);
      if (picked.length) data[f.name] = picked;
      continue;
    }
    const raw = String(el.value ?? '').trim();
    if (raw === '') continue;
    switch (f.type) {
      case 'integer': data[f.name] = Number.isFinite(Number(raw)) ? Number(raw) : raw; break;
      case 'number': data[f.name] = Number.isFinite(Number(raw.replace(',', '.'))) ? Number(raw.replace(',', '.')) : raw; break;
      case 'boolean': data[f.name] = raw === 'true'; break;
      case 'list': data[f.name] = raw.split(',').map((x) => x.trim()).filter(Boolean); break;
      default: data[f.name] = raw;
    }
  }
  return data;
}

// Finds the field a violation names ("given_on", "data.given_on", "disability.seeing").
function fieldOf(violation, fields) {
  const name = String(violation.field || '');
  if (!name) return null;
  const exact = fields.find((f) => f.name === name);
  if (exact) return exact;
  const tail = name.split('.').pop();
  return fields.find((f) => f.name === tail || name.endsWith(`.${f.name}`)) || null;
}

export function buildForm({fields, submitLabel, onSubmit, intro, prefill = {}, testId}) {
  const formId = newId('form');
  const summary = h('div', {class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true});
  const form = h('form', {class: 'generated', novalidate: true, 'data-testid': testId}, summary, intro);
  const errors = new Map();  // field name → its error element

  for (const f of fields) {
    if (f.type === 'object') continue;  // nested structures are not asked for in a form
    const id = `${formId}-${f.name}`;
    const helpId = `${id}-help`;
    const errId = `${id}-error`;
    const listHint = f.type === 'list' && !f.candidates && !L(f.help);
    const pickHint = f.type === 'list' && f.candidates;
    const described = [L(f.help) ? helpId : '', listHint || pickHint ? `${id}-list` : '', errId].filter(Boolean).join(' ');
    const input = inputFor(f, id, described);
    if (prefill[f.name] !== undefined) input.value = prefill[f.name];
    else if (f.type === 'date' && f.required && /(_on|_date)$/.test(f.name) && f.name !== 'date_of_birth' &&
             !/created/.test(f.name)) {
      input.value = today();
    }
    if (f.type === 'choice' && f.required && (f.options || []).length === 1) input.value = f.options[0].value;
    const err = h('p', {class: 'field-error', id: errId, hidden: true});
    errors.set(f.name, err);
    form.append(h('div', {class: `field field-${f.type}`, 'data-field': f.name},
      h('label', {for: id}, fieldLabel(f),
        f.required ? h('span', {class: 'req', 'aria-hidden': 'true'}, ' *') : null,
        f.required ? h('span', {class: 'visually-hidden'}, ` (${t('required_mark')})`) : null,
        f.personal ? h('span', {class: 'badge badge-sealed'}, t('sealed_field')) : null),
      L(f.help) ? h('p', {class: 'help', id: helpId}, L(f.help)) : null,
      listHint ? h('p', {class: 'help', id: `${id}-list`}, t('list_hint')) : null,
      pickHint ? h('p', {class: 'help', id: `${id}-list`}, f.candidates.length ? t('pick_hint') : t('pick_none')) : null,
      input, err));
  }
  const button = h('button', {type: 'submit', class: 'primary'}, submitLabel || t('submit'));
  form.append(h('div', {class: 'actions'}, button));

  function clearErrors() {
    summary.hidden = true;
    fill(summary);
    for (const [name, err] of errors) {
      err.hidden = true;
      err.textContent = '';
      form.elements.namedItem(name)?.removeAttribute('aria-invalid');
    }
  }

  function showErrors(e) {
    const list = h('ul');
    let firstField = null;
    const violations = e.violations.length ? e.violations : [{field: '', message: e.detail || e.title}];
    for (const v of violations) {
      const f = fieldOf(v, fields);
      const message = pick(v.message || v.rule || e.detail);
      if (f && errors.has(f.name)) {
        const err = errors.get(f.name);
        err.hidden = false;
        err.textContent = err.textContent ? `${err.textContent} ${message}` : message;
        const input = form.elements.namedItem(f.name);
        input?.setAttribute('aria-invalid', 'true');
        firstField ||= input;
        list.append(h('li', {}, h('a', {href: `#${input?.id || ''}`, onclick: (ev) => { ev.preventDefault(); input?.focus(); }},
                                    `${fieldLabel(f)} : ${message}`)));
      } else {
        list.append(h('li', {}, message));
      }
    }
    fill(summary, h('p', {class: 'error-title'}, pick(e.title) || t('form_errors')), list);
    summary.hidden = false;
    (firstField || summary).focus();
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (button.disabled) return;
    clearErrors();
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      await onSubmit(collect(form, fields));
    } catch (e) {
      if (e instanceof ApiError) showErrors(e);
      else showErrors({violations: [], title: t('error'), detail: String(e)});
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
  return form;
}
