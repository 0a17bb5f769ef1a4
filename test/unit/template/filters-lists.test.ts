import { runFamily } from './family.js';

runFamily('filters-lists');
