import { runFamily } from './family.js';

runFamily('filters-ansible-core');
