import { TemplateError } from '../../errors/index.js';
import { toBool } from '../filters/core.js';
import { isMapping, mappingGet } from '../python/values.js';
import type { TestFn } from '../runtime.js';

/** Task result tests (register'd results): they need a dict, like ansible's. */
function flag(name: string, key: string, negate = false): TestFn {
  return (result) => {
    if (!isMapping(result)) throw new TemplateError(`The '${name}' test expects a dictionary`);
    const v = toBool(mappingGet(result, key).value ?? false);
    return negate ? !v : v;
  };
}

export const resultTests: Record<string, TestFn> = {
  failed: flag('failed', 'failed'),
  failure: flag('failed', 'failed'),
  succeeded: flag('succeeded', 'failed', true),
  success: flag('succeeded', 'failed', true),
  successful: flag('succeeded', 'failed', true),
  changed: flag('changed', 'changed'),
  change: flag('changed', 'changed'),
  skipped: flag('skipped', 'skipped'),
  skip: flag('skipped', 'skipped'),
  unreachable: flag('unreachable', 'unreachable'),
  reachable: flag('reachable', 'unreachable', true),
};
