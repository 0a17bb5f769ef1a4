import { runFamily } from './family.js';

runFamily('syntax', ['syntax error', 'unknown filter']);
