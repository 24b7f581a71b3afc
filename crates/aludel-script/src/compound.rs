//! MySQL's and MariaDB's compound statements ([`Flavor::MySql`](crate::Flavor::MySql)):
//! where a `;` inside a stored-program body does not end the statement, as
//! the server's parser reads it (no `DELIMITER` needed).
//!
//! Bodies belong to `CREATE [OR REPLACE] [DEFINER = …] [AGGREGATE]
//! PROCEDURE|FUNCTION|TRIGGER|EVENT`, or are MariaDB's top-level compound
//! statements (`BEGIN NOT ATOMIC …`, `IF`, `CASE`, `LOOP`, `REPEAT`,
//! `WHILE`, `FOR`). Inside, statements start after `;`, after `BEGIN
//! [NOT ATOMIC]`, `THEN`, `ELSE`, `DO`, `LOOP`, `REPEAT`, after a `label:`,
//! and where the body starts (after a procedure's or function's parameter
//! list and characteristics, after a trigger's `FOR EACH ROW [FOLLOWS|PRECEDES
//! t]`, after a handler's condition list). There `BEGIN`, `IF`, `CASE`,
//! `LOOP`, `REPEAT`, `WHILE` and `FOR` open a construct, and `END` closes
//! one (its `IF`/`CASE`/… word after it, or a label, is consumed). `CASE`
//! anywhere else is an expression that its next `END` closes; `REPEAT …
//! UNTIL cond END REPEAT` closes after `UNTIL`. A word after `.` is a name,
//! or after `@`,
//! and so is `end` where no statement starts (`SET end = 1`).

use crate::lexer::{Kind, Token};

/// An open construct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// `BEGIN`, `IF`, `LOOP`, `WHILE`, `FOR` or a `CASE` statement.
    Block,
    /// `REPEAT`; `true` once its `UNTIL` was seen.
    Repeat(bool),
    /// A `CASE` expression.
    CaseExpr,
}

/// Where we are in the statement's head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Head {
    #[default]
    Start,
    AfterCreate,
    /// Skipping a `DEFINER = user@host` clause; counts tokens left.
    Definer(u8),
    /// A top-level `BEGIN`: a transaction unless `NOT ATOMIC` follows.
    TopBegin,
    /// Procedure or function name, before its parameter list closes.
    Params {
        opened: bool,
    },
    /// Procedure or function characteristics, up to the body.
    Characteristics {
        skip_word: bool,
    },
    /// Trigger head, up to `FOR EACH ROW`.
    Trigger,
    /// Right after `FOR EACH ROW`.
    TriggerOrder,
    /// After `FOLLOWS|PRECEDES`: the other trigger's name.
    TriggerOrderName,
    /// After `HANDLER FOR`: conditions; `true` when one is complete.
    Handler(bool),
    /// In a body (or a head that needs no more attention).
    Body,
    /// Not a compound statement.
    Plain,
}

/// Tracks one statement's compound constructs.
#[derive(Debug, Default)]
pub(crate) struct Tracker {
    head: Head,
    stack: Vec<Frame>,
    /// Line of the construct that opened the outermost frame.
    open_line: usize,
    parens: usize,
    /// The next token starts a statement inside the body.
    at_start: bool,
    /// The previous token was a word at a statement start (maybe a label).
    label: bool,
    /// The previous token closed a frame with `END`.
    after_end: bool,
    /// The previous token was `BEGIN` or `BEGIN NOT` at a statement start.
    after_begin: bool,
    /// The previous token was `.` or `@`: a word now is a name.
    after_name_mark: bool,
    /// The previous words were `HANDLER` then `FOR`.
    after_handler: bool,
}

fn is(word: &str, kw: &str) -> bool {
    word.eq_ignore_ascii_case(kw)
}

fn is_any(word: &str, kws: &[&str]) -> bool {
    kws.iter().any(|k| is(word, k))
}

/// Words of a procedure's or function's characteristics.
const CHARACTERISTICS: &[&str] = &[
    "COMMENT",
    "LANGUAGE",
    "SQL",
    "NOT",
    "DETERMINISTIC",
    "CONTAINS",
    "NO",
    "READS",
    "MODIFIES",
    "DATA",
    "SECURITY",
    "DEFINER",
    "INVOKER",
    "UNSIGNED",
    "SIGNED",
    "ZEROFILL",
    "BINARY",
    "CHARACTER",
];

impl Tracker {
    /// Feeds one significant (non-trivia) token.
    pub(crate) fn feed(&mut self, token: &Token, src: &str) {
        let text = &src[token.start..token.end];
        let punct = |p: &str| token.kind == Kind::Punct && text == p;
        let word = (token.kind == Kind::Word && !self.after_name_mark).then_some(text);
        self.after_name_mark = punct(".") || punct("@");
        if punct("(") {
            self.parens += 1;
            if self.parens > 1 {
                return;
            }
        } else if punct(")") {
            self.parens = self.parens.saturating_sub(1);
            if self.parens > 0 {
                return;
            }
            if let Head::Params { opened: true } = self.head {
                self.head = Head::Characteristics { skip_word: false };
                self.at_start = true;
            }
            return;
        } else if self.parens > 0 {
            return;
        }
        if let Head::Params { .. } = self.head {
            self.head = Head::Params { opened: punct("(") };
            return;
        }
        if punct("(") {
            return;
        }
        self.head(token, word, text);
    }

    fn head(&mut self, token: &Token, word: Option<&str>, text: &str) {
        let w = |kw: &str| word.is_some_and(|w| is(w, kw));
        match self.head {
            Head::Start => {
                self.head = Head::Plain;
                if w("CREATE") {
                    self.head = Head::AfterCreate;
                } else if w("BEGIN") {
                    self.head = Head::TopBegin;
                    self.open_line = token.line;
                } else if word
                    .is_some_and(|w| is_any(w, &["IF", "CASE", "LOOP", "REPEAT", "WHILE", "FOR"]))
                {
                    self.head = Head::Body;
                    self.at_start = true;
                    self.body(token, word, text);
                }
            }
            Head::AfterCreate => {
                self.head = match word {
                    Some(w) if is_any(w, &["OR", "REPLACE", "AGGREGATE"]) => Head::AfterCreate,
                    Some(w) if is(w, "DEFINER") => Head::Definer(12),
                    Some(w) => Self::routine_head(w),
                    None => Head::Plain,
                }
            }
            Head::Definer(left) => {
                self.head = match word {
                    Some(w) if is_any(w, &["PROCEDURE", "FUNCTION", "TRIGGER", "EVENT"]) => {
                        Self::routine_head(w)
                    }
                    Some(w) if is(w, "AGGREGATE") => Head::AfterCreate,
                    Some(w) if is(w, "VIEW") => Head::Plain,
                    _ if left == 0 => Head::Plain,
                    _ => Head::Definer(left - 1),
                }
            }
            Head::TopBegin => {
                if w("NOT") {
                    self.head = Head::Body;
                    self.stack.push(Frame::Block);
                    self.after_begin = true;
                    self.at_start = true;
                } else {
                    self.head = Head::Plain;
                }
            }
            Head::Params { .. } => {}
            Head::Characteristics { skip_word } => {
                let keep = match word {
                    _ if skip_word || token.kind == Kind::String => Some(false),
                    Some(w) if is_any(w, &["RETURNS", "CHARSET", "COLLATE", "SET"]) => Some(true),
                    Some(w) if is_any(w, CHARACTERISTICS) => Some(false),
                    _ => None,
                };
                match keep {
                    Some(skip_word) => self.head = Head::Characteristics { skip_word },
                    _ => {
                        self.head = Head::Body;
                        self.body(token, word, text);
                    }
                }
            }
            Head::Trigger => {
                if w("ROW") {
                    self.head = Head::TriggerOrder;
                }
            }
            Head::TriggerOrder => {
                if w("FOLLOWS") || w("PRECEDES") {
                    self.head = Head::TriggerOrderName;
                } else {
                    self.head = Head::Body;
                    self.at_start = true;
                    self.body(token, word, text);
                }
            }
            Head::TriggerOrderName => {
                self.head = Head::Body;
                self.at_start = true;
            }
            Head::Handler(complete) => {
                if text == "," {
                    self.head = Head::Handler(false);
                } else if complete {
                    self.head = Head::Body;
                    self.at_start = true;
                    self.body(token, word, text);
                } else {
                    let pending = word.is_some_and(|w| is_any(w, &["SQLSTATE", "VALUE", "NOT"]));
                    self.head = Head::Handler(!pending);
                }
            }
            Head::Body => self.body(token, word, text),
            Head::Plain => {}
        }
    }

    fn routine_head(kind: &str) -> Head {
        if is(kind, "PROCEDURE") || is(kind, "FUNCTION") {
            Head::Params { opened: false }
        } else if is(kind, "TRIGGER") {
            Head::Trigger
        } else if is(kind, "EVENT") {
            Head::Body
        } else {
            Head::Plain
        }
    }

    /// A token of a body (or of a head that a body may follow, such as an
    /// event's `… DO`).
    fn body(&mut self, token: &Token, word: Option<&str>, text: &str) {
        let at_start = std::mem::take(&mut self.at_start);
        let label = std::mem::take(&mut self.label);
        let after_end = std::mem::take(&mut self.after_end);
        let after_begin = std::mem::take(&mut self.after_begin);
        let after_handler = std::mem::take(&mut self.after_handler);
        if token.kind == Kind::Semicolon {
            self.at_start = !self.stack.is_empty();
            return;
        }
        if label && text == ":" {
            self.at_start = true;
            return;
        }
        let Some(w) = word else {
            return;
        };
        if after_end && is_any(w, &["IF", "CASE", "LOOP", "REPEAT", "WHILE", "FOR"]) {
            return;
        }
        if after_begin && (is(w, "NOT") || is(w, "ATOMIC")) {
            self.after_begin = is(w, "NOT");
            self.at_start = true;
            return;
        }
        let top = self.stack.last().copied();
        if is(w, "END") && (at_start || matches!(top, Some(Frame::CaseExpr | Frame::Repeat(true))))
        {
            if self.stack.pop().is_some() {
                self.after_end = true;
            }
            return;
        }
        if is(w, "CASE") {
            self.open(
                token,
                if at_start {
                    Frame::Block
                } else {
                    Frame::CaseExpr
                },
            );
            return;
        }
        if at_start {
            if is_any(w, &["BEGIN", "IF", "LOOP", "WHILE", "FOR"]) {
                self.open(token, Frame::Block);
                self.after_begin = is(w, "BEGIN");
                self.at_start = is(w, "BEGIN") || is(w, "LOOP");
                return;
            }
            if is(w, "REPEAT") {
                self.open(token, Frame::Repeat(false));
                self.at_start = true;
                return;
            }
            if is(w, "UNTIL") {
                if let Some(Frame::Repeat(until)) = self.stack.last_mut() {
                    *until = true;
                }
                return;
            }
            self.label = true;
        }
        let statement_follows = match top {
            Some(Frame::CaseExpr) => false,
            _ => is_any(w, &["THEN", "ELSE", "DO"]),
        };
        if statement_follows {
            self.at_start = true;
        } else if is(w, "HANDLER") {
            self.after_handler = true;
        } else if after_handler && is(w, "FOR") {
            self.head = Head::Handler(false);
        }
    }

    fn open(&mut self, token: &Token, frame: Frame) {
        if self.stack.is_empty() {
            self.open_line = token.line;
        }
        self.stack.push(frame);
    }

    /// After a `;` was fed: whether it ended the statement.
    pub(crate) fn at_end(&self) -> bool {
        self.stack.is_empty()
    }

    /// At the end of the input: the line where a body that is still open began.
    pub(crate) fn unfinished(&self) -> Option<usize> {
        (!self.stack.is_empty()).then_some(self.open_line)
    }
}
