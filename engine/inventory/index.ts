/** tsplay's inventory: ansible-core 2.14 compatible parsing, layering, patterns and display. */
export type { Inventory, InventoryGroup, InventoryHost, VarsFile, VarsFolders, VarsFromSource } from './model.js';
export { loadInventory, type LoadInventoryOptions } from './load.js';
export { loadVarsFolders, varsFilesFor } from './vars-folders.js';
export { foldVarLayers, hostGroupOrder, inventoryVarLayers, sortGroups, type InventoryLayerName, type VarLayer } from './layers.js';
export { applyLimit, groupHosts, groupsMagicVar, selectHosts, splitHostPattern } from './patterns.js';
export { inventoryGraph, inventoryList, toAnsibleJson, type InventoryListing } from './display.js';
export { withAddedHost, withGroup } from './runtime.js';
