import { runFamily } from './family.js';

runFamily('undefined');
