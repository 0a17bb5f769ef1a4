import { runFamily } from './family.js';

runFamily('filters-datetime');
