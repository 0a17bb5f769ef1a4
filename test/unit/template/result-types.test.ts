import { runFamily } from './family.js';

runFamily('result-types');
