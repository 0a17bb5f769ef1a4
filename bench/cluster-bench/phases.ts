/** One play of the run, with its wall time (from the PLAY header to the next one). */
export interface Phase {
  readonly name: string;
  readonly seconds: number;
  readonly tasks: number;
}

/** Output chunks with the time they were written: plays and task headers are found in them. */
export class PhaseClock {
  private readonly marks: { at: number; line: string }[] = [];
  private readonly text: string[] = [];

  constructor(private readonly start = Date.now()) {}

  write(chunk: string): void {
    const at = Date.now();
    this.text.push(chunk);
    for (const line of chunk.split('\n')) if (/^(PLAY|TASK|RUNNING HANDLER) \[/.test(line) || /^PLAY RECAP/.test(line)) this.marks.push({ at, line });
  }

  output(): string {
    return this.text.join('');
  }

  /** Task headers printed (tasks and handlers that ran on at least one host, as the report shows them). */
  taskCount(): number {
    return this.marks.filter((m) => !m.line.startsWith('PLAY')).length;
  }

  phases(end = Date.now()): Phase[] {
    const plays = this.marks.map((m, i) => ({ ...m, i })).filter((m) => m.line.startsWith('PLAY [') );
    return plays.map((p, k) => {
      const next = plays[k + 1];
      const stop = next ? next.at : (this.marks.find((m) => m.line.startsWith('PLAY RECAP'))?.at ?? end);
      const tasks = this.marks.slice(p.i + 1, next ? next.i : undefined).filter((m) => !m.line.startsWith('PLAY')).length;
      return { name: p.line.replace(/^PLAY \[(.*)\].*$/, '$1'), seconds: (stop - (k === 0 ? this.start : p.at)) / 1000, tasks };
    });
  }
}
