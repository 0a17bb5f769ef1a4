import { createPrivateKey, type KeyObject } from 'node:crypto';
import { generateRsaKey } from './keys.js';
import { renderKubeconfig } from './kubeconfig.js';
import type { ClusterPki, FileWrite, IssueJob, PkiPlan, SharedPki } from './plan-types.js';
import { sanSet } from './sans.js';
import { BACKDATE_MS, CA_SPECS, DAY_MS, type CaName } from './spec.js';
import { issueCert } from './x509.js';

export interface Validity {
  readonly caValidityDays: number;
  readonly certValidityDays: number;
}

/** kubeadm: NotBefore = now - 5 min, NotAfter = now + validity. */
export function validityWindow(now: Date, days: number): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: new Date(now.getTime() + days * DAY_MS) };
}

/** The per-cluster material: the three CAs and the service-account key pair, keys generated in parallel. */
export async function generateShared(v: Validity, now: Date): Promise<SharedPki> {
  const [sa, ...caKeys] = await Promise.all([generateRsaKey(), ...CA_SPECS.map(() => generateRsaKey())]);
  const cas = new Map<CaName, { certPem: string; keyPem: string }>();
  CA_SPECS.forEach((spec, i) => {
    const key = caKeys[i];
    if (!key) throw new Error('internal: missing CA key');
    const certPem = issueCert(
      { cn: spec.cn, org: [], sans: sanSet([spec.cn]), ekus: [], isCa: true, publicPem: key.publicPem, ...validityWindow(now, v.caValidityDays) },
      { selfKey: key.privateKey },
    );
    cas.set(spec.name, { certPem, keyPem: key.privatePem });
  });
  if (!sa) throw new Error('internal: missing SA key');
  return { cas, sa: { keyPem: sa.privatePem, pubPem: sa.publicPem } };
}

/** Turns a plan into the exact files to write: the plan's copies plus one new key + cert per job. */
export async function materialize(plan: PkiPlan, cluster: Pick<ClusterPki, 'certValidityDays'>, now: Date): Promise<FileWrite[]> {
  const signers = new Map<CaName, { certPem: string; key: KeyObject }>();
  for (const [name, ca] of plan.cas) if (ca.keyPem !== undefined) signers.set(name, { certPem: ca.certPem, key: createPrivateKey(ca.keyPem) });
  const issued = await Promise.all(plan.jobs.map((job) => issueJob(job, signers, cluster.certValidityDays, now)));
  return [...plan.writes, ...issued.flat()];
}

async function issueJob(job: IssueJob, signers: ReadonlyMap<CaName, { certPem: string; key: KeyObject }>, days: number, now: Date): Promise<FileWrite[]> {
  const signer = signers.get(job.ca);
  if (!signer) throw new Error(`internal: no key for ${job.ca} to issue ${job.name}`);
  const key = await generateRsaKey();
  const certPem = issueCert({ ...job.want, isCa: false, publicPem: key.publicPem, ...validityWindow(now, days) }, signer);
  const reason = job.reason === 'missing' ? 'created' : `reissued: ${job.reason}`;
  const out = job.output;
  switch (out.kind) {
    case 'pair':
      return [
        { path: out.certPath, content: certPem, mode: 0o644, reason },
        { path: out.keyPath, content: key.privatePem, mode: 0o600, reason },
      ];
    case 'kubeconfig': {
      const content = renderKubeconfig({ clusterName: out.clusterName, server: out.server, caPem: signer.certPem, userName: job.want.cn, certPem, keyPem: key.privatePem });
      return [{ path: out.path, content, mode: 0o600, reason }];
    }
  }
}
