import { TsplayError } from '../errors/index.js';

/** A module's Python code cannot be packed (a module_utils import found nowhere): the task fails. */
export class ModulePackError extends TsplayError {
  constructor(message: string, file: string) {
    super('module-pack', message, { where: { file, line: 1, col: 1 }, hint: 'install the collection that provides it, or put it in a module_utils/ folder next to the playbook' });
    this.name = 'ModulePackError';
  }
}
