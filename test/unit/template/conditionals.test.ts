import { runFamily } from './family.js';

runFamily('conditionals');
