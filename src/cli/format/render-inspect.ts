/** What `container inspect` and `image inspect` print, as docker prints it. */
import { compileTemplate, TemplateError, type Template } from './go-template';

export interface InspectOutput {
  text: string;
  /** One line for each item the template could not render. */
  errors: string[];
}

/**
 * `inspect`: the items as a JSON array indented 4 spaces; `--format json` compact on one line;
 * any other format a template run on each item. A template that does not parse throws (docker
 * exits 64); one that fails on an item is reported for it, the others still print.
 */
export function renderInspect(items: unknown[], format?: string): InspectOutput {
  if (format === undefined || format === '')
    return { text: `${JSON.stringify(items, null, 4)}\n`, errors: [] };
  if (format === 'json') return { text: `${JSON.stringify(items)}\n`, errors: [] };
  let template: Template;
  try {
    template = compileTemplate(format);
  } catch (err) {
    throw new TemplateError(`template parsing error: ${(err as Error).message}`, 64);
  }
  const lines: string[] = [];
  const errors: string[] = [];
  for (const item of items) {
    try {
      lines.push(`${template(item)}\n`);
    } catch (err) {
      errors.push(`template parsing error: ${(err as Error).message}`);
    }
  }
  return { text: lines.length > 0 ? lines.join('') : '\n', errors };
}
