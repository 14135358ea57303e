//! A stored entry's text, read as the package's one JavaScript codec reads it (`js/envelope.js`:
//! `JSON.parse`, then [`ParsedEntry::decode`]'s rules). The native tests and the fuzz target read
//! entries here, and the golden corpus (`tests/golden/`) holds both languages to the same reading.
//!
//! The reader keeps no tree: it checks the whole text is JSON, as `JSON.parse` does, and keeps of
//! the top-level object only the span of `data` and the kinds of the three times. Nesting is
//! followed with a stack on the heap, so no depth overflows the call stack.

use alloc::vec::Vec;

use crate::record::{
    Corrupt, Meta, ParsedEntry, StoredField, CREATED_AT_FIELD, DATA_FIELD, DEADLINE_FIELD, EXPIRES_AT_FIELD,
};

/// A decoded entry: its data as the JSON text it was stored as, and its times.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StoredEntry<'a> {
    /// The `data` member's value, exactly as it appears in the text.
    pub data: &'a str,
    /// Its times.
    pub meta: Meta,
}

/// Reads an entry's text: `Ok(None)` when it holds nothing (empty), `Err(Corrupt)` when it is not
/// JSON, or not an object with `data` and valid times.
pub fn decode_entry(text: &str) -> Result<Option<StoredEntry<'_>>, Corrupt> {
    if text.is_empty() {
        return Ok(None);
    }
    let mut reader = Reader { text, at: 0 };
    let (entry, data) = reader.top_level()?;
    let meta = entry.decode()?;
    Ok(Some(StoredEntry { data: data.ok_or(Corrupt)?, meta }))
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Reader<'a> {
    /// The whole text as one value; of an object, its envelope fields.
    fn top_level(&mut self) -> Result<(ParsedEntry, Option<&'a str>), Corrupt> {
        let mut entry = ParsedEntry {
            is_object: false,
            has_data: false,
            expires_at: StoredField::Absent,
            created_at: StoredField::Absent,
            deadline: StoredField::Absent,
        };
        let mut data = None;
        self.space();
        if self.eat(b'{') {
            entry.is_object = true;
            self.space();
            if !self.eat(b'}') {
                loop {
                    self.space();
                    let name = self.key()?;
                    self.space();
                    self.expect(b':')?;
                    self.space();
                    let start = self.at;
                    let field = self.value()?;
                    // A repeated name keeps its last value, as JSON.parse does.
                    match name {
                        Name::Data => data = Some(&self.text[start..self.at]),
                        Name::ExpiresAt => entry.expires_at = field,
                        Name::CreatedAt => entry.created_at = field,
                        Name::Deadline => entry.deadline = field,
                        Name::Other => {}
                    }
                    self.space();
                    if self.eat(b'}') {
                        break;
                    }
                    self.expect(b',')?;
                }
            }
        } else {
            // An array is an object to JavaScript, but has no `data`.
            entry.is_object = self.peek() == Some(b'[');
            self.value()?;
        }
        self.space();
        if self.at != self.text.len() {
            return Err(Corrupt);
        }
        entry.has_data = data.is_some();
        Ok((entry, data))
    }

    /// One value, nested ones followed on a heap stack; what a time field makes of it.
    fn value(&mut self) -> Result<StoredField, Corrupt> {
        let mut open: Vec<u8> = Vec::new();
        let mut field = StoredField::Other;
        loop {
            self.space();
            let scalar = match self.next()? {
                b'{' => {
                    self.space();
                    if !self.eat(b'}') {
                        open.push(b'}');
                        self.member_name()?;
                        continue;
                    }
                    StoredField::Other
                }
                b'[' => {
                    self.space();
                    if !self.eat(b']') {
                        open.push(b']');
                        continue;
                    }
                    StoredField::Other
                }
                b'"' => {
                    self.string(|_| {})?;
                    StoredField::Other
                }
                b't' => self.literal("rue", StoredField::Other)?,
                b'f' => self.literal("alse", StoredField::Other)?,
                b'n' => self.literal("ull", StoredField::Null)?,
                b'-' | b'0'..=b'9' => {
                    self.at -= 1;
                    StoredField::Number(self.number()?)
                }
                _ => return Err(Corrupt),
            };
            if open.is_empty() {
                field = scalar;
            }
            // After a value: close what it ends, or go on past a comma.
            loop {
                let Some(&close) = open.last() else { return Ok(field) };
                self.space();
                if self.eat(close) {
                    open.pop();
                    continue;
                }
                self.expect(b',')?;
                if close == b'}' {
                    self.member_name()?;
                }
                break;
            }
        }
    }

    /// A nested member's name and its colon.
    fn member_name(&mut self) -> Result<(), Corrupt> {
        self.space();
        self.expect(b'"')?;
        self.string(|_| {})?;
        self.space();
        self.expect(b':')
    }

    /// A top-level member's name, compared as JavaScript compares strings (by UTF-16 unit).
    fn key(&mut self) -> Result<Name, Corrupt> {
        self.expect(b'"')?;
        // Longer than any envelope field's name, a name is kept only as its length.
        let (mut units, mut length) = ([0u16; 16], 0usize);
        self.string(|unit| {
            if let Some(slot) = units.get_mut(length) {
                *slot = unit;
            }
            length += 1;
        })?;
        let is = |name: &str| name.len() == length && name.encode_utf16().eq(units[..length].iter().copied());
        Ok(match () {
            _ if is(DATA_FIELD) => Name::Data,
            _ if is(EXPIRES_AT_FIELD) => Name::ExpiresAt,
            _ if is(CREATED_AT_FIELD) => Name::CreatedAt,
            _ if is(DEADLINE_FIELD) => Name::Deadline,
            _ => Name::Other,
        })
    }

    /// A string's body after its opening quote, each UTF-16 unit given to `unit`.
    fn string(&mut self, mut unit: impl FnMut(u16)) -> Result<(), Corrupt> {
        loop {
            let rest = &self.text[self.at..];
            let character = rest.chars().next().ok_or(Corrupt)?;
            self.at += character.len_utf8();
            match character {
                '"' => return Ok(()),
                '\\' => {
                    let escaped = match self.next()? {
                        b'"' => b'"' as u16,
                        b'\\' => b'\\' as u16,
                        b'/' => b'/' as u16,
                        b'b' => 0x08,
                        b'f' => 0x0c,
                        b'n' => b'\n' as u16,
                        b'r' => b'\r' as u16,
                        b't' => b'\t' as u16,
                        b'u' => self.hex4()?,
                        _ => return Err(Corrupt),
                    };
                    unit(escaped);
                }
                '\u{0}'..='\u{1f}' => return Err(Corrupt),
                other => {
                    let mut buffer = [0u16; 2];
                    other.encode_utf16(&mut buffer).iter().for_each(|&u| unit(u));
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u16, Corrupt> {
        let digits = self.text.get(self.at..self.at + 4).ok_or(Corrupt)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Corrupt);
        }
        self.at += 4;
        u16::from_str_radix(digits, 16).map_err(|_| Corrupt)
    }

    /// A number by JSON's grammar (stricter than Rust's `parse`), read as JavaScript reads it:
    /// too large a one is infinite.
    fn number(&mut self) -> Result<f64, Corrupt> {
        let start = self.at;
        self.eat(b'-');
        if !self.eat(b'0') && self.digits() == 0 {
            return Err(Corrupt);
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(Corrupt);
        }
        if self.eat(b'e') || self.eat(b'E') {
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return Err(Corrupt);
            }
        }
        self.text[start..self.at].parse().map_err(|_| Corrupt)
    }

    fn digits(&mut self) -> usize {
        let count = self.text.as_bytes()[self.at..].iter().take_while(|b| b.is_ascii_digit()).count();
        self.at += count;
        count
    }

    fn literal(&mut self, rest: &str, field: StoredField) -> Result<StoredField, Corrupt> {
        if !self.text[self.at..].starts_with(rest) {
            return Err(Corrupt);
        }
        self.at += rest.len();
        Ok(field)
    }

    /// JSON's whitespace only: no BOM, no other Unicode space.
    fn space(&mut self) {
        let bytes = self.text.as_bytes();
        while matches!(bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn next(&mut self) -> Result<u8, Corrupt> {
        let byte = self.peek().ok_or(Corrupt)?;
        self.at += 1;
        Ok(byte)
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.at += found as usize;
        found
    }

    fn expect(&mut self, byte: u8) -> Result<(), Corrupt> {
        self.eat(byte).then_some(()).ok_or(Corrupt)
    }
}

/// The top-level members the envelope has.
enum Name {
    Data,
    ExpiresAt,
    CreatedAt,
    Deadline,
    Other,
}
