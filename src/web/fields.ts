/**
 * Form controls with their labels and errors: every control has a visible label, and a field's error sits
 * right under its label, tied to the control with aria-describedby and aria-invalid. Also reads the posted
 * form (urlencoded) into plain strings.
 * See: https://www.w3.org/WAI/tutorials/forms/notifications/
 */
import { html, type Html } from './html';
import type { NumberRule } from './numbers';

/** A posted form: field name -> the text sent (repeated or non-text fields are left out). */
export type FormValues = Readonly<Record<string, string>>;
/** Field name -> the message shown beside that field. */
export type FieldErrors = Readonly<Record<string, string>>;

export interface NumberFieldSpec {
  name: string;
  label: string;
  rule: NumberRule;
  hint?: string;
}

/** The text fields of a parsed urlencoded body, query or path parameters (repeated or nested values left out). */
export function formValues(body: unknown): FormValues {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** What the control's aria-describedby lists, and the ids it needs. */
function described(id: string, hint: string | undefined, error: string | undefined): string | undefined {
  const ids = [hint !== undefined ? `${id}-hint` : undefined, error !== undefined ? `${id}-error` : undefined].filter((x) => x !== undefined);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function hintAndError(id: string, hint: string | undefined, error: string | undefined): Html {
  return html`${hint !== undefined ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}${
    error !== undefined ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">Error: </span>${error}</p>` : ''
  }`;
}

const attr = (name: string, value: string | undefined): Html => (value === undefined ? html`` : html` ${name}="${value}"`);

/** A labelled text input for a number (inputmode shows a number pad; the server checks what was typed). */
export function numberField(spec: NumberFieldSpec, o: { id: string; value?: string; error?: string }): Html {
  const mode = spec.rule.kind === 'integer' ? 'numeric' : 'decimal';
  const describedBy = described(o.id, spec.hint, o.error);
  return html`<div class="field${o.error !== undefined ? ' field--error' : ''}">
<label for="${o.id}">${spec.label}</label>
${hintAndError(o.id, spec.hint, o.error)}<input type="text" id="${o.id}" name="${spec.name}" inputmode="${mode}" autocomplete="off" value="${o.value ?? ''}"${
    spec.rule.required === true ? html` required` : ''
  }${o.error !== undefined ? html` aria-invalid="true"` : ''}${attr('aria-describedby', describedBy)}>
</div>`;
}

/** A labelled select; `value` marks the chosen option. */
export function selectField(o: { id: string; name: string; label: string; options: { value: string; text: string }[]; value?: string; error?: string; hint?: string }): Html {
  const describedBy = described(o.id, o.hint, o.error);
  return html`<div class="field${o.error !== undefined ? ' field--error' : ''}">
<label for="${o.id}">${o.label}</label>
${hintAndError(o.id, o.hint, o.error)}<select id="${o.id}" name="${o.name}" required${o.error !== undefined ? html` aria-invalid="true"` : ''}${attr('aria-describedby', describedBy)}>
${o.options.map((opt) => html`<option value="${opt.value}"${opt.value === o.value ? html` selected` : ''}>${opt.text}</option>`)}
</select>
</div>`;
}

/** A labelled textarea. */
export function textareaField(o: { id: string; name: string; label: string; value?: string; error?: string; hint?: string; minLength: number; maxLength: number }): Html {
  const describedBy = described(o.id, o.hint, o.error);
  return html`<div class="field${o.error !== undefined ? ' field--error' : ''}">
<label for="${o.id}">${o.label}</label>
${hintAndError(o.id, o.hint, o.error)}<textarea id="${o.id}" name="${o.name}" rows="3" required minlength="${o.minLength}" maxlength="${o.maxLength}"${
    o.error !== undefined ? html` aria-invalid="true"` : ''
  }${attr('aria-describedby', describedBy)}>${o.value ?? ''}</textarea>
</div>`;
}

export function hiddenField(name: string, value: string): Html {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

/** A message for the whole form (not one field), announced when the page loads with it. */
export function formError(id: string, message: string | undefined): Html {
  return message === undefined ? html`` : html`<p class="form-error" id="${id}" role="alert">${message}</p>`;
}
