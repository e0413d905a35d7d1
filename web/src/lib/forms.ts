/*
 * Form helpers: validate with the API's own zod schemas (from @kefalet/events), turn issues and
 * problem+json field reasons into per-field messages, and move focus to the first field in error.
 */
import { tick } from 'svelte';
import type { ApiError } from './api';
import { issueMessage, reasonMessage, type FieldMessages, type SchemaIssue } from './i18n';

/** The part of a zod schema we use; any zod schema fits. */
export interface SafeParser<T> {
  safeParse(
    input: unknown,
  ):
    | { readonly success: true; readonly data: T }
    | { readonly success: false; readonly error: { readonly issues: readonly SchemaIssue[] } };
}

export type Validated<T> =
  { readonly ok: true; readonly data: T } | { readonly ok: false; readonly errors: FieldMessages };

/** Runs the shared schema; the first issue of each field becomes that field's message. */
export function validate<T>(schema: SafeParser<T>, input: unknown): Validated<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldMessages = {};
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.') || '(body)';
    errors[field] ??= issueMessage(issue);
  }
  return { ok: false, errors };
}

/** Field-level reasons of a problem+json answer, as messages by field. */
export function serverFieldMessages(error: ApiError): FieldMessages {
  const out: FieldMessages = {};
  for (const { field, reason } of error.fieldReasons) out[field] ??= reasonMessage(reason);
  return out;
}

/** Field ids are `${prefix}-${field}`; focuses the first field of `order` that has a message. */
export async function focusFirstError(
  prefix: string,
  order: readonly string[],
  errors: FieldMessages,
): Promise<void> {
  await tick();
  const first = order.find((field) => errors[field]);
  if (!first) return;
  const element = document.getElementById(`${prefix}-${first}`);
  if (element instanceof HTMLElement) element.focus();
}

/** Removes spaces, dashes and brackets people type into numbers (phone, VKN, TCKN). */
export function digitsOnly(text: string): string {
  return text.replace(/[\s\-().]/g, '');
}
