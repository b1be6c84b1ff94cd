//! A few JSON helpers: quote a string, and read one value out of a document by its
//! path of object keys (`["requestContext", "connectionId"]`). The scanner checks the
//! syntax of everything it steps over, so a key inside a string is never mistaken
//! for a real one.

/// `s` as a JSON string literal, quotes included.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The raw text of the value at `path` (an object key per step), if there is one.
pub fn get_raw<'a>(doc: &'a str, path: &[&str]) -> Option<&'a str> {
    let mut s = Scanner {
        b: doc.as_bytes(),
        i: 0,
    };
    for key in path {
        s.ws();
        if s.peek()? != b'{' {
            return None;
        }
        s.i += 1;
        loop {
            s.ws();
            if s.peek()? == b'}' {
                return None;
            }
            let k = s.string()?;
            s.ws();
            s.expect(b':')?;
            if k == *key {
                break;
            }
            s.value()?;
            s.ws();
            match s.peek()? {
                b',' => s.i += 1,
                _ => return None,
            }
        }
    }
    s.ws();
    let start = s.i;
    s.value()?;
    Some(&doc[start..s.i])
}

/// The string at `path`; `None` if it is missing or not a string.
pub fn get_str(doc: &str, path: &[&str]) -> Option<String> {
    let raw = get_raw(doc, path)?;
    if !raw.starts_with('"') {
        return None;
    }
    Scanner {
        b: raw.as_bytes(),
        i: 0,
    }
    .string()
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// Steps over one value of any kind.
    fn value(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.i += 1;
                self.ws();
                if self.peek()? == close {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    if open == b'{' {
                        self.ws();
                        self.string()?;
                        self.ws();
                        self.expect(b':')?;
                    }
                    self.value()?;
                    self.ws();
                    match self.peek()? {
                        b',' => self.i += 1,
                        c if c == close => {
                            self.i += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b't' => self.word("true"),
            b'f' => self.word("false"),
            b'n' => self.word("null"),
            b'-' | b'0'..=b'9' => {
                let start = self.i;
                while matches!(
                    self.peek(),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    self.i += 1;
                }
                std::str::from_utf8(&self.b[start..self.i])
                    .ok()?
                    .parse::<f64>()
                    .ok()
                    .map(|_| ())
            }
            _ => None,
        }
    }

    fn word(&mut self, w: &str) -> Option<()> {
        let end = self.i + w.len();
        (self.b.get(self.i..end)? == w.as_bytes()).then(|| self.i = end)
    }

    /// Reads a string literal and decodes its escapes.
    fn string(&mut self) -> Option<String> {
        self.expect(b'"')?;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let c = self.peek()?;
            self.i += 1;
            match c {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = self.peek()?;
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                0x00..=0x1f => return None,
                _ => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = std::str::from_utf8(self.b.get(self.i..self.i + 4)?).ok()?;
        let v = u32::from_str_radix(digits, 16).ok()?;
        self.i += 4;
        Some(v)
    }

    fn unicode_escape(&mut self) -> Option<char> {
        let hi = self.hex4()?;
        if (0xD800..0xDC00).contains(&hi) {
            // A surrogate pair: `\uD83D\uDE00`.
            self.word("\\u")?;
            let lo = self.hex4()?;
            if !(0xDC00..0xE000).contains(&lo) {
                return None;
            }
            return char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
        }
        char::from_u32(hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENT: &str = r#"{
        "headers": {"Host": "abc.execute-api.eu-west-1.amazonaws.com"},
        "note": "a decoy \"connectionId\": \"nope\" in a string",
        "multi": [1, -2.5e3, true, false, null, {"x": []}],
        "requestContext": {
            "routeKey": "$connect",
            "eventType": "CONNECT",
            "connectionId": "L0SM9cOFvHcCIhw=",
            "requestTimeEpoch": 1700000000000
        },
        "body": "{\"action\":\"sendmessage\",\"message\":\"h\u00e9llo \ud83d\ude00\\n\"}",
        "isBase64Encoded": false
    }"#;

    #[test]
    fn reads_nested_strings() {
        assert_eq!(
            get_str(EVENT, &["requestContext", "connectionId"]).as_deref(),
            Some("L0SM9cOFvHcCIhw=")
        );
        assert_eq!(
            get_str(EVENT, &["requestContext", "routeKey"]).as_deref(),
            Some("$connect")
        );
        assert_eq!(get_str(EVENT, &["connectionId"]), None);
        assert_eq!(
            get_raw(EVENT, &["requestContext", "requestTimeEpoch"]),
            Some("1700000000000")
        );
        assert_eq!(get_raw(EVENT, &["isBase64Encoded"]), Some("false"));
        assert_eq!(get_str(EVENT, &["isBase64Encoded"]), None);
    }

    #[test]
    fn decodes_escapes_and_nested_documents() {
        let body = get_str(EVENT, &["body"]).unwrap();
        assert_eq!(get_str(&body, &["action"]).as_deref(), Some("sendmessage"));
        assert_eq!(
            get_str(&body, &["message"]).as_deref(),
            Some("h\u{e9}llo \u{1F600}\n")
        );
    }

    #[test]
    fn rejects_broken_documents() {
        assert_eq!(get_str("", &["a"]), None);
        assert_eq!(get_str("[]", &["a"]), None);
        assert_eq!(get_str(r#"{"b": tru, "a": "x"}"#, &["a"]), None);
        assert_eq!(get_str(r#"{"a": "unterminated}"#, &["a"]), None);
    }

    #[test]
    fn quote_round_trips() {
        let s = "say \"hi\"\\\n\t\u{1}\u{e9}";
        let q = quote(s);
        assert_eq!(q, "\"say \\\"hi\\\"\\\\\\n\\t\\u0001\u{e9}\"");
        let doc = format!("{{\"k\":{q}}}");
        assert_eq!(get_str(&doc, &["k"]).as_deref(), Some(s));
    }
}
