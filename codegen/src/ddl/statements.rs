//! Splits a migration file into statements and sorts them into those that
//! change the model and those skipped knowingly.
//!
//! The whole file is tokenized once with sqlparser's PostgreSQL tokenizer, so
//! strings, comments and `$$` bodies never split a statement; psql
//! meta-commands (`\set`, `\i`, …) are blanked out first, keeping positions.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use crate::error::Position;

/// One statement: its tokens (without the closing `;`) with their positions.
pub(crate) struct Statement {
    pub tokens: Vec<TokenWithSpan>,
}

impl Statement {
    /// Upper-cased leading words, skipping whitespace and comments.
    pub fn leading_words(&self, n: usize) -> Vec<String> {
        self.tokens
            .iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_)))
            .take(n)
            .map(|t| match &t.token {
                Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_uppercase(),
                _ => String::new(),
            })
            .collect()
    }

    /// The first `n` significant tokens as written.
    pub fn leading_text(&self, n: usize) -> String {
        self.tokens
            .iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_)))
            .take(n)
            .map(|t| t.token.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Where the statement starts (its first significant token).
    pub fn start(&self) -> Position {
        self.tokens
            .iter()
            .find(|t| !matches!(t.token, Token::Whitespace(_)))
            .map_or(
                Position {
                    line: 1,
                    column: 1,
                    width: 1,
                },
                |t| span_position(t.span),
            )
    }
}

/// What to do with a statement, decided from its leading keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Changes the model: parse and fold it.
    Model,
    /// Cannot change the model (indexes, grants, DML, …): skip it knowingly.
    Skip,
    /// Would change the model in a way we do not support, or is not SQL we know.
    Unsupported,
}

/// A position covering a sqlparser span (one line at most is underlined).
pub(crate) fn span_position(span: sqlparser::tokenizer::Span) -> Position {
    let width = if span.end.line == span.start.line && span.end.column > span.start.column {
        span.end.column - span.start.column
    } else {
        1
    };
    Position {
        line: span.start.line.max(1),
        column: span.start.column.max(1),
        width,
    }
}

/// Tokenizes `text` and splits it at top-level semicolons.
///
/// # Errors
/// A tokenizer error (an unterminated string or comment) with its position.
pub(crate) fn split(text: &str) -> Result<Vec<Statement>, (Position, String)> {
    let cleaned = blank_meta_commands(text);
    let tokens = Tokenizer::new(&PostgreSqlDialect {}, &cleaned)
        .tokenize_with_location()
        .map_err(|e| {
            let message = e
                .message
                .split(" at Line:")
                .next()
                .unwrap_or(&e.message)
                .to_owned();
            (
                Position {
                    line: e.location.line.max(1),
                    column: e.location.column.max(1),
                    width: 1,
                },
                message,
            )
        })?;
    let mut statements = Vec::new();
    let mut current: Vec<TokenWithSpan> = Vec::new();
    let mut atomic_depth = 0usize;
    let mut previous_word = String::new();
    for token in tokens {
        match &token.token {
            Token::SemiColon if atomic_depth == 0 => {
                push_statement(&mut statements, std::mem::take(&mut current));
                previous_word.clear();
                continue;
            }
            Token::EOF => break,
            Token::Word(w) if w.quote_style.is_none() => {
                let upper = w.value.to_ascii_uppercase();
                // `BEGIN ATOMIC … END` bodies of SQL-standard functions hold semicolons.
                if upper == "ATOMIC" && previous_word == "BEGIN" {
                    atomic_depth += 1;
                } else if upper == "END" && atomic_depth > 0 {
                    atomic_depth -= 1;
                }
                previous_word = upper;
            }
            Token::Whitespace(_) => {}
            _ => previous_word.clear(),
        }
        current.push(token);
    }
    push_statement(&mut statements, current);
    Ok(statements)
}

fn push_statement(statements: &mut Vec<Statement>, tokens: Vec<TokenWithSpan>) {
    if tokens
        .iter()
        .any(|t| !matches!(t.token, Token::Whitespace(_)))
    {
        statements.push(Statement { tokens });
    }
}

/// The SQL of a migration file as a server should run it inside the
/// migrator's transaction: psql meta-commands and transaction control
/// (`BEGIN`, `COMMIT`, …) replaced by spaces, so every other character stays
/// where it was in the file. A file the tokenizer rejects is returned as is
/// (the server will report the error).
pub(crate) fn executable(text: &str) -> String {
    let cleaned = blank_meta_commands(text);
    let Ok(statements) = split(&cleaned) else {
        return cleaned;
    };
    let mut chars: Vec<char> = cleaned.chars().collect();
    let mut line_starts = vec![0usize];
    for (i, c) in chars.iter().enumerate() {
        if *c == '\n' {
            line_starts.push(i + 1);
        }
    }
    let total = chars.len();
    let offset = |line: u64, column: u64| {
        let line = usize::try_from(line.max(1) - 1).unwrap_or(0);
        let column = usize::try_from(column.max(1) - 1).unwrap_or(0);
        line_starts
            .get(line)
            .map_or(total, |start| (start + column).min(total))
    };
    for statement in &statements {
        let first = statement.leading_words(1);
        let control = matches!(
            first.first().map(String::as_str),
            Some("BEGIN" | "START" | "COMMIT" | "END" | "ROLLBACK" | "ABORT")
        );
        if !control {
            continue;
        }
        let significant: Vec<_> = statement
            .tokens
            .iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_)))
            .collect();
        let (Some(first), Some(last)) = (significant.first(), significant.last()) else {
            continue;
        };
        let start = offset(first.span.start.line, first.span.start.column);
        let mut end = offset(last.span.end.line, last.span.end.column).min(chars.len());
        // The statement's own semicolon goes too.
        while end < chars.len() && chars[end].is_whitespace() {
            end += 1;
        }
        if end < chars.len() && chars[end] == ';' {
            end += 1;
        }
        for c in &mut chars[start..end] {
            if *c != '\n' {
                *c = ' ';
            }
        }
    }
    chars.into_iter().collect()
}

/// psql meta-commands start with a backslash at the start of a line and run to
/// its end; they are not SQL. Replace them with spaces so positions stay true.
fn blank_meta_commands(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('\\') {
            for c in line.chars() {
                out.push(if c == '\n' || c == '\r' { c } else { ' ' });
            }
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Decides what a statement is from its first words.
pub(crate) fn classify(statement: &Statement) -> Kind {
    let words = statement.leading_words(6);
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let first = w.first().copied().unwrap_or_default();
    match first {
        "CREATE" => classify_create(&w[1..]),
        "ALTER" => match w.get(1).copied().unwrap_or_default() {
            "TABLE" | "TYPE" => Kind::Model,
            // Renaming or moving these would change the model; owners and
            // options would not. Both are rare in migrations: be explicit.
            "VIEW" | "MATERIALIZED" | "DOMAIN" | "SCHEMA" => {
                if w.contains(&"OWNER") {
                    Kind::Skip
                } else {
                    Kind::Unsupported
                }
            }
            "INDEX" | "SEQUENCE" | "FUNCTION" | "PROCEDURE" | "ROLE" | "USER" | "GROUP"
            | "POLICY" | "DEFAULT" | "EXTENSION" | "TRIGGER" | "DATABASE" | "SYSTEM"
            | "PUBLICATION" | "SUBSCRIPTION" | "AGGREGATE" | "OPERATOR" | "STATISTICS"
            | "EVENT" | "COLLATION" | "TEXT" | "LANGUAGE" | "LARGE" | "TABLESPACE" | "RULE" => {
                Kind::Skip
            }
            _ => Kind::Unsupported,
        },
        "DROP" => match w.get(1).copied().unwrap_or_default() {
            "TABLE" | "TYPE" | "VIEW" | "MATERIALIZED" | "DOMAIN" | "SCHEMA" => Kind::Model,
            "INDEX" | "SEQUENCE" | "FUNCTION" | "PROCEDURE" | "ROLE" | "USER" | "GROUP"
            | "POLICY" | "EXTENSION" | "TRIGGER" | "RULE" | "STATISTICS" | "AGGREGATE"
            | "OPERATOR" | "EVENT" | "PUBLICATION" | "SUBSCRIPTION" | "OWNED" | "CAST"
            | "COLLATION" | "LANGUAGE" | "TABLESPACE" => Kind::Skip,
            _ => Kind::Unsupported,
        },
        "COMMENT" => match w.get(2).copied().unwrap_or_default() {
            "TABLE" | "COLUMN" | "VIEW" | "MATERIALIZED" | "TYPE" | "DOMAIN" => Kind::Model,
            "" => Kind::Unsupported,
            _ => Kind::Skip,
        },
        "GRANT" | "REVOKE" | "SET" | "RESET" | "BEGIN" | "START" | "COMMIT" | "END"
        | "ROLLBACK" | "ABORT" | "SAVEPOINT" | "RELEASE" | "INSERT" | "UPDATE" | "DELETE"
        | "MERGE" | "SELECT" | "WITH" | "VALUES" | "COPY" | "TRUNCATE" | "DO" | "CALL"
        | "ANALYZE" | "ANALYSE" | "VACUUM" | "REFRESH" | "CLUSTER" | "REINDEX" | "LOCK"
        | "NOTIFY" | "LISTEN" | "UNLISTEN" | "DISCARD" | "SECURITY" | "CHECKPOINT" | "LOAD"
        | "PREPARE" | "EXECUTE" | "DEALLOCATE" | "EXPLAIN" | "SHOW" | "REASSIGN" | "IMPORT" => {
            Kind::Skip
        }
        _ => Kind::Unsupported,
    }
}

fn classify_create(rest: &[&str]) -> Kind {
    let mut rest = rest;
    if rest.starts_with(&["OR", "REPLACE"]) {
        rest = &rest[2..];
    }
    // Modifiers that may precede the object kind.
    while let Some(first) = rest.first() {
        if matches!(
            *first,
            "UNIQUE" | "UNLOGGED" | "TRUSTED" | "PROCEDURAL" | "DEFAULT" | "CONSTRAINT"
        ) {
            rest = &rest[1..];
        } else {
            break;
        }
    }
    match rest.first().copied().unwrap_or_default() {
        "SCHEMA" | "TABLE" | "TYPE" | "DOMAIN" | "VIEW" | "MATERIALIZED" | "RECURSIVE" => {
            Kind::Model
        }
        // Temporary objects vanish with the session that made them.
        "TEMP" | "TEMPORARY" | "LOCAL" | "GLOBAL" => Kind::Skip,
        "INDEX" | "FUNCTION" | "PROCEDURE" | "TRIGGER" | "POLICY" | "SEQUENCE" | "EXTENSION"
        | "ROLE" | "USER" | "GROUP" | "STATISTICS" | "EVENT" | "AGGREGATE" | "OPERATOR"
        | "CAST" | "COLLATION" | "PUBLICATION" | "SUBSCRIPTION" | "RULE" | "LANGUAGE" | "TEXT"
        | "CONVERSION" | "TABLESPACE" | "SERVER" | "ACCESS" | "TRANSFORM" => Kind::Skip,
        _ => Kind::Unsupported,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(sql: &str) -> Vec<Kind> {
        split(sql).unwrap().iter().map(classify).collect()
    }

    #[test]
    fn dollar_quoted_bodies_and_strings_do_not_split() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql;\n\
                   INSERT INTO t VALUES ('a;b');\nCREATE TABLE t (a int);";
        assert_eq!(kinds(sql), vec![Kind::Skip, Kind::Skip, Kind::Model]);
    }

    #[test]
    fn begin_atomic_bodies_do_not_split() {
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nCREATE TABLE t (a int);";
        assert_eq!(kinds(sql), vec![Kind::Skip, Kind::Model]);
    }

    #[test]
    fn meta_commands_are_blanked_and_positions_kept() {
        let sql = "\\set ON_ERROR_STOP on\nCREATE TABLE t (a int);";
        let statements = split(sql).unwrap();
        assert_eq!(statements.len(), 1);
        assert_eq!(statements[0].start().line, 2);
        assert_eq!(classify(&statements[0]), Kind::Model);
    }

    #[test]
    fn comments_before_a_statement_are_trivia() {
        let sql = "-- hello\n/* block */ GRANT SELECT ON t TO bob;";
        assert_eq!(kinds(sql), vec![Kind::Skip]);
    }

    #[test]
    fn transaction_control_is_blanked_for_the_migrator() {
        let sql = "\\set x 1\nBEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n";
        let out = executable(sql);
        assert_eq!(out.len(), sql.len());
        assert_eq!(out.trim(), "CREATE TABLE t (a int);");
        assert_eq!(out.lines().nth(2), Some("CREATE TABLE t (a int);"));
    }

    #[test]
    fn unknown_statements_are_unsupported() {
        assert_eq!(kinds("FROBNICATE t;"), vec![Kind::Unsupported]);
        assert_eq!(kinds("ALTER VIEW v RENAME TO w;"), vec![Kind::Unsupported]);
        assert_eq!(kinds("ALTER VIEW v OWNER TO bob;"), vec![Kind::Skip]);
    }
}
