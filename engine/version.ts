/** tsplay's version (package.json's), printed by --version. */
export const TSPLAY_VERSION = '0.1.0';
