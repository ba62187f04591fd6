/** Fills `{{contact.first_name}}`-style placeholders; unknown keys render as empty text, never as raw braces. */
export type PlaceholderValues = Record<string, string | number | null | undefined>;

export const fillPlaceholders = (template: string, values: PlaceholderValues) =>
  template.replace(/\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*\}\}/gi, (_, key: string) => String(values[key.toLowerCase()] ?? ''));

export const firstName = (fullName: string) => fullName.trim().split(/\s+/)[0] ?? '';
