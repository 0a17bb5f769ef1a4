import { runFamily } from './family.js';

runFamily('tests');
