/** The local lab: hosts on a private bridge for tsplay to run against (see lab-notes.md). */
export { labUp } from './up.js';
export { labDown } from './down.js';
export { labStatus } from './status.js';
export type { LabHostStatus, LabStatus } from './status.js';
export { ensureLabPackages } from './packages.js';
export { runLabCommand } from './command.js';
export type { LabKind, LabOptions } from './options.js';
export type { LabHostState, LabState } from './state.js';
export { parseLabState, readLabState } from './state.js';
export { renderLabInventory, labGroups } from './inventory.js';
export { EXTRA_FILES_ROOT } from './mirror/index.js';
