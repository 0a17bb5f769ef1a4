import { expect, test } from 'vitest';
import { Templar } from '../../../engine/template/index.js';
import { varsOf } from './helpers.js';

// Speed guards: a plain string never reaches nunjucks, and a compiled template is reused.
test('plain strings and cached templates are cheap', () => {
  const t = new Templar();
  const vars = varsOf({ n: 1, name: 'node1', l: [1, 2, 3] });
  const args = { cmd: 'kubeadm init --config /etc/kubernetes/kubeadm.yaml', creates: '/etc/kubernetes/admin.conf' };
  let start = performance.now();
  for (let i = 0; i < 20000; i++) t.template(args, vars);
  const plainUs = ((performance.now() - start) * 1000) / 20000;
  start = performance.now();
  for (let i = 0; i < 5000; i++) t.template('{{ name }}-{{ l | map("string") | join(",") }}', vars);
  const cachedUs = ((performance.now() - start) * 1000) / 5000;
  console.log(`plain dict: ${plainUs.toFixed(2)} us, cached template: ${cachedUs.toFixed(2)} us`);
  expect(plainUs).toBeLessThan(20);
  expect(cachedUs).toBeLessThan(200);
});
