import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../exec.js';

export interface MirrorTls {
  readonly caCert: string;
  readonly caPem: string;
  readonly cert: string;
  readonly key: string;
  /** A directory holding only ca.crt: skopeo takes any *.key there for a client key. */
  readonly caOnlyDir: string;
}

/**
 * The lab's own CA and the registry's server certificate (SAN = the mirror's address and
 * name), made with openssl like an operator would. Kept per lab in its state directory.
 */
export async function ensureMirrorTls(dir: string, labName: string, ip: string): Promise<MirrorTls> {
  await mkdir(join(dir, 'ca-only'), { recursive: true, mode: 0o700 });
  const p = (f: string): string => join(dir, f);
  if (!existsSync(p('ca.crt'))) {
    await run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', p('ca.key'),
      '-out', p('ca.crt'), '-days', '3650', '-subj', `/CN=tsplay lab ${labName} CA`], { what: 'cannot make the lab CA' });
  }
  if (!existsSync(p('registry.crt'))) {
    await writeFile(p('registry.ext'), `subjectAltName=IP:${ip},DNS:mirror\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n`);
    await run(['openssl', 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', p('registry.key'),
      '-out', p('registry.csr'), '-subj', `/CN=${ip}`], { what: 'cannot make the registry key' });
    await run(['openssl', 'x509', '-req', '-in', p('registry.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial',
      '-days', '825', '-out', p('registry.crt'), '-extfile', p('registry.ext')], { what: 'cannot sign the registry certificate' });
  }
  const caPem = await readFile(p('ca.crt'), 'utf8');
  await writeFile(join(dir, 'ca-only', 'ca.crt'), caPem);
  return { caCert: p('ca.crt'), caPem, cert: p('registry.crt'), key: p('registry.key'), caOnlyDir: join(dir, 'ca-only') };
}
