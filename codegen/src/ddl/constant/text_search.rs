//! Text search constants as `tsvectorout` and `tsqueryout` write them.

use std::fmt::Write as _;

/// A `tsvector` literal (`'b a:2 a:1'`) as `tsvectorout` writes it: each
/// lexeme quoted (`'` and `\` doubled), sorted by its bytes and listed
/// once, with its positions sorted and merged (the higher weight kept;
/// `D` not shown). `None` for a value it cannot read.
pub(super) fn tsvector(value: &str) -> Option<String> {
    let mut lexemes: Vec<(String, Vec<(u16, u8)>)> = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else { break };
        let mut lexeme = String::new();
        if first == '\'' {
            chars.next();
            loop {
                match chars.next()? {
                    '\'' if chars.peek() == Some(&'\'') => {
                        chars.next();
                        lexeme.push('\'');
                    }
                    '\'' => break,
                    '\\' => lexeme.push(chars.next()?),
                    c => lexeme.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != ':') {
                match c {
                    '\\' => lexeme.push(chars.next()?),
                    '\'' => return None,
                    c => lexeme.push(c),
                }
            }
        }
        if lexeme.is_empty() {
            return None;
        }
        let mut positions = Vec::new();
        if chars.next_if_eq(&':').is_some() {
            loop {
                let mut digits = String::new();
                while let Some(d) = chars.next_if(char::is_ascii_digit) {
                    digits.push(d);
                }
                // Positions above 16383 are kept as 16383.
                let position = digits.parse::<u32>().ok()?.min(16_383);
                let position = u16::try_from(position).ok()?;
                if position == 0 {
                    return None;
                }
                let weight = match chars.next_if(|c| matches!(c, 'a'..='d' | 'A'..='D' | '*')) {
                    Some('a' | 'A') => 3,
                    Some('b' | 'B') => 2,
                    Some('c' | 'C') => 1,
                    Some('*') => return None,
                    _ => 0,
                };
                positions.push((position, weight));
                if chars.next_if_eq(&',').is_none() {
                    break;
                }
            }
        }
        match lexemes.iter_mut().find(|(l, _)| *l == lexeme) {
            Some((_, known)) => known.extend(positions),
            None => lexemes.push((lexeme, positions)),
        }
    }
    lexemes.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let words: Vec<String> = lexemes
        .into_iter()
        .map(|(lexeme, mut positions)| {
            let mut out = format!("'{}'", lexeme.replace('\\', "\\\\").replace('\'', "''"));
            positions.sort_by_key(|(p, _)| *p);
            let mut merged: Vec<(u16, u8)> = Vec::new();
            for (p, w) in positions {
                match merged.last_mut() {
                    Some(last) if last.0 == p => last.1 = last.1.max(w),
                    _ => merged.push((p, w)),
                }
            }
            if !merged.is_empty() {
                let list: Vec<String> = merged
                    .iter()
                    .map(|(p, w)| match w {
                        3 => format!("{p}A"),
                        2 => format!("{p}B"),
                        1 => format!("{p}C"),
                        _ => p.to_string(),
                    })
                    .collect();
                out.push(':');
                out.push_str(&list.join(","));
            }
            out
        })
        .collect();
    Some(words.join(" "))
}

/// A parsed `tsquery`.
enum Query {
    Operand {
        lexeme: String,
        prefix: bool,
        /// `A` to `D` as bits 3 to 0.
        weights: u8,
    },
    Not(Box<Query>),
    /// `|` (priority 1), `&` (2), or `<n>` (3, with the distance).
    Binary {
        op: Op,
        left: Box<Query>,
        right: Box<Query>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Or,
    And,
    Phrase(u16),
}

impl Op {
    fn priority(self) -> u8 {
        match self {
            Op::Or => 1,
            Op::And => 2,
            Op::Phrase(_) => 3,
        }
    }
}

/// The priority of `!`.
const NOT: u8 = 4;

/// A `tsquery` literal (`'a & (b | c:*)'`) as `tsqueryout` writes it:
/// operands quoted, with their prefix mark and weights; operators spaced;
/// parentheses (`( … )`) only where priority needs them. `None` for a
/// value it cannot read.
pub(super) fn tsquery(value: &str) -> Option<String> {
    let mut parser = QueryParser {
        chars: value.chars().collect(),
        at: 0,
    };
    parser.skip_space();
    if parser.at == parser.chars.len() {
        return Some(String::new());
    }
    let query = parser.expression(0)?;
    parser.skip_space();
    if parser.at != parser.chars.len() {
        return None;
    }
    let mut out = String::new();
    print_query(&query, 0, false, &mut out);
    Some(out)
}

struct QueryParser {
    chars: Vec<char>,
    at: usize,
}

impl QueryParser {
    fn skip_space(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_space();
        self.chars.get(self.at).copied()
    }

    /// Operators of at least `min` priority, left to right.
    fn expression(&mut self, min: u8) -> Option<Query> {
        let mut left = self.unary()?;
        loop {
            let Some((op, width)) = self.operator() else {
                return Some(left);
            };
            if op.priority() < min {
                return Some(left);
            }
            self.at += width;
            let right = self.expression(op.priority() + 1)?;
            left = Query::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
            };
        }
    }

    /// The operator at the cursor and its width, without moving.
    fn operator(&mut self) -> Option<(Op, usize)> {
        match self.peek()? {
            '|' => Some((Op::Or, 1)),
            '&' => Some((Op::And, 1)),
            '<' => {
                let rest: String = self.chars[self.at..].iter().take(8).collect();
                if rest.starts_with("<->") {
                    return Some((Op::Phrase(1), 3));
                }
                let digits: String = rest[1..].chars().take_while(char::is_ascii_digit).collect();
                let distance: u16 = digits.parse().ok().filter(|d| *d <= 16_384)?;
                rest[1 + digits.len()..]
                    .starts_with('>')
                    .then_some((Op::Phrase(distance), digits.len() + 2))
            }
            _ => None,
        }
    }

    fn unary(&mut self) -> Option<Query> {
        match self.peek()? {
            '!' => {
                self.at += 1;
                Some(Query::Not(Box::new(self.unary()?)))
            }
            '(' => {
                self.at += 1;
                let inner = self.expression(0)?;
                (self.peek()? == ')').then(|| self.at += 1)?;
                Some(inner)
            }
            _ => self.operand(),
        }
    }

    fn operand(&mut self) -> Option<Query> {
        let mut lexeme = String::new();
        if self.chars.get(self.at) == Some(&'\'') {
            self.at += 1;
            loop {
                let c = *self.chars.get(self.at)?;
                self.at += 1;
                match c {
                    '\'' if self.chars.get(self.at) == Some(&'\'') => {
                        self.at += 1;
                        lexeme.push('\'');
                    }
                    '\'' => break,
                    '\\' => {
                        lexeme.push(*self.chars.get(self.at)?);
                        self.at += 1;
                    }
                    c => lexeme.push(c),
                }
            }
        } else {
            while let Some(&c) = self.chars.get(self.at) {
                if c.is_whitespace() || matches!(c, '!' | '&' | '|' | '(' | ')' | '<' | ':' | '\'')
                {
                    break;
                }
                self.at += 1;
                if c == '\\' {
                    lexeme.push(*self.chars.get(self.at)?);
                    self.at += 1;
                } else {
                    lexeme.push(c);
                }
            }
        }
        if lexeme.is_empty() {
            return None;
        }
        let (mut prefix, mut weights) = (false, 0u8);
        if self.chars.get(self.at) == Some(&':') {
            self.at += 1;
            while let Some(&c) = self.chars.get(self.at) {
                match c.to_ascii_uppercase() {
                    '*' => prefix = true,
                    'A' => weights |= 8,
                    'B' => weights |= 4,
                    'C' => weights |= 2,
                    'D' => weights |= 1,
                    _ => break,
                }
                self.at += 1;
            }
        }
        Some(Query::Operand {
            lexeme,
            prefix,
            weights,
        })
    }
}

/// `infix()` of `tsquery.c`: a subexpression of lower priority than its
/// parent in `( … )`, and a phrase on the right of a phrase too.
fn print_query(query: &Query, parent: u8, right_of_phrase: bool, out: &mut String) {
    match query {
        Query::Operand {
            lexeme,
            prefix,
            weights,
        } => {
            out.push('\'');
            for c in lexeme.chars() {
                if matches!(c, '\'' | '\\') {
                    out.push(c);
                }
                out.push(c);
            }
            out.push('\'');
            if *prefix || *weights != 0 {
                out.push(':');
                if *prefix {
                    out.push('*');
                }
                for (bit, letter) in [(8, 'A'), (4, 'B'), (2, 'C'), (1, 'D')] {
                    if weights & bit != 0 {
                        out.push(letter);
                    }
                }
            }
        }
        Query::Not(inner) => {
            let parenthesised = NOT < parent;
            if parenthesised {
                out.push_str("( ");
            }
            out.push('!');
            print_query(inner, NOT, false, out);
            if parenthesised {
                out.push_str(" )");
            }
        }
        Query::Binary { op, left, right } => {
            let priority = op.priority();
            let parenthesised =
                priority < parent || (matches!(op, Op::Phrase(_)) && right_of_phrase);
            if parenthesised {
                out.push_str("( ");
            }
            print_query(left, priority, false, out);
            match op {
                Op::Or => out.push_str(" | "),
                Op::And => out.push_str(" & "),
                Op::Phrase(1) => out.push_str(" <-> "),
                Op::Phrase(distance) => {
                    let _ = write!(out, " <{distance}> ");
                }
            }
            print_query(right, priority, matches!(op, Op::Phrase(_)), out);
            if parenthesised {
                out.push_str(" )");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{tsquery, tsvector};

    #[test]
    fn tsvectors_print_as_the_server_prints_them() {
        for (given, printed) in [
            ("a:1 b:2", Some("'a':1 'b':2")),
            ("b a a", Some("'a' 'b'")),
            ("a:3,1A a:1B", Some("'a':1A,3")),
            ("'it''s' x\\y", Some("'it''s' 'xy'")),
            ("ab a", Some("'a' 'ab'")),
            ("", Some("")),
            ("a:0", None),
        ] {
            assert_eq!(tsvector(given).as_deref(), printed, "{given}");
        }
    }

    #[test]
    fn tsqueries_print_as_the_server_prints_them() {
        for (given, printed) in [
            ("a & b", Some("'a' & 'b'")),
            ("a & (b | c)", Some("'a' & ( 'b' | 'c' )")),
            ("a & b | c", Some("'a' & 'b' | 'c'")),
            ("(a | b) & c", Some("( 'a' | 'b' ) & 'c'")),
            ("!a & !(b | c)", Some("!'a' & !( 'b' | 'c' )")),
            ("a <-> b <2> c", Some("'a' <-> 'b' <2> 'c'")),
            ("a <-> (b <-> c)", Some("'a' <-> ( 'b' <-> 'c' )")),
            ("a & b <-> c", Some("'a' & 'b' <-> 'c'")),
            ("super:*AB & 'it''s'", Some("'super':*AB & 'it''s'")),
            ("a:ba", Some("'a':AB")),
            ("!!a", Some("!!'a'")),
            ("(a <-> b) <-> c", Some("'a' <-> 'b' <-> 'c'")),
            ("a | b & !c <1> d", Some("'a' | 'b' & !'c' <-> 'd'")),
            ("!(a <-> b)", Some("!( 'a' <-> 'b' )")),
            ("a <0> b", Some("'a' <0> 'b'")),
            ("", Some("")),
            ("a &", None),
            ("(a", None),
        ] {
            assert_eq!(tsquery(given).as_deref(), printed, "{given}");
        }
    }
}
