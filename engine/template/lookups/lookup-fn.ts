import { TemplateError } from '../../errors/index.js';
import type { RenderInfo } from '../context.js';

/** Like ansible's AnsibleLookupError / AnsibleUndefinedVariable: reported as is, not wrapped. */
export class PlainLookupError extends TemplateError {}

/** A lookup plugin: terms and keyword options in, a list out (like ansible's run()). */
export type LookupFn = (terms: unknown[], kw: Record<string, unknown>, info: RenderInfo) => unknown[];
