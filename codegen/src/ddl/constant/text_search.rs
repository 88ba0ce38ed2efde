//! `tsvector` constants as `tsvectorout` writes them.

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

#[cfg(test)]
mod tests {
    use super::tsvector;

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
}
