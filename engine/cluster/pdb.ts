/**
 * Which PodDisruptionBudgets would block draining some nodes, decided on the controller from
 * `kubectl get pdb -A -o json` and `kubectl get pods -A -o json`: a budget that allows no
 * disruption now (status.disruptionsAllowed 0) and selects a pod running on one of the nodes
 * makes `kubectl drain` retry its eviction until --timeout (Kubespray then leaves the node
 * cordoned and the cluster half-upgraded, kubespray#8093).
 */
type Labels = Readonly<Record<string, string>>;

interface Requirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

interface Selector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly Requirement[];
}

interface Pdb {
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec?: { readonly selector?: Selector | null };
  readonly status?: { readonly disruptionsAllowed?: number };
}

interface Pod {
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Labels };
  readonly spec?: { readonly nodeName?: string };
  readonly status?: { readonly phase?: string };
}

export interface BlockingPdb {
  /** namespace/name of the budget. */
  readonly pdb: string;
  /** namespace/name of each pod it protects on the nodes, with the node. */
  readonly pods: readonly { readonly pod: string; readonly node: string }[];
}

function requirementHolds(r: Requirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, r.key);
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': return has && values.includes(labels[r.key]!);
    case 'NotIn': return !has || !values.includes(labels[r.key]!);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    default: return false;
  }
}

/** Like apimachinery's LabelSelectorAsSelector: an empty selector on a PDB selects every pod of its namespace. */
export function selects(selector: Selector | null | undefined, labels: Labels): boolean {
  if (!selector) return false;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return byLabel && (selector.matchExpressions ?? []).every((r) => requirementHolds(r, labels));
}

const done = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** kubectl's `-o json` list: its text, or the object ansible-style templating made of it. */
function items<T>(list: unknown): T[] {
  const obj = (typeof list === 'string' ? JSON.parse(list) : list ?? {}) as { items?: T[] };
  return obj.items ?? [];
}

export function blockingPdbs(pdbJson: unknown, podsJson: unknown, nodes: readonly string[]): BlockingPdb[] {
  const pdbs = items<Pdb>(pdbJson);
  const pods = items<Pod>(podsJson)
    .filter((p) => nodes.includes(p.spec?.nodeName ?? '') && !done(p));
  const out: BlockingPdb[] = [];
  for (const b of pdbs) {
    if ((b.status?.disruptionsAllowed ?? 0) > 0) continue;
    const hit = pods.filter((p) => p.metadata.namespace === b.metadata.namespace && selects(b.spec?.selector, p.metadata.labels ?? {}));
    if (hit.length > 0) {
      out.push({
        pdb: `${b.metadata.namespace}/${b.metadata.name}`,
        pods: hit.map((p) => ({ pod: `${p.metadata.namespace}/${p.metadata.name}`, node: p.spec?.nodeName ?? '' })),
      });
    }
  }
  return out;
}
