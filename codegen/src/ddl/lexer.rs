//! What psql sees in a file before any SQL parser does, in one pass with
//! psql's lexer state (code, string, escape string, quoted name,
//! dollar-quoted body, block comment): its meta-commands (a backslash at the
//! start of a line of code, never inside a string or body), and the first
//! thing the SQL tokenizer would choke on, where it starts (an unclosed
//! string, body or comment; an escape that spells NUL).

use crate::error::Position;

/// A psql meta-command: a line that starts with a backslash in code.
pub(crate) struct MetaCommand {
    /// Byte range of the line, without its line break.
    pub start: usize,
    pub end: usize,
    /// Where the backslash is, and the command's name after it.
    pub at: Position,
    pub name: String,
}

/// What one pass over a file found.
pub(crate) struct Scan {
    pub meta_commands: Vec<MetaCommand>,
    /// Byte ranges of the rows after a `COPY … FROM STDIN;`, up to its
    /// `\.` line (a meta-command): data for psql, not SQL.
    pub copy_rows: Vec<std::ops::Range<usize>>,
    /// The first unclosed construct or NUL escape, and what it is.
    pub problem: Option<(Position, String)>,
    /// The byte after each `;` outside strings, names, bodies and
    /// comments, in order.
    pub statement_ends: Vec<usize>,
}

#[derive(PartialEq)]
enum State {
    Code,
    /// A string (`'…'`, or `E'…'` when `escapes`), from `start`.
    String {
        escapes: bool,
        start: usize,
    },
    /// A quoted name, from `start`.
    Name {
        start: usize,
    },
    /// A `$tag$` body, from `start`.
    Dollar {
        tag: Vec<char>,
        start: usize,
    },
    /// A block comment (they nest), from `start`.
    Comment {
        depth: usize,
        start: usize,
    },
}

/// Meta-commands that only change how psql prints or what variables it
/// holds: the SQL that runs is the same without them.
const HARMLESS: &[&str] = &[
    "set",
    "unset",
    "echo",
    "qecho",
    "warn",
    "pset",
    "timing",
    "restrict",
    "unrestrict",
    "encoding",
    "x",
    "a",
    "t",
    "o",
    "out",
    "conninfo",
    "H",
    "T",
    "C",
    "f",
    "p",
    "print",
];

impl MetaCommand {
    /// Whether running the file without it does something else (`\i`
    /// includes a file, `\c` switches databases, `\if` skips lines, `\copy`
    /// loads data, `\gexec` runs generated SQL, …).
    pub fn changes_what_runs(&self) -> bool {
        !HARMLESS.contains(&self.name.as_str())
    }
}

/// Scans `text` once.
#[allow(
    clippy::too_many_lines,
    reason = "one loop over the characters with psql's lexer states; split, the state would be threaded through every piece"
)]
pub(crate) fn scan(text: &str) -> Scan {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    // Line and column of the character at index `i` (or of the end),
    // counted when asked: only meta-commands and problems have positions.
    // Positions are asked for in the order of the scan (meta-commands),
    // plus one at most for a problem: each is counted on from the last,
    // so a file of many meta-commands is still read once.
    let counted = std::cell::Cell::new((0usize, 1u64, 1u64));
    let position = |i: usize, width: usize| {
        let byte = chars.get(i).map_or(text.len(), |(b, _)| *b);
        let (mut from, mut line, mut column) = counted.get();
        if byte < from {
            (from, line, column) = (0, 1, 1);
        }
        for c in text[from..byte].chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        counted.set((byte, line, column));
        Position {
            line,
            column,
            width: u64::try_from(width).unwrap_or(1),
        }
    };
    let word_char = |c: char| c.is_alphanumeric() || c == '_';
    let char_at = |i: usize| chars.get(i).map(|(_, c)| *c);

    let mut found = Scan {
        meta_commands: Vec::new(),
        copy_rows: Vec::new(),
        problem: None,
        statement_ends: Vec::new(),
    };
    let mut state = State::Code;
    let mut line_start = true;
    // Where the statement being read starts (after the last `;`).
    let mut statement_start = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let next = char_at(i + 1);
        if c == '\n' {
            line_start = true;
            i += 1;
            continue;
        }
        let at_line_start = line_start;
        if !c.is_whitespace() {
            line_start = false;
        }
        match &mut state {
            State::Code => match c {
                '\\' if at_line_start => {
                    let start = chars[i].0;
                    let mut j = i;
                    while j < chars.len() && chars[j].1 != '\n' {
                        j += 1;
                    }
                    let end_byte = chars.get(j).map_or(text.len(), |(b, _)| *b);
                    let end = if text[..end_byte].ends_with('\r') {
                        end_byte - 1
                    } else {
                        end_byte
                    };
                    let name: String = chars[i + 1..j]
                        .iter()
                        .map(|(_, c)| *c)
                        .take_while(|c| !c.is_whitespace() && *c != '\\')
                        .collect();
                    found.meta_commands.push(MetaCommand {
                        start,
                        end,
                        at: position(i, name.chars().count() + 1),
                        name,
                    });
                    i = j;
                    continue;
                }
                '-' if next == Some('-') => {
                    while i < chars.len() && chars[i].1 != '\n' {
                        i += 1;
                    }
                    continue;
                }
                '/' if next == Some('*') => {
                    state = State::Comment { depth: 1, start: i };
                    i += 1;
                }
                '\'' => {
                    let escapes = i > 0
                        && matches!(chars[i - 1].1, 'e' | 'E')
                        && (i < 2 || !word_char(chars[i - 2].1));
                    state = State::String { escapes, start: i };
                }
                '"' => state = State::Name { start: i },
                ';' => {
                    let end = chars[i].0;
                    let from = statement_start;
                    statement_start = end + 1;
                    found.statement_ends.push(end + 1);
                    if copies_from_stdin(&text[from..end]) {
                        // The rows start on the next line and end at `\.`.
                        let mut j = i;
                        while j < chars.len() && chars[j].1 != '\n' {
                            j += 1;
                        }
                        let rows_start = chars.get(j + 1).map_or(text.len(), |(b, _)| *b);
                        let rest = &text[rows_start..];
                        let mut rows_end = text.len();
                        let mut offset = 0;
                        for row in rest.split_inclusive('\n') {
                            if row.trim_end() == "\\." {
                                rows_end = rows_start + offset;
                                break;
                            }
                            offset += row.len();
                        }
                        found.copy_rows.push(rows_start..rows_end);
                        // Go on at the `\.` line (a meta-command).
                        while i < chars.len() && chars[i].0 < rows_end {
                            i += 1;
                        }
                        statement_start = rows_end;
                        line_start = true;
                        continue;
                    }
                }
                '$' if i == 0 || !word_char(chars[i - 1].1) => {
                    // `$tag$` (the tag may be empty, never starts with a digit).
                    let mut j = i + 1;
                    while char_at(j).is_some_and(|t| word_char(t) && t != '$') {
                        j += 1;
                    }
                    let is_tag = char_at(j) == Some('$')
                        && char_at(i + 1).is_none_or(|t| !t.is_ascii_digit());
                    if is_tag {
                        let tag = chars[i..=j].iter().map(|(_, c)| *c).collect();
                        state = State::Dollar { tag, start: i };
                        i = j;
                    }
                }
                _ => {}
            },
            State::String { escapes, .. } => {
                if *escapes && c == '\\' {
                    let rest: Vec<char> = chars[i..].iter().take(10).map(|(_, c)| *c).collect();
                    if let Some(width) = nul_escape(&rest) {
                        found.problem = Some((
                            position(i, width),
                            "this escape is a NUL character (U+0000), which PostgreSQL does not accept in text".to_owned(),
                        ));
                        return found;
                    }
                    i += 1;
                } else if c == '\'' {
                    if next == Some('\'') {
                        i += 1;
                    } else {
                        state = State::Code;
                    }
                }
            }
            State::Name { .. } => {
                if c == '"' {
                    if next == Some('"') {
                        i += 1;
                    } else {
                        state = State::Code;
                    }
                }
            }
            State::Dollar { tag, .. } => {
                if c == '$'
                    && chars[i..]
                        .iter()
                        .map(|(_, c)| c)
                        .take(tag.len())
                        .eq(tag.iter())
                {
                    i += tag.len() - 1;
                    state = State::Code;
                }
            }
            State::Comment { depth, .. } => {
                if c == '/' && next == Some('*') {
                    *depth += 1;
                    i += 1;
                } else if c == '*' && next == Some('/') {
                    *depth -= 1;
                    i += 1;
                    if *depth == 0 {
                        state = State::Code;
                    }
                }
            }
        }
        i += 1;
    }
    found.problem = match state {
        State::Code => None,
        State::String { start, .. } => {
            Some((position(start, 1), "this string is never closed".to_owned()))
        }
        State::Name { start } => Some((
            position(start, 1),
            "this quoted name is never closed".to_owned(),
        )),
        State::Dollar { tag, start } => {
            let tag: String = tag.into_iter().collect();
            Some((
                position(start, tag.chars().count()),
                format!("this `{tag}` body is never closed"),
            ))
        }
        State::Comment { start, .. } => Some((
            position(start, 2),
            "this `/*` comment is never closed".to_owned(),
        )),
    };
    found
}

/// Whether `statement` (its text up to its `;`) is `COPY … FROM STDIN`,
/// after which psql reads rows, not SQL.
fn copies_from_stdin(statement: &str) -> bool {
    let code: String = statement
        .lines()
        .map(|l| l.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ");
    let words: Vec<String> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    words.first().map(String::as_str) == Some("COPY")
        && words.windows(2).any(|w| w[0] == "FROM" && w[1] == "STDIN")
}

/// The width of an escape at the start of `chars` (a backslash) that spells
/// a NUL character in an `E'…'` string: `\0`, `\000`, `\x00`, `\u0000`,
/// `\U00000000`.
fn nul_escape(chars: &[char]) -> Option<usize> {
    let digits = |from: usize, max: usize, radix: u32| {
        chars
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take(max)
            .take_while(|c| c.is_digit(radix))
            .count()
    };
    let zero = |from: usize, n: usize| chars[from..from + n].iter().all(|c| *c == '0');
    match chars.get(1)? {
        '0'..='7' => {
            let n = digits(1, 3, 8);
            zero(1, n).then_some(1 + n)
        }
        'x' => {
            let n = digits(2, 2, 16);
            (n > 0 && zero(2, n)).then_some(2 + n)
        }
        'u' => (digits(2, 4, 16) == 4 && zero(2, 4)).then_some(6),
        'U' => (digits(2, 8, 16) == 8 && zero(2, 8)).then_some(10),
        _ => None,
    }
}

/// A file ready for the SQL tokenizer, from one [`scan`].
pub(crate) struct Lexed {
    /// The text with its meta-commands replaced by spaces, so every other
    /// character stays where it was: psql meta-commands are not SQL.
    pub cleaned: String,
    pub meta_commands: Vec<MetaCommand>,
    pub problem: Option<(Position, String)>,
    /// As [`Scan::statement_ends`].
    pub statement_ends: Vec<usize>,
}

/// Scans `text` once and blanks its meta-commands.
pub(crate) fn lex(text: &str) -> Lexed {
    let Scan {
        meta_commands,
        copy_rows,
        problem,
        statement_ends,
    } = scan(text);
    let mut cleaned = text.to_owned();
    let mut blanks: Vec<std::ops::Range<usize>> = meta_commands
        .iter()
        .map(|m| m.start..m.end)
        .chain(copy_rows)
        .collect();
    blanks.sort_by_key(|r| r.start);
    for r in blanks.iter().rev() {
        // Line breaks stay: every other character keeps its line.
        let blank: String = text[r.clone()]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        cleaned.replace_range(r.clone(), &blank);
    }
    Lexed {
        cleaned,
        meta_commands,
        problem,
        statement_ends,
    }
}

#[cfg(test)]
mod tests {
    use super::scan;

    fn names(sql: &str) -> Vec<String> {
        scan(sql)
            .meta_commands
            .into_iter()
            .map(|m| m.name)
            .collect()
    }

    #[test]
    fn meta_commands_are_lines_of_code_only() {
        let sql = "\\set ON_ERROR_STOP on\nCREATE FUNCTION f() RETURNS text AS $$\n\\not a command\n$$ LANGUAGE sql;\n  \\echo done\r\nSELECT 'a\n\\b';\n/* \n\\c x */ SELECT \"q\n\\d\";\n";
        assert_eq!(names(sql), ["set", "echo"]);
        let echo = &scan(sql).meta_commands[1];
        assert_eq!((echo.at.line, echo.at.column), (5, 3));
        assert_eq!(&sql[echo.start..echo.end], "\\echo done");
    }

    #[test]
    fn unclosed_constructs_are_found_where_they_start() {
        let problem = |sql: &str| {
            scan(sql)
                .problem
                .map(|(at, what)| (at.line, at.column, what))
        };
        assert_eq!(
            problem("SELECT 1;\nSELECT 'open"),
            Some((2, 8, "this string is never closed".to_owned()))
        );
        assert_eq!(
            problem("x $body$ y $b$ z"),
            Some((1, 3, "this `$body$` body is never closed".to_owned()))
        );
        assert_eq!(
            problem("/* a /* b */ c"),
            Some((1, 1, "this `/*` comment is never closed".to_owned()))
        );
        assert_eq!(problem("SELECT $1, a$b, 'it''s', E'\\'', \"q\"\"\";"), None);
        assert!(problem("SELECT E'a\\000b';").is_some_and(|p| p.2.contains("NUL")));
        assert_eq!(problem("SELECT E'a\\x01b', 'a\\000';"), None);
    }

    #[test]
    fn the_rows_of_copy_from_stdin_are_data() {
        let sql = "-- rows\nCOPY s.t (a, b) FROM stdin;\n1\tit's\n\\N\t$x\n\\.\nCREATE TABLE u (a int);\n";
        let found = scan(sql);
        assert!(found.problem.is_none());
        assert_eq!(names(sql), ["."]);
        assert_eq!(found.copy_rows.len(), 1);
        assert_eq!(&sql[found.copy_rows[0].clone()], "1\tit's\n\\N\t$x\n");
        let cleaned = super::lex(sql).cleaned;
        assert!(!cleaned.contains("it's") && !cleaned.contains("\\."));
        assert!(cleaned.ends_with("\nCREATE TABLE u (a int);\n"));
        assert_eq!(cleaned.lines().count(), sql.lines().count());
        // Without `\.`, the rows run to the end.
        assert_eq!(
            scan("copy t from STDIN;\n1\n2").copy_rows.first(),
            Some(&(19..22))
        );
    }
}
