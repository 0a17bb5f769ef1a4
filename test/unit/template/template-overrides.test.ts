import { runFamily } from './family.js';

runFamily('template-overrides');
