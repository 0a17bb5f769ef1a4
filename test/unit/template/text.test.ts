import { runFamily } from './family.js';

runFamily('text');
