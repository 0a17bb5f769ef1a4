import { sh } from '../../transport/shell.js';

/** What wait_for waits for, decided on the controller; the polling runs on the host. */
export type WaitTarget =
  | { readonly kind: 'port'; readonly host: string; readonly port: number; readonly state: 'started' | 'stopped' | 'drained'; readonly regex?: string; readonly connectTimeout: number }
  | { readonly kind: 'path'; readonly path: string; readonly state: 'present' | 'absent'; readonly regex?: string }
  | { readonly kind: 'sleep' };

export const WAIT_OK = '@@TSPLAY-WAIT-OK';
export const WAIT_TIMEOUT = '@@TSPLAY-WAIT-TIMEOUT';

/** A bash function `ready` that succeeds when the target is in the wanted state. */
function readyFn(t: WaitTarget): string {
  switch (t.kind) {
    case 'sleep':
      return 'ready() { return 1; }';
    case 'path': {
      const p = t.path;
      if (t.state === 'absent') return sh`ready() { ! [ -e ${p} ]; }`;
      return t.regex === undefined ? sh`ready() { [ -e ${p} ]; }` : sh`ready() { [ -r ${p} ] && grep -qP -- ${t.regex} ${p}; }`;
    }
    case 'port': {
      const dev = `/dev/tcp/${t.host}/${t.port}`;
      const connect = sh`timeout ${t.connectTimeout} bash -c ${sh`exec 3<>${dev}`} 2>/dev/null`;
      if (t.state === 'stopped') return `ready() { ! ${connect}; }`;
      if (t.state === 'drained') {
        // ESTABLISHED (01) connections whose local port is PORT, from /proc like ss would show
        const hex = t.port.toString(16).toUpperCase().padStart(4, '0');
        return `ready() { [ "$(cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$2 ~ /:${hex}$/ && $4 == "01"' | wc -l)" = 0 ]; }`;
      }
      if (t.regex === undefined) return `ready() { ${connect}; }`;
      const read = sh`exec 3<>${dev}; timeout ${t.connectTimeout} cat <&3`;
      return sh`ready() { timeout ${t.connectTimeout} bash -c ${read} 2>/dev/null | grep -qP -- ${t.regex}; }`;
    }
  }
}

/**
 * The whole wait as ONE bash script on the host: delay, then poll `ready` every `sleep`
 * seconds until it succeeds or `timeout` (counted from the start, delay included, like
 * ansible) runs out. Prints a marker line with the elapsed whole seconds.
 */
export function waitScript(t: WaitTarget, o: { delay: number; timeout: number; sleep: number }): string {
  const body = [
    readyFn(t),
    // whole seconds floored from nanoseconds, like python's timedelta.seconds (bash's SECONDS
    // ticks on wall-clock second boundaries and would report 1 for a 10 ms wait)
    'start=$(date +%s%N)', 'elapsed() { echo $(( ($(date +%s%N) - start) / 1000000000 )); }',
    o.delay > 0 ? `sleep ${o.delay}` : '',
    t.kind === 'sleep' ? `sleep ${o.timeout}; echo "${WAIT_OK} $(elapsed)"; exit 0` : '',
    'while :; do',
    `  if ready; then echo "${WAIT_OK} $(elapsed)"; exit 0; fi`,
    `  if [ "$(elapsed)" -ge ${o.timeout} ]; then echo "${WAIT_TIMEOUT} $(elapsed)"; exit 0; fi`,
    `  sleep ${o.sleep}`,
    'done',
  ].filter((l) => l !== '').join('\n');
  return sh`bash -c ${body}`;
}
