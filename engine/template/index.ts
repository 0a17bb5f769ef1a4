export { Templar } from './templar.js';
export type { TemplateCallOptions } from './context.js';
export type { VarSource } from './python/values.js';
export { pythonRepr } from './python/repr.js';
export { ansibleTemplateVars } from './template-vars.js';
