// nunjucks' internal modules have no type declarations of their own; nunjucks-internals.ts
// gives their exports types at the one place they are imported.
declare module 'nunjucks/src/lexer.js' { const m: unknown; export default m; }
declare module 'nunjucks/src/parser.js' { const m: unknown; export default m; }
declare module 'nunjucks/src/compiler.js' { const m: unknown; export default m; }
declare module 'nunjucks/src/transformer.js' { const m: unknown; export default m; }
declare module 'nunjucks/src/nodes.js' { const m: unknown; export default m; }
declare module 'nunjucks/src/runtime.js' { const m: unknown; export default m; }
declare module 'nunjucks/src/lib.js' { const m: unknown; export default m; }
