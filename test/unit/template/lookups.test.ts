import { runFamily } from './family.js';

runFamily('lookups');
