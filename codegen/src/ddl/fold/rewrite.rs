//! Statements rewritten, token by token, into what sqlparser reads, where
//! PostgreSQL's grammar has a form sqlparser does not parse. Each rewrite
//! keeps what the model needs (names, types) and the tokens' positions.
//!
//! Some forms become a call or argument under a name no SQL text can
//! spell (it starts with a NUL character, which the DDL source refuses in
//! a file), which the view reader recognises: `VARIADIC x` as the argument
//! [`VARIADIC`], `ROWS FROM (…)` as the function [`ROWS_FROM`], and the XML
//! functions of their own syntax (`XMLELEMENT(NAME x, …)`) as calls without
//! arguments to `XML_FUNCTION` + their name.

use sqlparser::tokenizer::{Span, Token, TokenWithSpan, Whitespace};

use super::Statement;

/// The name of the argument a `VARIADIC` argument becomes.
pub(crate) const VARIADIC: &str = "\0variadic";
/// The name of the function `ROWS FROM` becomes.
pub(crate) const ROWS_FROM: &str = "\0rows from";
/// What the name of an XML function of its own syntax starts with.
pub(crate) const XML_FUNCTION: &str = "\0";

/// The XML functions with a syntax of their own, which sqlparser does not
/// read (`XMLELEMENT(NAME x, XMLATTRIBUTES(a AS b))`).
const XML_FUNCTIONS: &[&str] = &[
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
];

/// The array a `VARIADIC` argument, as this module writes it, passes.
pub(crate) fn variadic_argument(
    arg: &sqlparser::ast::FunctionArg,
) -> Option<&sqlparser::ast::Expr> {
    use sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr};
    match arg {
        FunctionArg::Named {
            name,
            arg: FunctionArgExpr::Expr(e),
            ..
        }
        | FunctionArg::ExprNamed {
            name: Expr::Identifier(name),
            arg: FunctionArgExpr::Expr(e),
            ..
        } if name.quote_style.is_some() && name.value == VARIADIC => Some(e),
        _ => None,
    }
}

/// A message about a rewritten statement, with the forms this module
/// wrote spelled as the user wrote them.
pub(crate) fn readable(message: &str) -> String {
    let mut out = message
        .replace(&format!("\"{VARIADIC}\" => "), "VARIADIC ")
        .replace(&format!("\"{ROWS_FROM}\""), "ROWS FROM");
    for name in XML_FUNCTIONS {
        out = out.replace(
            &format!("\"{XML_FUNCTION}{name}\"()"),
            &format!("{}(…)", name.to_uppercase()),
        );
    }
    out
}

/// Whether whitespace `token` holds a line break (a `--` comment ends
/// with one).
fn line_break(token: &Token) -> bool {
    match token {
        Token::Whitespace(Whitespace::Newline | Whitespace::SingleLineComment { .. }) => true,
        Token::Whitespace(Whitespace::MultiLineComment(c)) => c.contains('\n'),
        _ => false,
    }
}

/// `raw` with its Unicode escapes (`!0061`, `!+000061`, `!!`) read with
/// the escape character `escape`; `None` when one is malformed or
/// `escape` is not one character PostgreSQL takes.
fn unicode_escaped(raw: &str, escape: &str) -> Option<String> {
    let mut e = escape.chars();
    let escape = e.next()?;
    if e.next().is_some()
        || escape.is_ascii_hexdigit()
        || matches!(escape, '+' | '\'' | '"')
        || escape.is_whitespace()
    {
        return None;
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != escape {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&escape) {
            chars.next();
            out.push(escape);
            continue;
        }
        let digits = if chars.peek() == Some(&'+') {
            chars.next();
            6
        } else {
            4
        };
        let hex: String = (0..digits).map_while(|_| chars.next()).collect();
        if hex.len() != digits {
            return None;
        }
        out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
    }
    Some(out)
}

/// What to do with a token.
enum Edit {
    Drop,
    Replace(Vec<Token>),
}

/// A statement as sqlparser reads it: `TRIM(BOTH | LEADING | TRAILING
/// FROM x)`, which sqlparser does not read without the characters to trim,
/// as the `TRIM(BOTH x)` it reads (the same call: `btrim(x)`); and in a
/// view: no `COLLATE name` (it chooses how text compares, not what type it
/// has, and sqlparser does not read it after a cast, as `pg_dump` writes
/// it), no window frame `EXCLUDE …` (it chooses rows, not types), `t.*::type`
/// as `t::type`, and the forms above. `None` when there is nothing to
/// change.
pub(super) fn in_sqlparsers_terms(statement: &Statement) -> Option<Statement> {
    let tokens = &statement.tokens;
    let significant: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| !matches!(t.token, Token::Whitespace(_)))
        .map(|(i, _)| i)
        .collect();
    // Each unquoted word in capitals, once: the forms below look at every
    // position's neighbours.
    let upper: Vec<Option<String>> = significant
        .iter()
        .map(|&i| match &tokens[i].token {
            Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        })
        .collect();
    let word = |k: usize| -> Option<&str> { upper.get(k)?.as_deref() };
    let token = |k: usize| significant.get(k).map(|&i| &tokens[i].token);
    let words = statement.leading_words(4);
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let is_view = w.strip_prefix(&["CREATE"]).is_some_and(|w| {
        let w = w.strip_prefix(&["OR", "REPLACE"]).unwrap_or(w);
        matches!(
            w.first().copied(),
            Some("MATERIALIZED" | "VIEW" | "RECURSIVE")
        )
    });
    let mut edits: std::collections::BTreeMap<usize, Edit> = std::collections::BTreeMap::new();
    let drop = |edits: &mut std::collections::BTreeMap<usize, Edit>, k: usize| {
        edits.insert(significant[k], Edit::Drop);
    };
    if is_view {
        recursive_view(&significant, tokens, &upper, &mut edits);
    }
    let mut k = 0;
    while k < significant.len() {
        let here = word(k);
        if let Some(next) = spelling_form(&significant, tokens, &upper, k, &w, &mut edits) {
            k = next;
            continue;
        }
        // `TRIM(BOTH FROM x)`: the `FROM` goes.
        if here == Some("TRIM")
            && token(k + 1) == Some(&Token::LParen)
            && matches!(word(k + 2), Some("BOTH" | "LEADING" | "TRAILING"))
            && word(k + 3) == Some("FROM")
        {
            drop(&mut edits, k + 3);
            k += 4;
            continue;
        }
        // `f(a, VARIADIC b)`, in a view or a default.
        if here == Some("VARIADIC")
            && matches!(token(k.wrapping_sub(1)), Some(Token::LParen | Token::Comma))
            && !matches!(w.first(), Some(&"CREATE") if w.contains(&"FUNCTION") || w.contains(&"PROCEDURE"))
        {
            edits.insert(
                significant[k],
                Edit::Replace(vec![
                    Token::make_word(VARIADIC, Some('"')),
                    Token::Whitespace(Whitespace::Space),
                    Token::RArrow,
                    Token::Whitespace(Whitespace::Space),
                ]),
            );
            k += 1;
            continue;
        }
        // `U&"d\0061ta"`: a quoted name in Unicode escapes, which sqlparser
        // reads as `U & "…"`.
        if here == Some("U")
            && token(k + 1) == Some(&Token::Ampersand)
            && significant.get(k + 2) == Some(&(significant[k] + 2))
            && significant[k + 1] == significant[k] + 1
            && word(k + 3) != Some("UESCAPE")
            && let Some(Token::Word(quoted)) = token(k + 2)
            && quoted.quote_style == Some('"')
            && let Some(name) = unicode_escapes(&quoted.value)
        {
            edits.insert(
                significant[k],
                Edit::Replace(vec![Token::make_word(&name, Some('"'))]),
            );
            drop(&mut edits, k + 1);
            drop(&mut edits, k + 2);
            k += 3;
            continue;
        }
        // `inet '10.0.0.1'`: a literal of a type sqlparser does not take
        // before a string, as the cast it is.
        if let Some(name) = here
            && matches!(token(k + 1), Some(Token::SingleQuotedString(_)))
            && !matches!(token(k.wrapping_sub(1)), Some(Token::Period))
            && typed_literal_type(name)
        {
            let literal = tokens[significant[k + 1]].token.clone();
            edits.insert(
                significant[k],
                Edit::Replace(vec![
                    literal,
                    Token::DoubleColon,
                    tokens[significant[k]].token.clone(),
                ]),
            );
            drop(&mut edits, k + 1);
            k += 2;
            continue;
        }
        // `x OPERATOR(public.=) ANY (…)`, as `pg_dump` writes an `IN` list
        // over an extension's type (`citext`): the bare operator, which
        // sqlparser reads before `ANY`.
        if here == Some("OPERATOR")
            && token(k + 1) == Some(&Token::LParen)
            && let Some(end) = closing(&significant, tokens, k + 1)
            && matches!(word(end + 1), Some("ANY" | "ALL" | "SOME"))
            && let Some(dot) = (k + 2..end)
                .rev()
                .find(|&j| token(j) == Some(&Token::Period))
            && dot + 1 < end
        {
            (k..=dot).for_each(|j| drop(&mut edits, j));
            drop(&mut edits, end);
            k = end + 1;
            continue;
        }
        if let Some(next) = integer_form(&significant, tokens, k, &mut edits) {
            k = next;
            continue;
        }
        if !is_view {
            k += 1;
            continue;
        }
        if let Some(next) = view_form(&significant, tokens, &upper, k, here, &mut edits) {
            k = next;
            continue;
        }
        // `t.*::type`: the `.*` goes.
        if matches!(token(k), Some(Token::Word(_)))
            && token(k + 1) == Some(&Token::Period)
            && token(k + 2) == Some(&Token::Mul)
            && token(k + 3) == Some(&Token::DoubleColon)
        {
            drop(&mut edits, k + 1);
            drop(&mut edits, k + 2);
            k += 3;
            continue;
        }
        k += 1;
    }
    (!edits.is_empty()).then(|| applied(tokens, &edits))
}

/// `CREATE RECURSIVE VIEW s.v (a, b) AS query` as the view PostgreSQL
/// makes of it: `CREATE VIEW s.v (a, b) AS WITH RECURSIVE v (a, b) AS
/// (query) SELECT a, b FROM v`. Nothing when the view is not recursive (or
/// not of that shape: the parser then says what it expected).
fn recursive_view(
    significant: &[usize],
    tokens: &[TokenWithSpan],
    upper: &[Option<String>],
    edits: &mut std::collections::BTreeMap<usize, Edit>,
) {
    let word = |k: usize| -> Option<&str> { upper.get(k)?.as_deref() };
    let token = |k: usize| significant.get(k).map(|&i| &tokens[i].token);
    let Some(recursive) = (1..4).find(|&k| word(k) == Some("RECURSIVE")) else {
        return;
    };
    if word(recursive + 1) != Some("VIEW") {
        return;
    }
    // The name, up to the column list: its last part names the query.
    let name_start = recursive + 2;
    let Some(open) = (name_start..significant.len()).find(|&k| token(k) == Some(&Token::LParen))
    else {
        return;
    };
    let Some(close) = closing(significant, tokens, open) else {
        return;
    };
    let Some(Token::Word(last)) = token(open - 1) else {
        return;
    };
    let mut after = close + 1;
    if word(after) == Some("WITH") && token(after + 1) == Some(&Token::LParen) {
        let Some(end) = closing(significant, tokens, after + 1) else {
            return;
        };
        after = end + 1;
    }
    if word(after) != Some("AS") || after + 1 >= significant.len() {
        return;
    }
    let space = || Token::Whitespace(Whitespace::Space);
    let columns: Vec<Token> = (open..=close)
        .filter_map(|k| token(k).cloned())
        .flat_map(|t| [t, space()])
        .collect();
    let mut head = vec![
        Token::make_keyword("AS"),
        space(),
        Token::make_keyword("WITH"),
        space(),
        Token::make_keyword("RECURSIVE"),
        space(),
        Token::Word(last.clone()),
        space(),
    ];
    head.extend(columns.iter().cloned());
    head.extend([Token::make_keyword("AS"), space(), Token::LParen, space()]);
    let mut tail = vec![
        tokens[significant[significant.len() - 1]].token.clone(),
        space(),
        Token::RParen,
        space(),
        Token::make_keyword("SELECT"),
        space(),
    ];
    // The column list without its parentheses.
    tail.extend(columns[2..columns.len() - 2].iter().cloned());
    tail.extend([
        space(),
        Token::make_keyword("FROM"),
        space(),
        Token::Word(last.clone()),
    ]);
    edits.insert(significant[recursive], Edit::Drop);
    edits.insert(significant[after], Edit::Replace(head));
    edits.insert(significant[significant.len() - 1], Edit::Replace(tail));
}

/// A form of any statement sqlparser does not read, at significant index
/// `k`: continued strings, `UESCAPE`, `ON DELETE SET NULL (a)`, a changed
/// column type's collation, a column's compression; its edits made, the index after it; `None`
/// when there is none there.
fn spelling_form(
    significant: &[usize],
    tokens: &[TokenWithSpan],
    upper: &[Option<String>],
    k: usize,
    w: &[&str],
    edits: &mut std::collections::BTreeMap<usize, Edit>,
) -> Option<usize> {
    let word = |k: usize| -> Option<&str> { upper.get(k)?.as_deref() };
    let token = |k: usize| significant.get(k).map(|&i| &tokens[i].token);
    let drop = |edits: &mut std::collections::BTreeMap<usize, Edit>, k: usize| {
        edits.insert(significant[k], Edit::Drop);
    };
    // `'abc'<newline>'def'`: one constant, `'abcdef'`, as SQL has it
    // (only across a line break).
    if let Some(Token::SingleQuotedString(first)) = token(k) {
        let mut value = first.clone();
        let mut end = k;
        while let Some(Token::SingleQuotedString(next)) = token(end + 1)
            && tokens[significant[end] + 1..significant[end + 1]]
                .iter()
                .any(|t| line_break(&t.token))
        {
            value.push_str(next);
            end += 1;
        }
        if end > k {
            edits.insert(
                significant[k],
                Edit::Replace(vec![Token::SingleQuotedString(value)]),
            );
            (k + 1..=end).for_each(|j| drop(edits, j));
            return Some(end + 1);
        }
    }
    // `U&'d!0061ta' UESCAPE '!'`: the constant, its escapes read with
    // the character given (sqlparser reads them with `\`, which the
    // text then does not hold).
    if let Some(Token::UnicodeStringLiteral(raw)) = token(k)
        && word(k + 1) == Some("UESCAPE")
        && let Some(Token::SingleQuotedString(escape)) = token(k + 2)
        && !raw.contains('\\')
        && let Some(value) = unicode_escaped(raw, escape)
    {
        edits.insert(
            significant[k],
            Edit::Replace(vec![Token::SingleQuotedString(value)]),
        );
        drop(edits, k + 1);
        drop(edits, k + 2);
        return Some(k + 3);
    }
    // `ON DELETE SET NULL (a)` (PostgreSQL 15): which of the key's
    // columns the action sets is no part of the model; the list goes.
    if word(k) == Some("DELETE")
        && word(k.wrapping_sub(1)) == Some("ON")
        && word(k + 1) == Some("SET")
        && matches!(word(k + 2), Some("NULL" | "DEFAULT"))
        && token(k + 3) == Some(&Token::LParen)
    {
        let mut end = k + 3;
        while end < significant.len() && token(end) != Some(&Token::RParen) {
            drop(edits, end);
            end += 1;
        }
        if end < significant.len() {
            drop(edits, end);
        }
        return Some(end + 1);
    }
    // `ALTER COLUMN c TYPE text COLLATE "C"`: which collation a column
    // has is no part of the model.
    if word(k) == Some("COLLATE") && w.starts_with(&["ALTER", "TABLE"]) {
        let end = collation_end(significant, tokens, k + 1);
        (k..end).for_each(|j| drop(edits, j));
        return Some(end);
    }
    // `CHECK (…) NOT VALID` in `CREATE TABLE`: the server takes it (an
    // empty table holds no row to skip).
    if matches!(w, ["CREATE", "TABLE" | "UNLOGGED", ..])
        && word(k) == Some("NOT")
        && word(k + 1) == Some("VALID")
    {
        drop(edits, k);
        drop(edits, k + 1);
        return Some(k + 2);
    }
    // `PARTITION OF parent (a DEFAULT 1, b WITH OPTIONS NOT NULL, …)`: a
    // partition is no table of the model; its column options go.
    if matches!(w, ["CREATE", "TABLE" | "UNLOGGED", ..])
        && word(k) == Some("OF")
        && word(k.wrapping_sub(1)) == Some("PARTITION")
    {
        // The parent's name: `p` or `s.p`.
        let mut end = k + 2;
        if token(end) == Some(&Token::Period) {
            end += 2;
        }
        if token(end) == Some(&Token::LParen)
            && let Some(close) = closing(significant, tokens, end)
        {
            (end..=close).for_each(|j| drop(edits, j));
            return Some(close + 1);
        }
    }
    // `body text COMPRESSION pglz` in a column's definition: storage.
    if word(k) == Some("COMPRESSION")
        && matches!(w, ["CREATE", "TABLE" | "UNLOGGED", ..])
        && !matches!(
            token(k.wrapping_sub(1)),
            Some(Token::LParen | Token::Comma) | None
        )
        && matches!(token(k + 1), Some(Token::Word(_)))
    {
        drop(edits, k);
        drop(edits, k + 1);
        return Some(k + 2);
    }
    None
}

/// A view's form sqlparser does not read, at significant index `k` (whose
/// unquoted word is `here`): its edits made, the index after it; `None`
/// when there is none there.
fn view_form(
    significant: &[usize],
    tokens: &[TokenWithSpan],
    upper: &[Option<String>],
    mut k: usize,
    here: Option<&str>,
    edits: &mut std::collections::BTreeMap<usize, Edit>,
) -> Option<usize> {
    let word = |k: usize| -> Option<&str> { upper.get(k)?.as_deref() };
    let token = |k: usize| significant.get(k).map(|&i| &tokens[i].token);
    let drop = |edits: &mut std::collections::BTreeMap<usize, Edit>, k: usize| {
        edits.insert(significant[k], Edit::Drop);
    };
    match here {
        // `WITH (security_barrier)`, a view's options (only they follow
        // `WITH` with a parenthesis): no part of what it returns.
        Some("WITH") if token(k + 1) == Some(&Token::LParen) => {
            let end = closing(significant, tokens, k + 1)?;
            (k..=end).for_each(|j| drop(edits, j));
            return Some(end + 1);
        }
        // `AS TABLE t`, `UNION TABLE t`, `(TABLE t)`: `SELECT * FROM t`.
        Some("TABLE")
            if matches!(
                word(k.wrapping_sub(1)),
                Some("AS" | "UNION" | "INTERSECT" | "EXCEPT" | "ALL" | "DISTINCT")
            ) || token(k.wrapping_sub(1)) == Some(&Token::LParen) =>
        {
            edits.insert(
                significant[k],
                Edit::Replace(vec![
                    Token::make_keyword("SELECT"),
                    Token::Whitespace(Whitespace::Space),
                    Token::Mul,
                    Token::Whitespace(Whitespace::Space),
                    Token::make_keyword("FROM"),
                ]),
            );
            return Some(k + 1);
        }
        // `COLLATE "C"`, `COLLATE pg_catalog."default"`.
        Some("COLLATE") => {
            let end = collation_end(significant, tokens, k + 1);
            (k..end).for_each(|j| drop(edits, j));
            k = end;
            return Some(k);
        }
        // `… CURRENT ROW EXCLUDE TIES)`.
        Some("EXCLUDE")
            if matches!(
                word(k.wrapping_sub(1)),
                Some("ROW" | "PRECEDING" | "FOLLOWING")
            ) =>
        {
            let width = match (word(k + 1), word(k + 2)) {
                (Some("CURRENT"), Some("ROW")) | (Some("NO"), Some("OTHERS")) => 3,
                (Some("GROUP" | "TIES"), _) => 2,
                _ => 1,
            };
            if width > 1 {
                (k..k + width).for_each(|j| drop(edits, j));
                k += width;
                return Some(k);
            }
        }
        // `FETCH FIRST (3) ROWS`, as `pg_dump` writes it: the count
        // without its parentheses.
        Some("FIRST" | "NEXT")
            if word(k.wrapping_sub(1)) == Some("FETCH")
                && token(k + 1) == Some(&Token::LParen)
                && matches!(token(k + 2), Some(Token::Number(..)))
                && token(k + 3) == Some(&Token::RParen) =>
        {
            drop(edits, k + 1);
            drop(edits, k + 3);
            k += 4;
            return Some(k);
        }
        // `RANGE BETWEEN '1 day'::interval PRECEDING`, as `pg_dump` writes a
        // frame's offset: `INTERVAL '1 day' PRECEDING`, which sqlparser reads.
        Some("INTERVAL")
            if matches!(token(k.wrapping_sub(2)), Some(Token::SingleQuotedString(_)))
                && token(k.wrapping_sub(1)) == Some(&Token::DoubleColon)
                && matches!(word(k + 1), Some("PRECEDING" | "FOLLOWING")) =>
        {
            let literal = tokens[significant[k - 2]].token.clone();
            edits.insert(
                significant[k - 2],
                Edit::Replace(vec![
                    Token::make_keyword("INTERVAL"),
                    Token::Whitespace(Whitespace::Space),
                    literal,
                ]),
            );
            drop(edits, k - 1);
            drop(edits, k);
            return Some(k + 1);
        }
        // `FROM ONLY s.t`: the table without its inheritance children,
        // whose columns are the table's.
        Some("ONLY")
            if (matches!(word(k.wrapping_sub(1)), Some("FROM" | "JOIN"))
                || matches!(token(k.wrapping_sub(1)), Some(Token::Comma | Token::LParen)))
                && matches!(token(k + 1), Some(Token::Word(_))) =>
        {
            drop(edits, k);
            return Some(k + 1);
        }
        // `a BETWEEN SYMMETRIC b AND c`: a boolean, as `BETWEEN` is.
        Some("SYMMETRIC") if word(k.wrapping_sub(1)) == Some("BETWEEN") => {
            drop(edits, k);
            return Some(k + 1);
        }

        // `FROM ROWS FROM (f(…), g(…))`.
        Some("ROWS") if word(k + 1) == Some("FROM") && token(k + 2) == Some(&Token::LParen) => {
            edits.insert(
                significant[k],
                Edit::Replace(vec![Token::make_word(ROWS_FROM, Some('"'))]),
            );
            drop(edits, k + 1);
            k += 2;
            return Some(k);
        }
        // `x IS [NOT] DOCUMENT`: a boolean, as `IS [NOT] NULL` is.
        Some("DOCUMENT")
            if word(k.wrapping_sub(1)) == Some("IS")
                || (word(k.wrapping_sub(1)) == Some("NOT")
                    && word(k.wrapping_sub(2)) == Some("IS")) =>
        {
            edits.insert(
                significant[k],
                Edit::Replace(vec![Token::make_keyword("NULL")]),
            );
        }
        Some(name)
            if XML_FUNCTIONS.contains(&name.to_ascii_lowercase().as_str())
                && token(k + 1) == Some(&Token::LParen)
                && !matches!(token(k.wrapping_sub(1)), Some(Token::Period)) =>
        {
            if let Some(end) = closing(significant, tokens, k + 1) {
                let call = xml_call(significant, tokens, &name.to_ascii_lowercase(), k, end);
                edits.insert(significant[k], Edit::Replace(call));
                (k + 1..=end).for_each(|j| drop(edits, j));
                k = end + 1;
                return Some(k);
            }
        }
        _ => {}
    }
    None
}

/// An integer literal of PostgreSQL 16 at significant index `k`, which
/// sqlparser reads otherwise: its edit made, the index after it; `None`
/// when there is none there.
fn integer_form(
    significant: &[usize],
    tokens: &[TokenWithSpan],
    k: usize,
    edits: &mut std::collections::BTreeMap<usize, Edit>,
) -> Option<usize> {
    let token = |k: usize| significant.get(k).map(|&i| &tokens[i].token);
    // `1_000_000` (PostgreSQL 16), which the tokenizer reads as one
    // number; `0x1F`, which it reads as `X'1F'` (the span tells them
    // apart: two characters more than the digits, not three).
    let integer = match token(k) {
        Some(Token::Number(digits, _)) if digits.contains('_') => integer_literal(digits),
        Some(Token::HexStringLiteral(digits)) => {
            let span = tokens[significant[k]].span;
            (span.start.line == span.end.line
                && u64::try_from(digits.len())
                    .is_ok_and(|n| span.end.column - span.start.column == n + 2))
            .then(|| integer_literal(&format!("0x{digits}")))
            .flatten()
        }
        _ => None,
    };
    if let Some(value) = integer {
        edits.insert(
            significant[k],
            Edit::Replace(vec![Token::Number(value, false)]),
        );
        return Some(k + 1);
    }
    // `0b101`, `0o17`, `0X_FF` (PostgreSQL 16): integers, which the
    // tokenizer splits after the first digit.
    if let Some(Token::Number(digits, _)) = token(k)
        && let Some(Token::Word(rest)) = token(k + 1)
        && significant[k + 1] == significant[k] + 1
        && rest.quote_style.is_none()
        && let Some(value) = integer_literal(&format!("{digits}{}", rest.value))
    {
        edits.insert(
            significant[k],
            Edit::Replace(vec![Token::Number(value, false)]),
        );
        edits.insert(significant[k + 1], Edit::Drop);
        return Some(k + 2);
    }
    None
}

/// An integer literal of PostgreSQL 16 (`0b101`, `0o17`, `0x1F`, with
/// `_` between digits: `1_000`, `0o_1_755`) in decimal; `None` for any
/// other text.
fn integer_literal(text: &str) -> Option<String> {
    let (radix, digits) = match text.get(..2).map(str::to_ascii_lowercase).as_deref() {
        Some("0b") => (2, &text[2..]),
        Some("0o") => (8, &text[2..]),
        Some("0x") => (16, &text[2..]),
        _ => (10, text),
    };
    // `0o_1_755`: a `_` may follow the prefix.
    if digits.is_empty()
        || (radix == 10 && digits.starts_with('_'))
        || digits.ends_with('_')
        || digits.contains("__")
        || (radix == 10 && !digits.contains('_'))
    {
        return None;
    }
    let plain: String = digits.chars().filter(|c| *c != '_').collect();
    u128::from_str_radix(&plain, radix)
        .ok()
        .map(|n| n.to_string())
}

/// `tokens` with `edits` made, each new token at the place of the one it
/// replaces.
fn applied(tokens: &[TokenWithSpan], edits: &std::collections::BTreeMap<usize, Edit>) -> Statement {
    let mut out = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        match edits.get(&i) {
            None => out.push(t.clone()),
            // A space keeps the words either side apart.
            Some(Edit::Drop) => out.push(TokenWithSpan {
                token: Token::Whitespace(Whitespace::Space),
                span: t.span,
            }),
            Some(Edit::Replace(with)) => out.extend(with.iter().map(|token| TokenWithSpan {
                token: token.clone(),
                span: Span::new(t.span.start, t.span.end),
            })),
        }
    }
    Statement { tokens: out }
}

/// The call an XML function of its own syntax, from the significant
/// index `at` of its name to `end` of its `)`, becomes: one without
/// arguments, but `XMLSERIALIZE(CONTENT x AS type)`'s is a `NULL` of
/// `type`.
fn xml_call(
    significant: &[usize],
    tokens: &[TokenWithSpan],
    name: &str,
    at: usize,
    end: usize,
) -> Vec<Token> {
    let word = |k: usize| match &tokens[significant[k]].token {
        Token::Word(w) if w.quote_style.is_none() => w.value.eq_ignore_ascii_case("AS"),
        _ => false,
    };
    let mut call = vec![
        Token::make_word(&format!("{XML_FUNCTION}{name}"), Some('"')),
        Token::LParen,
    ];
    if name == "xmlserialize"
        && let Some(as_word) = (at + 2..end)
            .rev()
            .find(|&j| word(j) && depth(significant, tokens, at + 1, j) == 1)
    {
        let space = || Token::Whitespace(Whitespace::Space);
        call.extend([
            Token::make_keyword("CAST"),
            Token::LParen,
            Token::make_keyword("NULL"),
            space(),
            Token::make_keyword("AS"),
            space(),
        ]);
        call.extend(
            (as_word + 1..end).flat_map(|j| [tokens[significant[j]].token.clone(), space()]),
        );
        call.push(Token::RParen);
    }
    call.push(Token::RParen);
    call
}

/// The significant index after a collation's name (`"C"`,
/// `pg_catalog."default"`) that starts at `at`.
fn collation_end(significant: &[usize], tokens: &[TokenWithSpan], mut at: usize) -> usize {
    let mut expect_name = true;
    while let Some(&i) = significant.get(at) {
        match tokens[i].token {
            Token::Word(_) if expect_name => expect_name = false,
            Token::Period if !expect_name => expect_name = true,
            _ => break,
        }
        at += 1;
    }
    at
}

/// The text of a `U&"…"` name: `\XXXX` and `\+XXXXXX` code points, `\\`
/// a backslash; `None` for a malformed escape.
fn unicode_escapes(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let digits = match chars.clone().next()? {
            '\\' => {
                chars.next();
                out.push('\\');
                continue;
            }
            '+' => {
                chars.next();
                6
            }
            _ => 4,
        };
        let hex: String = chars.by_ref().take(digits).collect();
        if hex.len() != digits {
            return None;
        }
        out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
    }
    Some(out)
}

/// Whether `word` (in capitals) is a built-in type sqlparser does not
/// read before a string literal (`inet '10.0.0.1'`, `uuid '…'`): the
/// types it reads there (`DATE`, `TIMESTAMP`, `INTERVAL`, …) and the words
/// that stand before a string in other roles are not.
fn typed_literal_type(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "date"
            | "time"
            | "timestamp"
            | "timestamptz"
            | "interval"
            | "bit"
            | "char"
            | "character"
            | "varchar"
            | "text"
            | "json"
            | "jsonb"
            | "numeric"
            | "decimal"
            | "real"
            | "float"
            | "double"
            | "int"
            | "integer"
            | "bigint"
            | "smallint"
            | "boolean"
            | "bool"
            | "bytea"
            | "uuid"
            | "name"
    ) && super::super::builtins::builtins()
        .column_type_name(&lower)
        .is_some()
}

/// The significant index of the `)` that closes the `(` at `open`.
fn closing(significant: &[usize], tokens: &[TokenWithSpan], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, &i) in significant.iter().enumerate().skip(open) {
        match tokens[i].token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

/// How many parentheses opened at or after `open` are still open at `at`.
fn depth(significant: &[usize], tokens: &[TokenWithSpan], open: usize, at: usize) -> usize {
    let mut depth = 0usize;
    for &i in &significant[open..at] {
        match tokens[i].token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth
}
