/**
 * Asks the user one question on the terminal (vars_prompt, pause, vault passwords). Resolves
 * undefined when there is no terminal to ask on: the caller decides what that means.
 */
export type Ask = (question: string, opts?: { readonly echo?: boolean }) => Promise<string | undefined>;
