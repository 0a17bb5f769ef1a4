import { runFamily } from './family.js';

runFamily('syntax');
