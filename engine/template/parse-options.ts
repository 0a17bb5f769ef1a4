/** How a template's text is read: ansible's Jinja2 environment settings for one render. */
export interface ParseOptions {
  readonly trimBlocks: boolean;
  readonly lstripBlocks: boolean;
  readonly escapeBackslashes: boolean;
  /** The template module's block/variable/comment_start/end_string (nunjucks' lexer `tags`). */
  readonly delimiters?: Delimiters;
  /** Jinja2's line_statement_prefix / line_comment_prefix (a `#jinja2:` header). */
  readonly lineStatementPrefix?: string;
  readonly lineCommentPrefix?: string;
  /** Jinja2's newline_sequence: line ends in the template's own text become this. */
  readonly newlineSequence?: '\n' | '\r' | '\r\n';
  /** Jinja2's keep_trailing_newline: the source's last newline is not dropped. */
  readonly keepTrailingNewline?: boolean;
}

/** Jinja2's delimiter settings; a missing one keeps its default. */
export interface Delimiters {
  readonly blockStart?: string;
  readonly blockEnd?: string;
  readonly variableStart?: string;
  readonly variableEnd?: string;
  readonly commentStart?: string;
  readonly commentEnd?: string;
}
