import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The three writers under test and how each one's new content is known in advance. */
export type WriterName = 'copy' | 'template' | 'lineinfile';

export interface Payloads {
  /** copy src files A and B (distinct large blobs). */
  readonly copySrc: Record<'A' | 'B', string>;
  /** sha1 of what each writer leaves at its dest for version A or B. */
  readonly sha: Record<WriterName, Record<'A' | 'B', string>>;
  /** The lineinfile target's starting content (many lines, then "trial 0"). */
  readonly linesStart: Buffer;
}

export const DEST: Record<WriterName, string> = { copy: 'copy.bin', template: 'tmpl.txt', lineinfile: 'lines.txt' };

const sha1 = (b: Buffer | string): string => createHash('sha1').update(b).digest('hex');

function textBlock(bytes: number): string {
  const b64 = randomBytes(Math.ceil((bytes * 3) / 4)).toString('base64'); // no braces: safe in a template
  return `${b64.match(/.{1,76}/g)!.join('\n')}\n`;
}

/** Writes the controller-side files (sources, template, playbooks) into `dir`. */
export function preparePayloads(dir: string, sizes: { copy: number; template: number; lines: number }): Payloads {
  const copySrc = { A: join(dir, 'copy-A.bin'), B: join(dir, 'copy-B.bin') };
  const blobs = { A: randomBytes(sizes.copy), B: randomBytes(sizes.copy) };
  writeFileSync(copySrc.A, blobs.A);
  writeFileSync(copySrc.B, blobs.B);
  const tblock = textBlock(sizes.template);
  writeFileSync(join(dir, 'big.j2'), `trial {{ k }}\n${tblock}`);
  const lineCount = Math.floor(sizes.lines / 12);
  const base = Array.from({ length: lineCount }, (_, i) => `line ${i + 1}\n`).join('');
  const playbook = (task: string) => `- hosts: all\n  gather_facts: false\n  tasks:\n    - ${task}\n      become: "{{ b }}"\n`;
  writeFileSync(join(dir, 'copy.yml'), playbook('copy: { src: "{{ src }}", dest: "{{ dir }}/copy.bin" }'));
  writeFileSync(join(dir, 'template.yml'), playbook('template: { src: big.j2, dest: "{{ dir }}/tmpl.txt" }'));
  writeFileSync(join(dir, 'lineinfile.yml'), playbook(`lineinfile: { path: "{{ dir }}/lines.txt", regexp: '^trial ', line: "trial {{ k }}" }`));
  return {
    copySrc,
    linesStart: Buffer.from(`${base}trial 0\n`),
    sha: {
      copy: { A: sha1(blobs.A), B: sha1(blobs.B) },
      template: { A: sha1(`trial A\n${tblock}`), B: sha1(`trial B\n${tblock}`) },
      lineinfile: { A: sha1(`${base}trial A\n`), B: sha1(`${base}trial B\n`) },
    },
  };
}

/** The version to write next: whichever differs from what the dest holds now. */
export function nextVersion(p: Payloads, w: WriterName, current: string): 'A' | 'B' {
  return current === p.sha[w].A ? 'B' : 'A';
}

/** tsplay arguments for one write of `version` by writer `w` into `dir` on `host`. */
export function writeArgs(p: Payloads, w: WriterName, version: 'A' | 'B', host: string, dir: string, become: boolean): string[] {
  return [`${w}.yml`, '-l', host, '-e', `dir=${dir}`, '-e', `k=${version}`, '-e', `src=${p.copySrc[version]}`, '-e', `b=${become}`];
}
