import type { SourceLoc } from '../types/source.js';

export interface TsplayErrorInit {
  readonly where?: SourceLoc;
  readonly hint?: string;
  readonly cause?: unknown;
}

/**
 * The one error type for user-facing failures. Thrown where detected, printed once by cli/.
 * A TsplayError is a user mistake or an environment problem: the CLI prints it without a
 * stack trace. Anything else reaching the CLI is an internal bug and keeps its stack.
 */
export class TsplayError extends Error {
  readonly code: string;
  readonly where?: SourceLoc;
  readonly hint?: string;
  constructor(code: string, message: string, init: TsplayErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'TsplayError';
    this.code = code;
    this.where = init.where;
    this.hint = init.hint;
  }
}

/** YAML/INI syntax problems and unknown keywords: ansible-playbook exits 4 for these. */
export class ParseError extends TsplayError {
  constructor(message: string, init: TsplayErrorInit = {}) {
    super('parse', message, init);
    this.name = 'ParseError';
  }
}

/** Bad command-line options or configuration: exit 5 like ansible-playbook. */
export class OptionError extends TsplayError {
  constructor(message: string, init: TsplayErrorInit = {}) {
    super('option', message, init);
    this.name = 'OptionError';
  }
}

/** A Jinja2 expression failed (syntax, filter error). */
export class TemplateError extends TsplayError {
  constructor(message: string, init: TsplayErrorInit = {}) {
    super('template', message, init);
    this.name = 'TemplateError';
  }
}

/** Like ansible: "'foo' is undefined". Carries the variable name for messages and `default`. */
export class UndefinedVariableError extends TemplateError {
  readonly variable: string;
  constructor(variable: string, init: TsplayErrorInit = {}) {
    super(`'${variable}' is undefined`, init);
    this.name = 'UndefinedVariableError';
    this.variable = variable;
  }
}

/** Module arguments that do not match the module's schema. */
export class ModuleArgsError extends TsplayError {
  constructor(message: string, init: TsplayErrorInit = {}) {
    super('module-args', message, init);
    this.name = 'ModuleArgsError';
  }
}

/**
 * A module's own failure: a bad argument value or a failed operation, like ansible's
 * module.fail_json. The task runner turns it into a failed result of that task (or loop item)
 * with this message and these fields; `ignore_errors` applies and the run goes on. A plain
 * Error thrown by a module stays what it is: a bug (exit 250 with a stack).
 */
export class ModuleFailure extends TsplayError {
  readonly fields: Readonly<Record<string, unknown>>;
  constructor(message: string, fields: Readonly<Record<string, unknown>> = {}, init: TsplayErrorInit = {}) {
    super('module-failure', message, init);
    this.name = 'ModuleFailure';
    this.fields = fields;
  }
}

/** The host could not be reached or dropped: the host becomes UNREACHABLE. */
export class UnreachableError extends TsplayError {
  constructor(message: string, init: TsplayErrorInit = {}) {
    super('unreachable', message, init);
    this.name = 'UnreachableError';
  }
}

/**
 * A remote command stopped on purpose: the task's `timeout:` passed or the user interrupted
 * the run. Its remote process group was killed; the caller words the failure.
 */
export class CancelledError extends TsplayError {
  constructor(message: string, init: TsplayErrorInit = {}) {
    super('cancelled', message, init);
    this.name = 'CancelledError';
  }
}

export function isTsplayError(e: unknown): e is TsplayError {
  return e instanceof TsplayError;
}

/** A vault could not be decrypted (wrong or missing password, damaged envelope): nothing runs. */
export class VaultError extends TsplayError {
  constructor(message: string, init: TsplayErrorInit = {}) {
    super('vault', message, init);
    this.name = 'VaultError';
  }
}
