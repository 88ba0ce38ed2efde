//! Forms of PostgreSQL 16 to 18 (and their `pg_dump`) that sqlparser does
//! not read, rewritten into ones it does, with the same meaning for the
//! model: `GENERATED ALWAYS AS (…) [VIRTUAL]` (a generated column, read-only
//! like a stored one), `[NOT] ENFORCED` after a constraint (constraints
//! other than keys are not in the model), and named `NOT NULL` constraints
//! (`CONSTRAINT t_a_not_null NOT NULL a`, in `CREATE TABLE` or `ALTER TABLE …
//! ADD`), which make their column not null.

use sqlparser::tokenizer::{Token, TokenWithSpan, Whitespace};

use super::Statement;

/// A statement in sqlparser's terms, and the columns its named `NOT NULL`
/// table constraints make not null.
pub(super) struct Rewritten {
    pub statement: Statement,
    /// The columns of `CREATE TABLE`'s named `NOT NULL` constraints.
    pub not_null: Vec<String>,
    /// Each named `NOT NULL` constraint, with its column: what `DROP
    /// CONSTRAINT name` makes nullable again.
    pub names: Vec<(String, String)>,
}

/// A name token as the server folds it.
fn folded(t: &TokenWithSpan) -> Option<String> {
    match &t.token {
        Token::Word(w) if w.quote_style.is_some() => Some(w.value.clone()),
        Token::Word(w) => Some(w.value.to_ascii_lowercase()),
        _ => None,
    }
}

fn word(t: &TokenWithSpan) -> Option<String> {
    match &t.token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
        _ => None,
    }
}

fn is_space(t: &TokenWithSpan) -> bool {
    matches!(t.token, Token::Whitespace(_))
}

fn space(like: &TokenWithSpan) -> TokenWithSpan {
    TokenWithSpan {
        token: Token::Whitespace(Whitespace::Space),
        span: like.span,
    }
}

/// `CREATE TABLE` or `ALTER TABLE` rewritten; `None` when it holds none of
/// the newer forms.
pub(super) fn rewrite(statement: &Statement) -> Option<Rewritten> {
    let words = statement.leading_words(3);
    let create = words.first().is_some_and(|w| w == "CREATE");
    if !create && let Some((statement, name)) = add_not_null(statement) {
        return Some(Rewritten {
            statement,
            not_null: Vec::new(),
            names: vec![name],
        });
    }
    let tokens = &statement.tokens;
    // Indexes of the significant tokens, to look behind and ahead.
    let sig: Vec<usize> = (0..tokens.len())
        .filter(|&i| !is_space(&tokens[i]))
        .collect();
    let at = |k: usize| sig.get(k).map(|&i| &tokens[i]);
    let word_at = |k: usize| at(k).and_then(word);
    let mut drop = vec![false; tokens.len()];
    let mut replace: Vec<(usize, Token)> = Vec::new();
    let mut not_null = Vec::new();
    let mut names = Vec::new();
    // Where `STORED` goes in: after the `)` of these.
    let mut stored_after: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut changed = false;
    let mut k = 0;
    while k < sig.len() {
        let t = &tokens[sig[k]];
        match &t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
        let after_paren = k > 0 && at(k - 1).is_some_and(|p| p.token == Token::RParen);
        match word(t).as_deref() {
            // `GENERATED ALWAYS AS (…)` alone is virtual in PostgreSQL 18.
            Some("GENERATED")
                if word_at(k + 1).as_deref() == Some("ALWAYS")
                    && word_at(k + 2).as_deref() == Some("AS")
                    && at(k + 3).is_some_and(|p| p.token == Token::LParen) =>
            {
                let mut inner = 0usize;
                let mut close = k + 3;
                while let Some(p) = at(close) {
                    match p.token {
                        Token::LParen => inner += 1,
                        Token::RParen => {
                            inner -= 1;
                            if inner == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    close += 1;
                }
                if !matches!(word_at(close + 1).as_deref(), Some("STORED" | "VIRTUAL")) {
                    stored_after.push(*sig.get(close)?);
                    changed = true;
                }
            }
            // `AS (…) VIRTUAL`: a generated column.
            Some("VIRTUAL") if after_paren => {
                replace.push((sig[k], Token::make_keyword("STORED")));
                changed = true;
            }
            // `CHECK (…) [NOT] ENFORCED`, `REFERENCES t (a) NOT ENFORCED`.
            Some("ENFORCED") if after_paren => {
                drop[sig[k]] = true;
                changed = true;
            }
            Some("NOT") if after_paren && word_at(k + 1).as_deref() == Some("ENFORCED") => {
                drop[sig[k]] = true;
                drop[sig[k + 1]] = true;
                changed = true;
                k += 2;
                continue;
            }
            // `CONSTRAINT name NOT NULL column [NO INHERIT]`, as an element of
            // `CREATE TABLE (…)` or after `ADD`.
            Some("CONSTRAINT")
                if word_at(k + 2).as_deref() == Some("NOT")
                    && word_at(k + 3).as_deref() == Some("NULL")
                    && at(k + 4).is_some_and(|c| matches!(c.token, Token::Word(_)))
                    && create
                    && depth == 1 =>
            {
                let column = match &at(k + 4)?.token {
                    Token::Word(w) if w.quote_style.is_some() => w.value.clone(),
                    Token::Word(w) => w.value.to_ascii_lowercase(),
                    _ => return None,
                };
                let mut end = k + 5;
                if word_at(end).as_deref() == Some("NO")
                    && word_at(end + 1).as_deref() == Some("INHERIT")
                {
                    end += 2;
                }
                if word_at(end).as_deref() == Some("NOT")
                    && word_at(end + 1).as_deref() == Some("VALID")
                {
                    end += 2;
                }
                // Drop the element and the comma before it (or after it,
                // when it is the first).
                let from = if at(k - 1).is_some_and(|p| p.token == Token::Comma) {
                    k - 1
                } else {
                    if at(end).is_some_and(|n| n.token == Token::Comma) {
                        end += 1;
                    }
                    k
                };
                for &i in &sig[from..end] {
                    drop[i] = true;
                }
                names.push((folded(at(k + 1)?)?, column.clone()));
                not_null.push(column);
                changed = true;
                k = end;
                continue;
            }
            _ => {}
        }
        k += 1;
    }
    if !changed {
        return None;
    }
    let mut out = Vec::with_capacity(tokens.len() + stored_after.len() * 2);
    for (i, t) in tokens.iter().enumerate() {
        if drop[i] {
            out.push(space(t));
        } else if let Some((_, token)) = replace.iter().find(|(at, _)| *at == i) {
            out.push(TokenWithSpan {
                token: token.clone(),
                span: t.span,
            });
        } else {
            out.push(t.clone());
        }
        if stored_after.contains(&i) {
            out.push(space(t));
            out.push(TokenWithSpan {
                token: Token::make_keyword("STORED"),
                span: t.span,
            });
        }
    }
    let tokens = out;
    Some(Rewritten {
        statement: Statement { tokens },
        not_null,
        names,
    })
}

/// `ALTER TABLE t ADD CONSTRAINT n NOT NULL c [NO INHERIT] [NOT VALID]` as
/// `ALTER TABLE t ALTER COLUMN c SET NOT NULL`, with the constraint's name
/// and column; `None` for any other statement.
fn add_not_null(statement: &Statement) -> Option<(Statement, (String, String))> {
    let tokens = &statement.tokens;
    let sig: Vec<usize> = (0..tokens.len())
        .filter(|&i| !is_space(&tokens[i]))
        .collect();
    let word_at = |k: usize| sig.get(k).and_then(|&i| word(&tokens[i]));
    let add = (0..sig.len()).find(|&k| {
        word_at(k).as_deref() == Some("ADD")
            && word_at(k + 1).as_deref() == Some("CONSTRAINT")
            && word_at(k + 3).as_deref() == Some("NOT")
            && word_at(k + 4).as_deref() == Some("NULL")
    })?;
    let column = &tokens[*sig.get(add + 5)?];
    let named = (folded(&tokens[*sig.get(add + 2)?])?, folded(column)?);
    let mut end = add + 6;
    for pair in [["NO", "INHERIT"], ["NOT", "VALID"]] {
        if word_at(end).as_deref() == Some(pair[0]) && word_at(end + 1).as_deref() == Some(pair[1])
        {
            end += 2;
        }
    }
    if end != sig.len() {
        return None;
    }
    let first = &tokens[sig[add]];
    let mut out: Vec<TokenWithSpan> = tokens[..sig[add]].to_vec();
    for (n, token) in [
        Token::make_keyword("ALTER"),
        Token::make_keyword("COLUMN"),
        column.token.clone(),
        Token::make_keyword("SET"),
        Token::make_keyword("NOT"),
        Token::make_keyword("NULL"),
    ]
    .into_iter()
    .enumerate()
    {
        if n > 0 {
            out.push(space(first));
        }
        out.push(TokenWithSpan {
            token,
            span: first.span,
        });
    }
    Some((Statement { tokens: out }, named))
}
