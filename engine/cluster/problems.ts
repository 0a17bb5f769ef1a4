/** One thing wrong with an inventory: which variable (or group), what, and how to fix it. */
export interface Problem {
  /** Variable name, or `[group]` for an inventory group. */
  readonly subject: string;
  readonly message: string;
  readonly hint?: string;
}

export const problem = (subject: string, message: string, hint?: string): Problem => ({ subject, message, hint });
