//! Splits a migration file into statements and sorts them into those that
//! change the model and those skipped knowingly.
//!
//! The whole file is tokenized once with sqlparser's PostgreSQL tokenizer, so
//! strings, comments and `$$` bodies never split a statement; psql
//! meta-commands (`\set`, `\i`, …) are blanked out first, keeping positions.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer, Whitespace};

use super::lexer;
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

    /// Whether this is `SET [SESSION | LOCAL] standard_conforming_strings
    /// {TO | =} off` (or `false`, `no`, `0`): backslashes in strings become
    /// escapes from there on.
    pub fn backslash_strings(&self) -> bool {
        let words = self.leading_words(5);
        let mut at = usize::from(matches!(
            words.get(1).map(String::as_str),
            Some("SESSION" | "LOCAL")
        ));
        if words.first().map(String::as_str) != Some("SET")
            || words.get(1 + at).map(String::as_str) != Some("STANDARD_CONFORMING_STRINGS")
        {
            return false;
        }
        at += 2;
        let mut significant = self
            .tokens
            .iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_)))
            .skip(at);
        if !matches!(significant.next().map(|t| &t.token), Some(Token::Eq))
            && words.get(at).map(String::as_str) != Some("TO")
        {
            return false;
        }
        let value = match significant.next().map(|t| &t.token) {
            Some(Token::Word(w)) => w.value.to_ascii_lowercase(),
            Some(Token::SingleQuotedString(s)) => s.to_ascii_lowercase(),
            Some(Token::Number(n, _)) => n.clone(),
            _ => return false,
        };
        matches!(
            value.as_str(),
            "off" | "false" | "no" | "0" | "of" | "f" | "n"
        )
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

/// The deepest expression the DDL source folds: an operator chain
/// (`1 + 1 + …`, `a AND b AND …`), nested parentheses and array brackets
/// all count. PostgreSQL takes deeper ones; past this a statement is an
/// error at the operator that goes too deep, never a stack overflow.
pub(crate) const MAX_NESTING: usize = 10_000;

impl Statement {
    /// The first token at which the statement's expressions nest deeper
    /// than [`MAX_NESTING`], estimated from its tokens before parsing: each
    /// operator adds a level to its chain, a comma starts a new chain at
    /// its parenthesis level, and a parenthesis keeps the depth around it.
    pub fn too_deep(&self) -> Option<Position> {
        let mut depth = 0usize;
        // The depth where each open parenthesis started.
        let mut open: Vec<usize> = Vec::new();
        for t in self.significant() {
            match &t.token {
                Token::LParen => {
                    open.push(depth);
                    depth += 1;
                }
                Token::RParen => depth = open.pop().unwrap_or(0),
                Token::Comma => depth = open.last().map_or(0, |d| d + 1),
                Token::Plus
                | Token::Minus
                | Token::Mul
                | Token::Div
                | Token::Mod
                | Token::Caret
                | Token::StringConcat
                | Token::Eq
                | Token::Neq
                | Token::Lt
                | Token::Gt
                | Token::LtEq
                | Token::GtEq
                | Token::DoubleColon
                | Token::LBracket
                | Token::Arrow
                | Token::LongArrow
                | Token::HashArrow
                | Token::HashLongArrow
                | Token::Ampersand
                | Token::Pipe
                | Token::Tilde
                | Token::ExclamationMark => depth += 1,
                Token::Word(w) if w.quote_style.is_none() => {
                    match w.value.to_ascii_uppercase().as_str() {
                        "AND" | "OR" | "NOT" | "IS" | "LIKE" | "ILIKE" | "COLLATE" | "ARRAY" => {
                            depth += 1;
                        }
                        // A column's default, check and generation are
                        // expressions of their own, not one chain.
                        "DEFAULT" | "CHECK" | "CONSTRAINT" | "REFERENCES" | "GENERATED" => {
                            depth = open.last().map_or(0, |d| d + 1);
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
            if depth > MAX_NESTING {
                return Some(span_position(t.span));
            }
        }
        None
    }
}

impl Statement {
    /// For a `DO` block whose body can change the schema, the words that
    /// show it (`CREATE TYPE`, `EXECUTE`): the DDL source cannot run
    /// PL/pgSQL, so such a block is an error, not a statement skipped.
    pub fn schema_changing_do(&self) -> Option<String> {
        if self.leading_words(1).first().map(String::as_str) != Some("DO") {
            return None;
        }
        let body: String = self
            .significant()
            .filter_map(|t| match &t.token {
                Token::DollarQuotedString(s) => Some(s.value.clone()),
                Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s) => Some(s.clone()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" ");
        let words: Vec<String> = body
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_uppercase)
            .collect();
        for (i, word) in words.iter().enumerate() {
            if word == "EXECUTE" {
                return Some("EXECUTE".to_owned());
            }
            // `SET [LOCAL | SESSION] search_path …` and `set_config('search_path', …)`
            // change where the statements after the block create and look.
            if word == "SEARCH_PATH"
                && words[i.saturating_sub(2)..i]
                    .iter()
                    .any(|w| matches!(w.as_str(), "SET" | "SET_CONFIG"))
            {
                return Some("SET search_path".to_owned());
            }
            if matches!(word.as_str(), "CREATE" | "ALTER" | "DROP" | "COMMENT") {
                let object = words[i + 1..].iter().take(4).find(|w| {
                    matches!(
                        w.as_str(),
                        "TABLE" | "TYPE" | "VIEW" | "SCHEMA" | "DOMAIN" | "COLUMN"
                    )
                });
                if let Some(object) = object {
                    return Some(format!("{word} {object}"));
                }
            }
        }
        None
    }
}

/// Where `ALTER … RENAME TO` or `SET SCHEMA` moves an object.
pub enum Moved {
    Name(String),
    Schema(String),
}

impl Statement {
    /// The upper-cased word after the object name that follows the first
    /// `skip` significant tokens (`ALTER TYPE s.t OWNER …` with `skip` 2
    /// gives `OWNER`), so a name spelled like a keyword is never mistaken
    /// for one.
    pub fn word_after_name(&self, skip: usize) -> Option<String> {
        self.words_after_name(skip, 1).pop()
    }

    /// Up to `count` unquoted words right after the name, upper-cased.
    pub fn words_after_name(&self, skip: usize, count: usize) -> Vec<String> {
        let mut rest = self.significant().skip(skip);
        let mut expect_name = true;
        let mut words = Vec::new();
        for t in rest.by_ref() {
            match (&t.token, expect_name) {
                (Token::Word(_), true) if words.is_empty() => expect_name = false,
                (Token::Period, false) if words.is_empty() => expect_name = true,
                (Token::Word(w), false) if w.quote_style.is_none() => {
                    words.push(w.value.to_ascii_uppercase());
                    if words.len() == count {
                        break;
                    }
                }
                _ => break,
            }
        }
        words
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

/// Where the statement names relations (the index of each qualified
/// relation name's first token, after `FROM`, `JOIN`, `UPDATE`, `INTO`,
/// `TABLE`, `REFERENCES`, `LIKE`), and the names that qualify
/// columns locally: aliases (`AS x`, `FROM t x`), `WITH` queries and the
/// relations' own names.
fn relations_and_aliases(tokens: &[&TokenWithSpan]) -> (Vec<usize>, Vec<String>) {
    const NOT_ALIASES: &[&str] = &[
        "WHERE",
        "JOIN",
        "ON",
        "USING",
        "LEFT",
        "RIGHT",
        "INNER",
        "FULL",
        "CROSS",
        "NATURAL",
        "GROUP",
        "ORDER",
        "LIMIT",
        "UNION",
        "EXCEPT",
        "INTERSECT",
        "WINDOW",
        "HAVING",
        "SET",
        "VALUES",
        "DEFAULT",
        "RETURNING",
        "TABLESAMPLE",
        "FOR",
        "OFFSET",
        "FETCH",
        "AS",
        "SELECT",
        "LATERAL",
        "ONLY",
        "WITH",
        "OUTER",
        "DO",
        "FROM",
    ];
    let upper = |i: usize| match tokens.get(i).map(|t| &t.token) {
        Some(Token::Word(w)) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
        _ => None,
    };
    let folded = |i: usize| match tokens.get(i).map(|t| &t.token) {
        Some(Token::Word(w)) if w.quote_style.is_some() => Some(w.value.clone()),
        Some(Token::Word(w)) => Some(w.value.to_ascii_lowercase()),
        _ => None,
    };
    let mut relations = Vec::new();
    let mut local = Vec::new();
    for i in 0..tokens.len() {
        let here = upper(i);
        if here.as_deref() == Some("AS") {
            if let Some(alias) = folded(i + 1) {
                local.push(alias);
            }
            // `name AS (`: a `WITH` query.
            if i >= 1 && matches!(tokens.get(i + 1).map(|t| &t.token), Some(Token::LParen)) {
                local.extend(folded(i - 1));
            }
        }
        if !matches!(
            here.as_deref(),
            Some("FROM" | "JOIN" | "UPDATE" | "INTO" | "TABLE" | "REFERENCES" | "LIKE")
        ) {
            continue;
        }
        let mut at = i + 1;
        while matches!(upper(at).as_deref(), Some("ONLY" | "LATERAL")) {
            at += 1;
        }
        if folded(at).is_none() {
            continue;
        }
        relations.push(at);
        while matches!(tokens.get(at + 1).map(|t| &t.token), Some(Token::Period)) {
            at += 2;
        }
        local.extend(folded(at));
        if let Some(next) = upper(at + 1)
            && !NOT_ALIASES.contains(&next.as_str())
        {
            local.extend(folded(at + 1));
        }
    }
    (relations, local)
}

/// The parts of a qualified name written as PostgreSQL writes one (`s.n`,
/// `"S"."n.x"`, quotes doubled inside quotes), unquoted; unquoted parts
/// folded to lower case when `fold` (as `regclass` reads a string), kept
/// as they are otherwise (as the server prints them). `None` when `text`
/// is no such name.
pub(crate) fn qualified_name(text: &str, fold: bool) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut chars = text.trim().chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    '"' => break,
                    c => part.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                part.push(if fold { c.to_ascii_lowercase() } else { c });
                chars.next();
            }
            if part.is_empty() {
                return None;
            }
        }
        parts.push(part);
        match chars.next() {
            None => return Some(parts),
            Some('.') => {}
            Some(_) => return None,
        }
    }
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
/// As [`split_lexed`].
#[cfg(test)]
pub(crate) fn split(text: &str) -> Result<Vec<Statement>, (Position, String)> {
    split_lexed(&lexer::lex(text))
}

/// Tokenizes a lexed file and splits it at top-level semicolons.
///
/// # Errors
/// A tokenizer error (an unterminated string or comment) with its position.
pub(crate) fn split_lexed(lexed: &lexer::Lexed) -> Result<Vec<Statement>, (Position, String)> {
    if lexed.problem.is_none()
        && let Some(statements) = split_in_pieces(lexed)
    {
        return Ok(statements);
    }
    let tokens = Tokenizer::new(&PostgreSqlDialect {}, &lexed.cleaned)
        .tokenize_with_location()
        .map_err(|e| {
            // The tokenizer reports an unclosed body or comment where the
            // file ends; point at where it starts instead.
            if let Some(found) = lexed.problem.clone() {
                return found;
            }
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
    let mut splitter = Splitter::default();
    for token in tokens {
        splitter.push(token);
    }
    Ok(splitter.finish())
}

/// How much text the tokenizer takes at a time in [`split_in_pieces`].
const PIECE: usize = 16 * 1024;

/// [`split_lexed`] tokenizing the file a few statements at a time, cut
/// after the semicolons the lexer found between statements: the tokens of
/// a whole file (88 bytes each, one per blank) are never held at once,
/// only the statements'. `None` when a piece does not tokenize, or ends
/// elsewhere than at its semicolon: the lexer and the tokenizer read that
/// text differently, and the file is tokenized whole instead.
fn split_in_pieces(lexed: &lexer::Lexed) -> Option<Vec<Statement>> {
    let text = &lexed.cleaned;
    let mut splitter = Splitter::default();
    let mut buffer: Vec<TokenWithSpan> = Vec::new();
    // Where the piece starts: its byte, line and column.
    let (mut start, mut line, mut column) = (0usize, 1u64, 1u64);
    let mut ends = lexed.statement_ends.iter().copied();
    while start < text.len() {
        // Up to the first semicolon at least `PIECE` bytes on, or the end.
        let mut end = None;
        for next in ends.by_ref() {
            end = Some(next);
            if next - start >= PIECE {
                break;
            }
        }
        let at_semicolon = end.is_some();
        let end = end.unwrap_or(text.len());
        let piece = &text[start..end];
        buffer.clear();
        let shift = |mut token: TokenWithSpan| {
            for location in [&mut token.span.start, &mut token.span.end] {
                if location.line == 1 {
                    location.column += column - 1;
                }
                location.line += line - 1;
            }
            token
        };
        Tokenizer::new(&PostgreSqlDialect {}, piece)
            .tokenize_with_location_into_buf_with_mapper(&mut buffer, shift)
            .ok()?;
        if at_semicolon && buffer.last().map(|t| &t.token) != Some(&Token::SemiColon) {
            return None;
        }
        for token in buffer.drain(..) {
            splitter.push(token);
        }
        // The next piece's line and column.
        for c in piece.chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        start = end;
    }
    Some(splitter.finish())
}

/// Statements from tokens, cut at the semicolons that end one.
#[derive(Default)]
struct Splitter {
    statements: Vec<Statement>,
    current: Vec<TokenWithSpan>,
    // As psql counts: in `CREATE [OR REPLACE] FUNCTION|PROCEDURE`, outside
    // parentheses, `BEGIN` (and inside it `CASE`) opens a block its `END`
    // closes, and a semicolon inside one (`BEGIN ATOMIC … END` bodies)
    // does not end the statement.
    depth: usize,
    parens: usize,
    leading: Vec<String>,
    words: usize,
    /// Whether the leading words make a routine: decided once they are read.
    routine: bool,
}

impl Splitter {
    fn push(&mut self, token: TokenWithSpan) {
        match &token.token {
            Token::SemiColon if self.depth == 0 => {
                push_statement(&mut self.statements, std::mem::take(&mut self.current));
                self.leading.clear();
                self.words = 0;
                self.parens = 0;
                self.routine = false;
                return;
            }
            Token::EOF => return,
            // The tokenizer gives each blank its own token: a run of them
            // (indentation) is kept as one, which no reader of tokens
            // tells apart (sqlparser's parser skips them), at a fraction
            // of the memory and of the work of every pass over tokens.
            Token::Whitespace(Whitespace::Space) => {
                if let Some(last) = self.current.last_mut()
                    && last.token == Token::Whitespace(Whitespace::Space)
                {
                    last.span.end = token.span.end;
                    return;
                }
            }
            Token::LParen => self.parens += 1,
            Token::RParen => self.parens = self.parens.saturating_sub(1),
            Token::Word(w) if w.quote_style.is_none() => {
                if self.words < 4 {
                    self.leading.push(w.value.to_ascii_uppercase());
                    self.routine = matches!(
                        self.leading.iter().map(String::as_str).collect::<Vec<_>>()[..],
                        ["CREATE", "FUNCTION" | "PROCEDURE", ..]
                            | ["CREATE", "OR", "REPLACE", "FUNCTION" | "PROCEDURE", ..]
                    );
                }
                self.words += 1;
                if self.routine && self.parens == 0 {
                    let is = |keyword: &str| w.value.eq_ignore_ascii_case(keyword);
                    if is("BEGIN") || (is("CASE") && self.depth > 0) {
                        self.depth += 1;
                    } else if is("END") && self.depth > 0 {
                        self.depth -= 1;
                    }
                }
            }
            _ => {}
        }
        self.current.push(token);
    }

    fn finish(mut self) -> Vec<Statement> {
        push_statement(&mut self.statements, self.current);
        self.statements
    }
}

fn push_statement(statements: &mut Vec<Statement>, tokens: Vec<TokenWithSpan>) {
    if tokens
        .iter()
        .any(|t| !matches!(t.token, Token::Whitespace(_)))
    {
        statements.push(Statement { tokens });
    }
}

/// What in a migration file cannot run as the file means it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unrunnable {
    /// A `ROLLBACK` of the whole transaction, at this position.
    Rollback(Position),
    /// A psql meta-command that changes what runs, and its name.
    MetaCommand(Position, String),
    /// Transaction control in a file that runs without a transaction, and
    /// its keyword.
    ControlWithoutTransaction(Position, String),
    /// A `-- pg-sections:` comment the migrator does not read as written.
    Directive(Position, String),
    /// `COPY … FROM STDIN` or `TO STDOUT`: its rows go to or come from
    /// psql, not the file.
    CopyFromStdin(Position),
}

/// A transaction-control statement, as the migrator and the fold see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Control {
    /// `BEGIN`, `START TRANSACTION`, `COMMIT`, `END` (with their optional
    /// words and modes): the migrator already runs each file in a
    /// transaction, so these are left out.
    Transaction,
    /// `ROLLBACK` or `ABORT` of the whole transaction: it would undo the
    /// file's own work, which a migration cannot mean.
    Rollback,
    /// `SAVEPOINT name`.
    Savepoint(String),
    /// `ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name`.
    RollbackTo(String),
    /// `RELEASE [SAVEPOINT] name`.
    Release(String),
}

impl Statement {
    /// The first name the statement qualifies with a schema `is_named`
    /// accepts (folded as the server folds names): `schema.object`
    /// anywhere in it, or a string naming one given to `nextval`,
    /// `currval` or `setval` or cast to `regclass`. Its position, the
    /// schema and the object.
    pub fn names_in(&self, is_named: impl Fn(&str) -> bool) -> Option<(Position, String, String)> {
        let tokens: Vec<&TokenWithSpan> = self.significant().collect();
        let word = |i: usize| match tokens.get(i).map(|t| &t.token) {
            Some(Token::Word(w)) => Some(if w.quote_style.is_some() {
                w.value.clone()
            } else {
                w.value.to_ascii_lowercase()
            }),
            _ => None,
        };
        let keyword = |i: usize| match tokens.get(i).map(|t| &t.token) {
            Some(Token::Word(w)) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        };
        let (relations, local) = relations_and_aliases(&tokens);
        // Data statements may hold such names as plain text.
        let data = matches!(
            keyword(0).as_deref(),
            Some(
                "INSERT"
                    | "UPDATE"
                    | "DELETE"
                    | "MERGE"
                    | "SELECT"
                    | "WITH"
                    | "VALUES"
                    | "COPY"
                    | "CALL"
            )
        );
        for (i, t) in tokens.iter().enumerate() {
            let text = match &t.token {
                Token::Word(_)
                    if matches!(tokens.get(i + 1).map(|t| &t.token), Some(Token::Period))
                        && (i == 0 || !matches!(tokens[i - 1].token, Token::Period)) =>
                {
                    let (Some(schema), Some(object)) = (word(i), word(i + 2)) else {
                        continue;
                    };
                    // `alias.column` is no schema's, unless it names a relation.
                    if is_named(&schema) && (relations.contains(&i) || !local.contains(&schema)) {
                        return Some((span_position(t.span), schema, object));
                    }
                    continue;
                }
                Token::SingleQuotedString(text)
                | Token::EscapedStringLiteral(text)
                | Token::UnicodeStringLiteral(text)
                | Token::NationalStringLiteral(text) => text.clone(),
                Token::DollarQuotedString(d) => d.value.clone(),
                _ => continue,
            };
            let after_call =
                i >= 1 && matches!(tokens[i - 1].token, Token::LParen | Token::Comma) && !data;
            let cast = matches!(
                tokens.get(i + 1).map(|t| &t.token),
                Some(Token::DoubleColon)
            ) && word(i + 2).is_some_and(|ty| ty.starts_with("reg"));
            if (after_call || cast)
                && let Some([schema, object]) = qualified_name(&text, true).as_deref()
                && is_named(schema)
            {
                return Some((span_position(t.span), schema.clone(), object.clone()));
            }
        }
        None
    }

    /// The table a `CREATE INDEX`, `TRIGGER`, `POLICY` or `RULE` attaches
    /// its object to: what it is ("an index"), where the table's name is
    /// written, and its parts (unquoted ones folded).
    /// The name's parts of the table, view, type, domain or schema a
    /// `CREATE` statement makes (unquoted parts folded); `None` for any
    /// other statement.
    /// The names of what a `DO` block's body creates (`CREATE TYPE
    /// app.mood …` inside it), as [`Statement::created_name`] reads them.
    pub fn do_block_creates(&self) -> Vec<Vec<String>> {
        if self.leading_words(1).first().map(String::as_str) != Some("DO") {
            return Vec::new();
        }
        let mut names = Vec::new();
        for body in self.significant().filter_map(|t| match &t.token {
            Token::DollarQuotedString(s) => Some(s.value.clone()),
            Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s) => Some(s.clone()),
            _ => None,
        }) {
            let Ok(tokens) = Tokenizer::new(&PostgreSqlDialect {}, &body).tokenize_with_location()
            else {
                continue;
            };
            for (i, t) in tokens.iter().enumerate() {
                if matches!(&t.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("CREATE"))
                {
                    let rest = Statement {
                        tokens: tokens[i..].to_vec(),
                    };
                    names.extend(rest.created_name());
                }
            }
        }
        names
    }

    pub fn created_name(&self) -> Option<Vec<String>> {
        let tokens: Vec<&TokenWithSpan> = self.significant().collect();
        let keyword = |i: usize| match tokens.get(i).map(|t| &t.token) {
            Some(Token::Word(w)) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        };
        if keyword(0).as_deref() != Some("CREATE") {
            return None;
        }
        let mut i = 1;
        while matches!(
            keyword(i).as_deref(),
            Some("OR" | "REPLACE" | "UNLOGGED" | "MATERIALIZED" | "RECURSIVE")
        ) {
            i += 1;
        }
        if !matches!(
            keyword(i).as_deref(),
            Some("TABLE" | "VIEW" | "TYPE" | "DOMAIN" | "SCHEMA")
        ) {
            return None;
        }
        i += 1;
        while matches!(keyword(i).as_deref(), Some("IF" | "NOT" | "EXISTS")) {
            i += 1;
        }
        let mut parts = Vec::new();
        loop {
            match tokens.get(i).map(|t| &t.token) {
                Some(Token::Word(w)) if w.quote_style.is_some() => parts.push(w.value.clone()),
                Some(Token::Word(w)) => parts.push(w.value.to_ascii_lowercase()),
                _ => return None,
            }
            if matches!(tokens.get(i + 1).map(|t| &t.token), Some(Token::Period)) {
                i += 2;
            } else {
                return Some(parts);
            }
        }
    }

    /// The name `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name
    /// ON …` gives its index (folded); `None` for another statement or an
    /// index the server names.
    pub fn index_name(&self) -> Option<String> {
        let tokens: Vec<&TokenWithSpan> = self.significant().collect();
        let keyword = |i: usize| match tokens.get(i).map(|t| &t.token) {
            Some(Token::Word(w)) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        };
        if keyword(0).as_deref() != Some("CREATE") {
            return None;
        }
        let mut i = 1 + usize::from(keyword(1).as_deref() == Some("UNIQUE"));
        if keyword(i).as_deref() != Some("INDEX") {
            return None;
        }
        i += 1;
        while matches!(
            keyword(i).as_deref(),
            Some("CONCURRENTLY" | "IF" | "NOT" | "EXISTS")
        ) {
            i += 1;
        }
        if keyword(i + 1).as_deref() != Some("ON") {
            return None;
        }
        match &tokens.get(i)?.token {
            Token::Word(w) if w.quote_style.is_some() => Some(w.value.clone()),
            Token::Word(w) if !w.value.eq_ignore_ascii_case("on") => {
                Some(w.value.to_ascii_lowercase())
            }
            _ => None,
        }
    }

    pub fn attached_to(&self) -> Option<(&'static str, Position, Vec<String>)> {
        let tokens: Vec<&TokenWithSpan> = self.significant().collect();
        let keyword = |i: usize| match tokens.get(i).map(|t| &t.token) {
            Some(Token::Word(w)) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        };
        if keyword(0).as_deref() != Some("CREATE") {
            return None;
        }
        let mut i = 1;
        while matches!(
            keyword(i).as_deref(),
            Some("OR" | "REPLACE" | "UNIQUE" | "CONSTRAINT")
        ) {
            i += 1;
        }
        let what = match keyword(i).as_deref() {
            Some("INDEX") => "an index",
            Some("TRIGGER") => "a trigger",
            Some("POLICY") => "a policy",
            Some("RULE") => "a rule",
            _ => return None,
        };
        let on = (i..tokens.len()).find(|&j| keyword(j).as_deref() == Some("ON"))?;
        let mut at = on + 1;
        if what == "a rule" {
            // `ON event TO table`
            at = (at..tokens.len()).find(|&j| keyword(j).as_deref() == Some("TO"))? + 1;
        } else if keyword(at).as_deref() == Some("ONLY") {
            at += 1;
        }
        let start = tokens.get(at)?;
        let mut parts = Vec::new();
        loop {
            match tokens.get(at).map(|t| &t.token) {
                Some(Token::Word(w)) => parts.push(if w.quote_style.is_some() {
                    w.value.clone()
                } else {
                    w.value.to_ascii_lowercase()
                }),
                _ => return None,
            }
            if matches!(tokens.get(at + 1).map(|t| &t.token), Some(Token::Period)) {
                at += 2;
            } else {
                break;
            }
        }
        Some((what, span_position(start.span), parts))
    }

    /// The object a skipped `CREATE`, `ALTER`, `DROP` or `COMMENT ON`
    /// statement acts on when it is one the model does not hold (a
    /// function, procedure, sequence, index, statistics object, or the
    /// table of a trigger, policy or rule): its kind in words (`function`,
    /// `a trigger on table`), where its name is written, and the name's
    /// parts (unquoted ones folded).
    pub fn skipped_target(&self) -> Option<(&'static str, Position, Vec<String>)> {
        let tokens: Vec<&TokenWithSpan> = self.significant().collect();
        let keyword = |i: usize| match tokens.get(i).map(|t| &t.token) {
            Some(Token::Word(w)) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        };
        let verb = keyword(0)?;
        let mut i = 1;
        match verb.as_str() {
            "COMMENT" if keyword(1).as_deref() == Some("ON") => i = 2,
            "CREATE" => {
                while matches!(
                    keyword(i).as_deref(),
                    Some("OR" | "REPLACE" | "UNIQUE" | "CONSTRAINT")
                ) {
                    i += 1;
                }
            }
            "ALTER" | "DROP" => {}
            _ => return None,
        }
        let (what, on_table) = match keyword(i).as_deref()? {
            "FUNCTION" => ("function", false),
            "PROCEDURE" => ("procedure", false),
            "ROUTINE" => ("routine", false),
            "AGGREGATE" => ("aggregate", false),
            "SEQUENCE" => ("sequence", false),
            "INDEX" => ("index", false),
            "STATISTICS" => ("statistics object", false),
            "TRIGGER" => ("a trigger on table", true),
            "POLICY" => ("a policy on table", true),
            "RULE" => ("a rule on table", true),
            _ => return None,
        };
        i += 1;
        while let Some("CONCURRENTLY" | "IF" | "NOT" | "EXISTS") = keyword(i).as_deref() {
            i += 1;
        }
        if on_table || keyword(i).as_deref() == Some("ON") {
            // `… name ON table` (`CREATE` of these is `attached_to`'s).
            if verb == "CREATE" {
                return None;
            }
            i = (i..tokens.len()).find(|&j| keyword(j).as_deref() == Some("ON"))? + 1;
        }
        let start = tokens.get(i)?;
        let mut parts = Vec::new();
        loop {
            match tokens.get(i).map(|t| &t.token) {
                Some(Token::Word(w)) => parts.push(if w.quote_style.is_some() {
                    w.value.clone()
                } else {
                    w.value.to_ascii_lowercase()
                }),
                _ => return None,
            }
            if matches!(tokens.get(i + 1).map(|t| &t.token), Some(Token::Period)) {
                i += 2;
            } else {
                break;
            }
        }
        Some((what, span_position(start.span), parts))
    }

    /// Where an `ALTER … RENAME TO new` or `ALTER … SET SCHEMA s` that
    /// ends the statement moves its object: the new name, or the new
    /// schema (folded).
    pub fn moved_to(&self) -> Option<Moved> {
        let tokens: Vec<&TokenWithSpan> = self
            .significant()
            .filter(|t| t.token != Token::SemiColon)
            .collect();
        let word = |t: &TokenWithSpan| match &t.token {
            Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        };
        let name = |t: &TokenWithSpan| match &t.token {
            Token::Word(w) if w.quote_style.is_some() => Some(w.value.clone()),
            Token::Word(w) => Some(w.value.to_ascii_lowercase()),
            _ => None,
        };
        let [.., a, b, last] = tokens.as_slice() else {
            return None;
        };
        match (word(a)?.as_str(), word(b)?.as_str()) {
            ("RENAME", "TO") => Some(Moved::Name(name(last)?)),
            ("SET", "SCHEMA") => Some(Moved::Schema(name(last)?)),
            _ => None,
        }
    }

    /// `COPY … FROM STDIN` or `TO STDOUT`.
    fn copies_from_stdin(&self) -> bool {
        let words: Vec<String> = self
            .significant()
            .map(|t| match &t.token {
                Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_uppercase(),
                _ => String::new(),
            })
            .collect();
        words.first().is_some_and(|w| w == "COPY")
            && words.windows(2).any(|w| {
                matches!(w[0].as_str(), "FROM" | "TO")
                    && matches!(w[1].as_str(), "STDIN" | "STDOUT")
            })
    }

    /// The `search_path` this statement sets: the schemas of `SET [SESSION |
    /// LOCAL] search_path TO a, b`, `SET SCHEMA 'a'` and `SELECT
    /// [pg_catalog.]set_config('search_path', 'a, b', …)`; none when it
    /// resets it (`RESET search_path`, `SET search_path TO DEFAULT`, or
    /// `pg_dump`'s `''`). `None` for any other statement.
    pub fn search_path(&self) -> Option<Vec<String>> {
        let tokens: Vec<&Token> = self.significant().map(|t| &t.token).collect();
        let word = |t: &Token| match t {
            Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        };
        let name = |t: &Token| match t {
            Token::Word(w) => Some(super::fold::fold_ident(&sqlparser::ast::Ident {
                value: w.value.clone(),
                quote_style: w.quote_style,
                span: sqlparser::tokenizer::Span::empty(),
            })),
            Token::SingleQuotedString(s) => Some(s.clone()),
            _ => None,
        };
        let words: Vec<Option<String>> = tokens.iter().map(|t| word(t)).collect();
        let is = |i: usize, w: &str| words.get(i).and_then(Option::as_deref) == Some(w);
        if is(0, "RESET") && tokens.get(1).and_then(|t| name(t)).as_deref() == Some("search_path") {
            return Some(Vec::new());
        }
        if is(0, "SET") {
            let at = if is(1, "SESSION") || is(1, "LOCAL") {
                2
            } else {
                1
            };
            let values = if is(at, "SCHEMA") {
                &tokens[at + 1..]
            } else if tokens.get(at).and_then(|t| name(t)).as_deref() == Some("search_path")
                && (is(at + 1, "TO") || tokens.get(at + 1) == Some(&&Token::Eq))
            {
                &tokens[at + 2..]
            } else {
                return None;
            };
            if values.len() == 1 && word(values[0]).as_deref() == Some("DEFAULT") {
                return Some(Vec::new());
            }
            return Some(
                values
                    .iter()
                    .filter(|t| !matches!(t, Token::Comma | Token::SemiColon))
                    .filter_map(|t| name(t))
                    .collect(),
            );
        }
        // `SELECT pg_catalog.set_config('search_path', '', false);`
        if is(0, "SELECT") {
            let at = tokens
                .iter()
                .position(|t| word(t).as_deref() == Some("SET_CONFIG"))?;
            let (Some(Token::SingleQuotedString(setting)), Some(Token::SingleQuotedString(list))) =
                (tokens.get(at + 2), tokens.get(at + 4))
            else {
                return None;
            };
            if !setting.eq_ignore_ascii_case("search_path") {
                return None;
            }
            return Some(super::fold::split_search_path(list));
        }
        None
    }

    /// Whether this is `SELECT set_config(…, …, true)`, a setting for the
    /// transaction only.
    pub fn sets_config_locally(&self) -> bool {
        let tokens: Vec<&Token> = self.significant().map(|t| &t.token).collect();
        tokens
            .iter()
            .position(|t| matches!(t, Token::Word(w) if w.value.eq_ignore_ascii_case("set_config")))
            .and_then(|at| tokens.get(at + 6))
            .is_some_and(|t| matches!(t, Token::Word(w) if w.value.eq_ignore_ascii_case("true")))
    }

    /// The statement's significant tokens (no whitespace or comments).
    fn significant(&self) -> impl Iterator<Item = &TokenWithSpan> {
        self.tokens
            .iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_)))
    }

    /// What transaction control this statement is, if any.
    pub fn control(&self) -> Option<Control> {
        let words: Vec<Option<String>> = self
            .significant()
            .map(|t| match &t.token {
                Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
                _ => None,
            })
            .collect();
        let word = |i: usize| words.get(i).cloned().flatten().unwrap_or_default();
        // A savepoint's name as PostgreSQL folds it.
        let name_at = |i: usize| {
            self.significant().nth(i).and_then(|t| match &t.token {
                Token::Word(w) if w.quote_style.is_some() => {
                    Some(super::fold::truncate_identifier(w.value.clone()))
                }
                Token::Word(w) => Some(super::fold::truncate_identifier(
                    w.value.to_ascii_lowercase(),
                )),
                _ => None,
            })
        };
        let optional =
            |i: usize, options: &[&str]| usize::from(options.contains(&word(i).as_str()));
        match word(0).as_str() {
            "BEGIN" | "END" => Some(Control::Transaction),
            "START" if word(1) == "TRANSACTION" => Some(Control::Transaction),
            "COMMIT" if word(1) != "PREPARED" => Some(Control::Transaction),
            "ROLLBACK" | "ABORT" if word(1) != "PREPARED" => {
                let mut i = 1 + optional(1, &["WORK", "TRANSACTION"]);
                if word(i) == "TO" {
                    i += 1;
                    i += optional(i, &["SAVEPOINT"]);
                    name_at(i).map(Control::RollbackTo)
                } else {
                    Some(Control::Rollback)
                }
            }
            "SAVEPOINT" => name_at(1).map(Control::Savepoint),
            "RELEASE" => name_at(1 + optional(1, &["SAVEPOINT"])).map(Control::Release),
            _ => None,
        }
    }
}

/// A migration file as the migrator runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runnable {
    /// The file's text with psql meta-commands and (in a file that runs in
    /// a transaction) the statements that begin or end one replaced by
    /// spaces, so every other character stays where it was in the file.
    pub sql: String,
    /// Each statement's byte range in `sql`, with its semicolon, in order
    /// (empty when the tokenizer rejects the file: it then runs as one
    /// batch, and the server reports the error).
    pub statements: Vec<std::ops::Range<usize>>,
    /// Whether the file runs in a transaction of its own: all but those
    /// whose first line is [`NO_TRANSACTION`].
    pub transaction: bool,
}

/// The first line that makes a migration run outside a transaction.
pub const NO_TRANSACTION: &str = "-- pg-sections: no-transaction";

/// The words a directive comment starts with.
const DIRECTIVE: &str = "pg-sections:";

/// A migration file as a server should run it: psql meta-commands blanked,
/// and in a file that runs in the migrator's transaction the statements
/// that begin or end one (`BEGIN`, `START TRANSACTION`, `COMMIT`, `END`)
/// blanked too. Savepoints (`SAVEPOINT`, `ROLLBACK TO SAVEPOINT`,
/// `RELEASE`) stay: they mean "try, undo, go on" inside the transaction.
///
/// # Errors
/// A `ROLLBACK` (or `ABORT`) of the whole transaction, which run as written
/// would undo the migration's own work; a psql meta-command that changes
/// what runs; transaction control in a file that runs without a
/// transaction; a `pg-sections:` directive that is unknown or not on the
/// first line. With its position.
pub(crate) fn runnable(text: &str) -> Result<Runnable, Unrunnable> {
    let lexed = lexer::lex(text);
    let statements = split_lexed(&lexed);
    runnable_split(&lexed, statements.as_deref().ok())
}

/// [`runnable`] of a file already lexed and split (`None`: it does not
/// split, and runs as one batch).
pub(crate) fn runnable_split(
    lexed: &lexer::Lexed,
    statements: Option<&[Statement]>,
) -> Result<Runnable, Unrunnable> {
    if let Some((at, name)) = unrunnable_meta_commands(lexed).into_iter().next() {
        return Err(Unrunnable::MetaCommand(at, name));
    }
    let transaction = !no_transaction(&lexed.cleaned)?;
    let Some(statements) = statements else {
        return Ok(Runnable {
            sql: lexed.cleaned.clone(),
            statements: Vec::new(),
            transaction,
        });
    };
    let text = lexed.cleaned.as_str();
    let mut at = Locator::new(text);
    // The text that runs, written as the statements are walked: what lies
    // between them as it is, transaction control blanked (characters and
    // lines kept, so positions in it are the file's).
    let mut sql = String::with_capacity(text.len());
    let mut copied = 0;
    let mut ranges = Vec::with_capacity(statements.len());
    for statement in statements {
        let significant: Vec<_> = statement.significant().collect();
        let (Some(first), Some(last)) = (significant.first(), significant.last()) else {
            continue;
        };
        let start = at
            .offset(first.span.start.line, first.span.start.column)
            .max(copied);
        let mut end = at
            .offset(last.span.end.line, last.span.end.column)
            .max(start);
        // The statement's own semicolon belongs to it.
        let rest = &text[end..];
        let after = end + (rest.len() - rest.trim_start().len());
        if text[after..].starts_with(';') {
            end = after + 1;
        }
        if statement.copies_from_stdin() {
            return Err(Unrunnable::CopyFromStdin(Position {
                width: 4,
                ..statement.start()
            }));
        }
        let control = statement.control();
        if !transaction && control.is_some() {
            let keyword = statement.leading_text(1).to_ascii_uppercase();
            return Err(Unrunnable::ControlWithoutTransaction(
                Position {
                    width: u64::try_from(keyword.chars().count()).unwrap_or(1),
                    ..statement.start()
                },
                keyword,
            ));
        }
        sql.push_str(&text[copied..start]);
        match control {
            Some(Control::Transaction) => {
                sql.extend(
                    text[start..end]
                        .chars()
                        .map(|c| if c == '\n' { '\n' } else { ' ' }),
                );
            }
            Some(Control::Rollback) => {
                return Err(Unrunnable::Rollback(Position {
                    width: u64::try_from(statement.leading_text(1).chars().count()).unwrap_or(1),
                    ..statement.start()
                }));
            }
            _ => {
                let from = sql.len();
                sql.push_str(&text[start..end]);
                ranges.push(from..sql.len());
            }
        }
        copied = end;
    }
    sql.push_str(&text[copied..]);
    Ok(Runnable {
        sql,
        statements: ranges,
        transaction,
    })
}

/// Byte offsets of the tokenizer's positions (line, and column in
/// characters, from 1) in a text, asked for in increasing order: each
/// line's characters are counted once, however long the line.
struct Locator<'t> {
    text: &'t str,
    /// The byte where each line starts.
    line_starts: Vec<usize>,
    /// The last position found: line and column (from 0), its byte.
    line: usize,
    column: usize,
    byte: usize,
}

impl<'t> Locator<'t> {
    fn new(text: &'t str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Locator {
            text,
            line_starts,
            line: 0,
            column: 0,
            byte: 0,
        }
    }

    /// The byte of `line`, `column` (past a line's end, the characters of
    /// the lines after it count on; past the text, its end).
    fn offset(&mut self, line: u64, column: u64) -> usize {
        let line = usize::try_from(line.max(1) - 1).unwrap_or(usize::MAX);
        let column = usize::try_from(column.max(1) - 1).unwrap_or(usize::MAX);
        if line != self.line || column < self.column {
            let Some(&start) = self.line_starts.get(line) else {
                return self.text.len();
            };
            (self.line, self.column, self.byte) = (line, 0, start);
        }
        let ahead = column - self.column;
        let moved = self.text[self.byte..]
            .char_indices()
            .nth(ahead)
            .map_or(self.text.len(), |(i, _)| self.byte + i);
        if moved < self.text.len() {
            (self.column, self.byte) = (column, moved);
        }
        moved
    }
}

/// Whether `text` starts with [`NO_TRANSACTION`].
///
/// # Errors
/// A `-- pg-sections:` comment that says something else, or says it on
/// another line than the first (where the migrator would not see it).
fn no_transaction(text: &str) -> Result<bool, Unrunnable> {
    // `pg-sections:` in any case and spacing, so that a spelling that
    // means the directive is never silently a plain comment.
    let directive = |comment: &str| {
        let (word, rest) = comment.split_once(':')?;
        word.trim()
            .eq_ignore_ascii_case(DIRECTIVE.trim_end_matches(':'))
            .then(|| rest.trim().to_ascii_lowercase())
    };
    // No comment can be a directive without its word: then there is no
    // need to tokenize the file to look at its comments.
    if !text
        .to_ascii_lowercase()
        .contains(DIRECTIVE.trim_end_matches(':'))
    {
        return Ok(false);
    }
    let Ok(tokens) = Tokenizer::new(&PostgreSqlDialect {}, text).tokenize_with_location() else {
        // The file runs as one batch; only its first line can say more.
        let first = text
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .unwrap_or_default();
        return Ok(first
            .strip_prefix("--")
            .and_then(directive)
            .is_some_and(|d| d == "no-transaction"));
    };
    let mut found = false;
    for token in &tokens {
        if let Token::Whitespace(Whitespace::MultiLineComment(comment)) = &token.token
            && directive(comment).is_some()
        {
            return Err(Unrunnable::Directive(
                Position {
                    line: token.span.start.line,
                    column: token.span.start.column,
                    width: 2,
                },
                "a directive is a `--` comment, not a `/* */` one".to_owned(),
            ));
        }
        let Token::Whitespace(Whitespace::SingleLineComment { comment, prefix }) = &token.token
        else {
            continue;
        };
        if prefix != "--" {
            continue;
        }
        let Some(said) = directive(comment) else {
            continue;
        };
        let at = Position {
            line: token.span.start.line,
            column: token.span.start.column,
            width: u64::try_from(2 + comment.trim_end().chars().count()).unwrap_or(1),
        };
        let first_line = at.line == 1 && at.column == 1;
        if said != "no-transaction" {
            return Err(Unrunnable::Directive(
                at,
                format!("unknown directive `{said}`"),
            ));
        }
        if !first_line {
            return Err(Unrunnable::Directive(
                at,
                "`no-transaction` must be the file's first line".to_owned(),
            ));
        }
        found = true;
    }
    Ok(found)
}

/// The psql meta-commands of `text` that change what runs: running the
/// file without them would do something else, so they are refused rather
/// than blanked.
pub(crate) fn unrunnable_meta_commands(lexed: &lexer::Lexed) -> Vec<(Position, String)> {
    lexed
        .meta_commands
        .iter()
        .filter(|m| m.changes_what_runs())
        .map(|m| (m.at, m.name.clone()))
        .collect()
}

/// Decides what a statement is from its first words.
pub(crate) fn classify(statement: &Statement) -> Kind {
    let words = statement.leading_words(6);
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let first = w.first().copied().unwrap_or_default();
    match first {
        "CREATE" => classify_create(&w[1..]),
        "ALTER" => match w.get(1).copied().unwrap_or_default() {
            // pg_dump gives every object an owner; an owner is not in the model.
            "TYPE" if statement.word_after_name(2).as_deref() == Some("OWNER") => Kind::Skip,
            "TABLE" | "TYPE" => Kind::Model,
            // Renaming or moving these would change the model; owners and
            // options would not. Both are rare in migrations: be explicit.
            "VIEW" | "MATERIALIZED" | "DOMAIN" | "SCHEMA" => {
                let mut skip = if w.get(1) == Some(&"MATERIALIZED") {
                    3
                } else {
                    2
                };
                let leading = statement.leading_words(skip + 2);
                if leading.get(skip).map(String::as_str) == Some("IF")
                    && leading.get(skip + 1).map(String::as_str) == Some("EXISTS")
                {
                    skip += 2;
                }
                let after = statement.words_after_name(skip, 2);
                match after.first().map(String::as_str) {
                    Some("OWNER") => Kind::Skip,
                    // A promotion moves an overlay's domain into its base.
                    Some("SET")
                        if w.get(1) == Some(&"DOMAIN")
                            && after.get(1).map(String::as_str) == Some("SCHEMA") =>
                    {
                        Kind::Model
                    }
                    // A domain's default, nullability, constraints, name.
                    Some("SET" | "DROP" | "ADD" | "VALIDATE" | "RENAME")
                        if w.get(1) == Some(&"DOMAIN") =>
                    {
                        Kind::Model
                    }
                    // A view column's default: `ALTER VIEW v ALTER COLUMN c
                    // SET DEFAULT …`, as pg_dump's `ALTER TABLE` spells it.
                    Some("ALTER") if w.get(1) == Some(&"VIEW") => Kind::Model,
                    // A view's or a column's new name, or its new schema.
                    Some("RENAME") if matches!(w.get(1), Some(&"VIEW" | &"MATERIALIZED")) => {
                        Kind::Model
                    }
                    Some("SET")
                        if matches!(w.get(1), Some(&"VIEW" | &"MATERIALIZED"))
                            && after.get(1).map(String::as_str) == Some("SCHEMA") =>
                    {
                        Kind::Model
                    }
                    // A view's options (`SET (security_barrier)`).
                    Some("SET" | "RESET")
                        if matches!(w.get(1), Some(&"VIEW" | &"MATERIALIZED"))
                            && after.get(1).is_none() =>
                    {
                        Kind::Skip
                    }
                    // How a materialized view is stored, clustered and
                    // sampled, and what it depends on: not what it holds
                    // (its columns take no default, so `ALTER COLUMN` is
                    // their statistics and storage).
                    Some("CLUSTER" | "DEPENDS" | "NO" | "ALTER")
                        if w.get(1) == Some(&"MATERIALIZED") =>
                    {
                        Kind::Skip
                    }
                    Some("SET")
                        if w.get(1) == Some(&"MATERIALIZED")
                            && matches!(
                                after.get(1).map(String::as_str),
                                Some("TABLESPACE" | "ACCESS" | "WITHOUT")
                            ) =>
                    {
                        Kind::Skip
                    }
                    _ => Kind::Unsupported,
                }
            }
            "INDEX" | "SEQUENCE" | "FUNCTION" | "PROCEDURE" | "ROLE" | "USER" | "GROUP"
            | "POLICY" | "DEFAULT" | "EXTENSION" | "TRIGGER" | "DATABASE" | "SYSTEM"
            | "PUBLICATION" | "SUBSCRIPTION" | "AGGREGATE" | "OPERATOR" | "STATISTICS"
            | "EVENT" | "COLLATION" | "TEXT" | "LANGUAGE" | "LARGE" | "TABLESPACE" | "RULE"
            | "CONVERSION" | "ROUTINE"
            // Foreign tables, servers and wrappers: the live source reads
            // no foreign table either.
            | "FOREIGN" | "SERVER" => Kind::Skip,
            _ => Kind::Unsupported,
        },
        "DROP" => match w.get(1).copied().unwrap_or_default() {
            "TABLE" | "TYPE" | "VIEW" | "MATERIALIZED" | "DOMAIN" | "SCHEMA" => Kind::Model,
            "INDEX" | "SEQUENCE" | "FUNCTION" | "PROCEDURE" | "ROLE" | "USER" | "GROUP"
            | "POLICY" | "EXTENSION" | "TRIGGER" | "RULE" | "STATISTICS" | "AGGREGATE"
            | "OPERATOR" | "EVENT" | "PUBLICATION" | "SUBSCRIPTION" | "OWNED" | "CAST"
            | "COLLATION" | "LANGUAGE" | "TABLESPACE" | "FOREIGN" | "SERVER" | "TEXT"
            | "CONVERSION" | "ACCESS" | "TRANSFORM" | "ROUTINE" => Kind::Skip,
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
        // An extension's types may be columns' types.
        "EXTENSION" => Kind::Model,
        "INDEX" | "FUNCTION" | "PROCEDURE" | "TRIGGER" | "POLICY" | "SEQUENCE" | "ROLE"
        | "USER" | "GROUP" | "STATISTICS" | "EVENT" | "AGGREGATE" | "OPERATOR" | "CAST"
        | "COLLATION" | "PUBLICATION" | "SUBSCRIPTION" | "RULE" | "LANGUAGE" | "TEXT"
        | "CONVERSION" | "TABLESPACE" | "SERVER" | "ACCESS" | "TRANSFORM"
        // Foreign tables and wrappers: the live source reads no foreign
        // table either.
        | "FOREIGN" => Kind::Skip,
        _ => Kind::Unsupported,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file tokenized whole, as [`split_lexed`] falls back to.
    fn split_whole(text: &str) -> Vec<Statement> {
        let tokens = Tokenizer::new(&PostgreSqlDialect {}, text)
            .tokenize_with_location()
            .unwrap();
        let mut splitter = Splitter::default();
        for token in tokens {
            splitter.push(token);
        }
        splitter.finish()
    }

    fn tokens_and_spans(statements: &[Statement]) -> Vec<Vec<(Token, sqlparser::tokenizer::Span)>> {
        statements
            .iter()
            .map(|s| s.tokens.iter().map(|t| (t.token.clone(), t.span)).collect())
            .collect()
    }

    #[test]
    fn a_file_tokenized_in_pieces_splits_as_it_does_whole() {
        // Semicolons inside strings, names, bodies, comments and a routine's
        // `BEGIN ATOMIC`; pieces cut after many statements and on a line's
        // middle (two statements on a line), over more than one piece.
        let statement = "CREATE TABLE s.t (a text DEFAULT 'x;y', \"b;\" int); \
            COMMENT ON TABLE s.t IS E'it''s \\' ; here'; /* a ; /* nested ; */ comment */\n\
            CREATE FUNCTION s.f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\n\
            CREATE FUNCTION s.g() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql; -- a ; comment\n\
            SELECT 'multi\nline;\nstring', $$;$$, 1.5e3, \"é;\";\n";
        let text = statement.repeat(3 * PIECE / statement.len() + 3);
        let lexed = lexer::lex(&text);
        assert!(lexed.statement_ends.len() > 20);
        let pieces = split_in_pieces(&lexed).expect("every piece ends at its semicolon");
        assert_eq!(
            tokens_and_spans(&pieces),
            tokens_and_spans(&split_whole(&text))
        );
        // A file without a last semicolon, and one the lexer reads
        // differently from the tokenizer (both whole).
        let tail = format!("{text}CREATE TABLE s.u (a int)");
        let lexed = lexer::lex(&tail);
        assert_eq!(
            tokens_and_spans(&split_in_pieces(&lexed).unwrap()),
            tokens_and_spans(&split_whole(&tail))
        );
    }

    #[test]
    fn a_piece_that_does_not_end_at_its_semicolon_is_tokenized_whole() {
        // The lexer's cut inside what the tokenizer reads as one token.
        let cleaned = format!("SELECT '{};b';", "a".repeat(PIECE));
        let inner = cleaned.find(';').unwrap() + 1;
        let lexed = lexer::Lexed {
            statement_ends: vec![inner, cleaned.len()],
            cleaned,
            meta_commands: Vec::new(),
            problem: None,
        };
        assert!(split_in_pieces(&lexed).is_none());
        assert_eq!(split_lexed(&lexed).unwrap().len(), 1);
    }

    fn kinds(sql: &str) -> Vec<Kind> {
        split(sql).unwrap().iter().map(classify).collect()
    }

    /// The text the migrator runs.
    fn executable_sql(text: &str) -> Result<String, Unrunnable> {
        runnable(text).map(|r| r.sql)
    }

    /// The statements the migrator runs, one by one.
    fn runs(text: &str) -> Vec<String> {
        let r = runnable(text).unwrap();
        r.statements
            .iter()
            .map(|s| r.sql[s.clone()].to_owned())
            .collect()
    }

    #[test]
    fn statements_run_one_by_one_with_their_semicolons() {
        let sql = "-- é\nCREATE TABLE t (a text DEFAULT 'é;');\n\n  INSERT INTO t VALUES ('x') ;\nSELECT 1";
        assert_eq!(
            runs(sql),
            [
                "CREATE TABLE t (a text DEFAULT 'é;');",
                "INSERT INTO t VALUES ('x') ;",
                "SELECT 1"
            ]
        );
        assert_eq!(
            runs("BEGIN;\nCREATE TABLE t (a int);\nSAVEPOINT s;\nCOMMIT;"),
            ["CREATE TABLE t (a int);", "SAVEPOINT s;"]
        );
        assert!(runnable(sql).unwrap().transaction);
    }

    #[test]
    fn statements_on_one_line_among_wide_characters_keep_their_places() {
        // Positions count characters; the ranges are bytes of the text.
        let sql = "BEGIN /* 中文 */; CREATE TABLE é (a text DEFAULT '🎉;'); SELECT 'ü' ; COMMIT;\r\nSELECT 2;";
        let r = runnable(sql).unwrap();
        assert_eq!(
            runs(sql),
            [
                "CREATE TABLE é (a text DEFAULT '🎉;');",
                "SELECT 'ü' ;",
                "SELECT 2;"
            ]
        );
        // Blanked control keeps every character and line where it was.
        assert_eq!(r.sql.chars().count(), sql.chars().count());
        assert_eq!(r.sql.lines().count(), sql.lines().count());
        assert!(
            r.sql.starts_with("      /* 中文 */; CREATE TABLE é"),
            "{}",
            r.sql
        );
        assert!(r.sql.ends_with(";        \r\nSELECT 2;"), "{}", r.sql);
        let many = "SELECT 'é';".repeat(2000);
        assert_eq!(runnable(&many).unwrap().statements.len(), 2000);
    }

    #[test]
    fn routine_bodies_split_as_psql_splits_them() {
        let body = "CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN x > 0 THEN 1 ELSE 2 END;\n  SELECT 3;\nEND;";
        assert_eq!(runs(&format!("{body}\nSELECT 4;")), [body, "SELECT 4;"]);
        // Elsewhere `begin` and `case` are plain words.
        assert_eq!(
            runs(
                "CREATE TABLE t (begin int, \"case\" int);\nSELECT CASE WHEN true THEN 1 END;\nSELECT 2;"
            ),
            [
                "CREATE TABLE t (begin int, \"case\" int);",
                "SELECT CASE WHEN true THEN 1 END;",
                "SELECT 2;"
            ]
        );
    }

    #[test]
    fn a_first_line_directive_runs_the_file_without_a_transaction() {
        let r = runnable(
            "-- pg-sections: no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\nVACUUM t;",
        )
        .unwrap();
        assert!(!r.transaction);
        assert_eq!(r.statements.len(), 2);
        assert!(runnable("--pg-sections:no-transaction  \nVACUUM;").is_ok_and(|r| !r.transaction));
        assert!(
            runnable("-- PG-Sections : No-Transaction\r\nVACUUM;").is_ok_and(|r| !r.transaction)
        );
        assert!(matches!(
            runnable("/* pg-sections: no-transaction */\nVACUUM;"),
            Err(Unrunnable::Directive(..))
        ));
        let refused = |sql: &str| match runnable(sql) {
            Err(Unrunnable::Directive(at, what)) => (at.line, what),
            Err(Unrunnable::ControlWithoutTransaction(at, keyword)) => (at.line, keyword),
            other => panic!("`{sql}` must be refused: {other:?}"),
        };
        assert_eq!(
            refused("-- pg-sections: no-transactions\nVACUUM;"),
            (1, "unknown directive `no-transactions`".to_owned())
        );
        assert_eq!(
            refused("-- header\n-- pg-sections: no-transaction\nVACUUM;").0,
            2
        );
        assert_eq!(
            refused("-- pg-sections: no-transaction\nVACUUM;\nBEGIN;\nSELECT 1;\nCOMMIT;"),
            (3, "BEGIN".to_owned())
        );
        assert_eq!(
            refused("-- pg-sections: no-transaction\nsavepoint a;"),
            (2, "SAVEPOINT".to_owned())
        );
        // In a string or a body it is text, not a directive.
        assert!(
            runnable("SELECT '\n-- pg-sections: no-transaction';").is_ok_and(|r| r.transaction)
        );
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
        let out = executable_sql(sql).unwrap();
        assert_eq!(out.len(), sql.len());
        assert_eq!(out.trim(), "CREATE TABLE t (a int);");
        assert_eq!(out.lines().nth(2), Some("CREATE TABLE t (a int);"));
    }

    #[test]
    fn unknown_statements_are_unsupported() {
        assert_eq!(kinds("FROBNICATE t;"), vec![Kind::Unsupported]);
        assert_eq!(kinds("ALTER VIEW v RENAME TO w;"), vec![Kind::Model]);
        assert_eq!(kinds("ALTER VIEW v SET SCHEMA w;"), vec![Kind::Model]);
        assert_eq!(kinds("ALTER VIEW v OWNER TO bob;"), vec![Kind::Skip]);
        assert_eq!(kinds("ALTER TYPE s.t OWNER TO bob;"), vec![Kind::Skip]);
        assert_eq!(
            kinds("ALTER MATERIALIZED VIEW \"s\".v OWNER TO bob;"),
            vec![Kind::Skip]
        );
        assert_eq!(kinds("ALTER TYPE owner RENAME TO t;"), vec![Kind::Model]);
        assert_eq!(kinds("ALTER VIEW owner RENAME TO w;"), vec![Kind::Model]);
        assert_eq!(kinds("ALTER VIEW owner SET SCHEMA w;"), vec![Kind::Model]);
        assert_eq!(
            kinds("ALTER VIEW v SET (security_barrier);"),
            vec![Kind::Skip]
        );
        assert_eq!(
            kinds("ALTER VIEW v SET WITHOUT x;"),
            vec![Kind::Unsupported]
        );
    }

    #[test]
    fn savepoints_are_kept_for_the_migrator() {
        let sql = "BEGIN;\nCREATE TABLE t (a int);\nSAVEPOINT try;\nDROP TABLE t;\nROLLBACK TO SAVEPOINT try;\nRELEASE try;\nCOMMIT;\n";
        let out = executable_sql(sql).unwrap();
        assert_eq!(
            out.split_whitespace().collect::<Vec<_>>().join(" "),
            "CREATE TABLE t (a int); SAVEPOINT try; DROP TABLE t; ROLLBACK TO SAVEPOINT try; RELEASE try;"
        );
        let out =
            executable_sql("rollback work to s1; rollback transaction to savepoint s2;").unwrap();
        assert!(out.contains("rollback work to s1;"));
        assert!(out.contains("rollback transaction to savepoint s2;"));
    }

    #[test]
    fn a_rollback_of_the_whole_file_is_refused() {
        let Err(Unrunnable::Rollback(at)) =
            executable_sql("BEGIN;\nCREATE TABLE t (a int);\n  ROLLBACK;\n")
        else {
            panic!("a ROLLBACK must be refused");
        };
        assert_eq!((at.line, at.column, at.width), (3, 3, 8));
        assert!(executable_sql("CREATE TABLE t (a int);\nabort;").is_err());
        assert!(executable_sql("ROLLBACK PREPARED 'x';").is_ok());
    }

    #[test]
    fn control_statements_are_told_apart() {
        let control = |sql: &str| split(sql).unwrap()[0].control();
        assert_eq!(
            control("begin isolation level serializable"),
            Some(Control::Transaction)
        );
        assert_eq!(
            control("START TRANSACTION READ WRITE"),
            Some(Control::Transaction)
        );
        assert_eq!(control("commit and chain"), Some(Control::Transaction));
        assert_eq!(control("END WORK"), Some(Control::Transaction));
        assert_eq!(control("ROLLBACK"), Some(Control::Rollback));
        assert_eq!(
            control("ROLLBACK TO Sp"),
            Some(Control::RollbackTo("sp".into()))
        );
        assert_eq!(
            control("ROLLBACK TO \"Sp\""),
            Some(Control::RollbackTo("Sp".into()))
        );
        assert_eq!(control("SAVEPOINT a"), Some(Control::Savepoint("a".into())));
        assert_eq!(
            control("RELEASE SAVEPOINT a"),
            Some(Control::Release("a".into()))
        );
        assert_eq!(control("RELEASE a"), Some(Control::Release("a".into())));
        assert_eq!(control("START_TIME"), None);
        assert_eq!(control("COMMIT PREPARED 'x'"), None);
    }

    #[test]
    fn meta_commands_are_found_outside_strings_and_bodies_only() {
        let sql = "\\set ON_ERROR_STOP on\nCREATE FUNCTION f() RETURNS text AS $$\n\\not a command\n$$ LANGUAGE sql;\n  \\echo done\nSELECT 'a\n\\b';\n";
        assert!(unrunnable_meta_commands(&lexer::lex(sql)).is_empty());
        assert!(executable_sql(sql).unwrap().contains("\\not a command"));
    }

    #[test]
    fn meta_commands_that_change_what_runs_are_refused() {
        for (sql, name) in [
            ("\\i other.sql\n", "i"),
            ("SELECT 1;\n\\ir ../x.sql\n", "ir"),
            ("\\connect other\n", "connect"),
            ("\\if :flag\nCREATE TABLE t (a int);\n\\endif\n", "if"),
            ("\\copy t FROM 'seed.csv'\n", "copy"),
            ("SELECT 'CREATE TABLE x ()'\n\\gexec\n", "gexec"),
            ("\\q\n", "q"),
        ] {
            let Err(Unrunnable::MetaCommand(_, found)) = executable_sql(sql) else {
                panic!("`{sql}` must be refused");
            };
            assert_eq!(found, name);
        }
    }
}
