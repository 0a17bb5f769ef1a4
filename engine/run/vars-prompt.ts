import { TsplayError } from '../errors/index.js';
import type { Play, RawVars } from '../model/types.js';
import type { Playbook } from '../model/types.js';
import type { Templar } from '../template/index.js';
import type { LazyVars } from '../vars/var-source.js';
import type { RunContext } from './context.js';
import { toBool } from '../python/boolean.js';
import { cryptHash, isSupportedScheme } from '../template/filters/password-hash.js';

/** One vars_prompt entry, like ansible's PlaybookExecutor reads it. */
interface PromptSpec {
  readonly name: string;
  readonly prompt: string;
  readonly default?: unknown;
  readonly private: boolean;
  readonly confirm: boolean;
  readonly encrypt?: string;
  readonly salt?: string;
  readonly saltSize?: number;
}

function specs(play: Play): PromptSpec[] {
  return play.varsPrompt.map((raw) => {
    const r = raw as Record<string, unknown>;
    if (r === null || typeof r !== 'object' || typeof r.name !== 'string' || r.name === '') {
      throw new TsplayError('vars_prompt', "Invalid vars_prompt data structure, missing 'name' key", { where: play.loc, hint: 'vars_prompt:\n  - name: answer\n    prompt: What is it?' });
    }
    return {
      name: r.name,
      prompt: r.prompt === undefined || r.prompt === null ? r.name : String(r.prompt),
      ...(r.default === undefined || r.default === null ? {} : { default: r.default }),
      private: r.private === undefined ? true : toBool(r.private),
      confirm: r.confirm === undefined ? false : toBool(r.confirm),
      ...(r.encrypt === undefined || r.encrypt === null ? {} : { encrypt: String(r.encrypt) }),
      ...(r.salt === undefined || r.salt === null ? {} : { salt: String(r.salt) }),
      ...(r.salt_size === undefined || r.salt_size === null ? {} : { saltSize: Number(r.salt_size) }),
    };
  });
}

/** Like ansible: a variable given with -e is never prompted for. */
function pending(run: RunContext, play: Play): PromptSpec[] {
  return specs(play).filter((s) => !(s.name in run.options.extraVars));
}

function refuseEncrypt(s: PromptSpec, play: Play): void {
  if (s.encrypt === undefined || isSupportedScheme(s.encrypt)) return;
  throw new TsplayError('vars_prompt', `vars_prompt '${s.name}': encrypt: ${s.encrypt} is not supported (tsplay hashes sha512_crypt and sha256_crypt)`, {
    where: play.loc,
    hint: `use encrypt: sha512_crypt, or pass the hash itself with -e ${s.name}=HASH`,
  });
}

/** Like ansible's do_encrypt: the answer (or default) hashed with crypt's scheme and salt. */
function finish(s: PromptSpec, value: string): string {
  return s.encrypt === undefined ? value : cryptHash(value, s.encrypt, s.salt, s.saltSize);
}

/**
 * Before any play runs and any host is touched: without a terminal every prompt must be
 * answered by -e or a default. Unlike ansible (a warning, then the string "None"), a prompt
 * nothing can answer stops the run: a password of "None" or a silently skipped confirmation
 * is worse than an error.
 */
export function checkPromptsAnswerable(run: RunContext, playbooks: readonly Playbook[]): void {
  for (const play of playbooks.flatMap((pb) => pb.plays)) {
    for (const s of pending(run, play)) {
      refuseEncrypt(s, play);
      if (run.ask !== undefined || s.default !== undefined) continue;
      throw new TsplayError('vars_prompt', `vars_prompt '${s.name}' ("${s.prompt}") needs an answer, but stdin is not a terminal`, {
        where: play.loc,
        hint: `pass it with -e ${s.name}=VALUE, give the prompt a default, or run from a terminal`,
      });
    }
  }
}

async function askOne(run: RunContext, s: PromptSpec, question: string): Promise<string | undefined> {
  const ask = run.ask!;
  for (;;) {
    const first = await ask(question, { echo: !s.private });
    if (!s.confirm || first === undefined) return first;
    const second = await ask(`confirm ${question}`, { echo: !s.private });
    if (first === second) return first;
    run.emit({ kind: 'warning', message: '***** VALUES ENTERED DO NOT MATCH ****' });
  }
}

/**
 * The answers of one play's vars_prompt (templated with play vars and extra vars, like ansible),
 * asked at the start of the play. Without a terminal the default is taken (with ansible's warning).
 */
export async function answerPrompts(run: RunContext, play: Play, vars: LazyVars, templar: Templar): Promise<RawVars> {
  const out: Record<string, unknown> = {};
  for (const s of pending(run, play)) {
    const dflt = s.default === undefined ? undefined : templar.template(s.default, vars, { where: play.loc });
    const prompt = String(templar.template(s.prompt, vars, { where: play.loc }));
    if (run.ask === undefined) {
      run.emit({ kind: 'warning', message: 'Not prompting as we are not in interactive mode' });
      out[s.name] = finish(s, String(dflt));
      continue;
    }
    const answer = await askOne(run, s, dflt === undefined ? `${prompt}: ` : `${prompt} [${String(dflt)}]: `);
    // a private answer is a password: no output of the run shows it (ansible would print it)
    if (s.private && answer) run.vault?.markSecret(answer);
    // like ansible's do_var_prompt: an empty answer takes the default; the value is a string
    out[s.name] = finish(s, answer === undefined || answer === '' ? (dflt === undefined ? '' : String(dflt)) : answer);
  }
  return out;
}
