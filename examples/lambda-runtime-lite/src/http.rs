//! Just enough HTTP/1.1 to talk to the Lambda Runtime API on its local address.
//! One request per connection (`Connection: close`); responses are read by
//! `Content-Length`, `Transfer-Encoding: chunked`, or until the server closes.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// Upper bound for a response head (status line and headers).
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Lambda's own limit for an invocation payload is 6 MB (20 MB streamed); stay above it.
const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    /// Header names as sent; look them up with [`Response::header`].
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first header with this name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request to `host:port` and reads the whole response.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<Response> {
    let mut stream = TcpStream::connect(addr)?;
    let _ = stream.set_nodelay(true);
    stream.write_all(&encode_request(addr, method, path, headers, body))?;
    stream.flush()?;
    read_response(&mut BufReader::new(stream))
}

/// The bytes of one HTTP/1.1 request.
pub fn encode_request(
    host: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Vec<u8> {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (name, value) in headers {
        // A header value must not smuggle in another header.
        let value: String = value.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if method != "GET" || !body.is_empty() {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    out
}

/// Reads a status line, headers and body from `reader`.
pub fn read_response<R: BufRead>(reader: &mut R) -> io::Result<Response> {
    let mut head_bytes = 0usize;
    let status_line = read_line(reader, &mut head_bytes)?
        .ok_or_else(|| bad("connection closed before a status line"))?;
    let status = parse_status_line(&status_line)?;

    let mut headers = Vec::new();
    loop {
        let line = read_line(reader, &mut head_bytes)?
            .ok_or_else(|| bad("connection closed inside the headers"))?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| bad(&format!("malformed header line: {line:?}")))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut response = Response {
        status,
        headers,
        body: Vec::new(),
    };

    let chunked = response
        .header("Transfer-Encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        response.body = read_chunked(reader)?;
    } else if let Some(len) = response.header("Content-Length") {
        let len: usize = len
            .parse()
            .map_err(|_| bad(&format!("bad Content-Length: {len:?}")))?;
        if len > MAX_BODY_BYTES {
            return Err(bad(&format!("body too large: {len} bytes")));
        }
        let mut body = vec![0u8; len];
        reader.read_exact(&mut body)?;
        response.body = body;
    } else if !(status == 204 || status == 304 || (100..200).contains(&status)) {
        // No length given: the body runs until the server closes the connection.
        reader
            .take(MAX_BODY_BYTES as u64 + 1)
            .read_to_end(&mut response.body)?;
        if response.body.len() > MAX_BODY_BYTES {
            return Err(bad("body too large"));
        }
    }
    Ok(response)
}

fn parse_status_line(line: &str) -> io::Result<u16> {
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    let code = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/1.") || code.len() != 3 {
        return Err(bad(&format!("malformed status line: {line:?}")));
    }
    code.parse()
        .map_err(|_| bad(&format!("malformed status line: {line:?}")))
}

fn read_chunked<R: BufRead>(reader: &mut R) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    let mut line_bytes = 0usize;
    loop {
        let line = read_line(reader, &mut line_bytes)?
            .ok_or_else(|| bad("connection closed inside a chunked body"))?;
        let size_text = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| bad(&format!("bad chunk size: {line:?}")))?;
        if size == 0 {
            // Skip trailers up to the empty line.
            while let Some(trailer) = read_line(reader, &mut line_bytes)? {
                if trailer.is_empty() {
                    break;
                }
            }
            return Ok(body);
        }
        if body.len() + size > MAX_BODY_BYTES {
            return Err(bad("body too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        let mut crlf = [0u8; 2];
        reader.read_exact(&mut crlf)?;
        if &crlf != b"\r\n" {
            return Err(bad("chunk not followed by CRLF"));
        }
    }
}

/// One line without its line ending; `None` at a clean end of stream.
fn read_line<R: BufRead>(reader: &mut R, budget_used: &mut usize) -> io::Result<Option<String>> {
    let mut raw = Vec::new();
    let limit = MAX_HEAD_BYTES.saturating_sub(*budget_used) as u64 + 1;
    let n = reader.take(limit).read_until(b'\n', &mut raw)?;
    *budget_used += n;
    if n == 0 {
        return Ok(None);
    }
    if *budget_used > MAX_HEAD_BYTES {
        return Err(bad("response head too large"));
    }
    if raw.last() != Some(&b'\n') {
        return Err(bad("connection closed mid-line"));
    }
    raw.pop();
    if raw.last() == Some(&b'\r') {
        raw.pop();
    }
    String::from_utf8(raw)
        .map(Some)
        .map_err(|_| bad("response head is not UTF-8"))
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> io::Result<Response> {
        read_response(&mut raw.as_bytes())
    }

    #[test]
    fn content_length_body_and_case_insensitive_headers() {
        let r = parse(
            "HTTP/1.1 200 OK\r\nlambda-runtime-aws-request-id: abc-123\r\nContent-Length: 5\r\n\r\nhelloEXTRA",
        )
        .unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.header("Lambda-Runtime-Aws-Request-Id"), Some("abc-123"));
        assert_eq!(r.body, b"hello");
    }

    #[test]
    fn chunked_body() {
        let r = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n")
            .unwrap();
        assert_eq!(r.body, b"abcde");
    }

    #[test]
    fn body_until_close_and_bare_newlines() {
        let r = parse("HTTP/1.0 202 Accepted\nX: y\n\n{\"status\":\"OK\"}").unwrap();
        assert_eq!(r.status, 202);
        assert_eq!(r.body, b"{\"status\":\"OK\"}");
    }

    #[test]
    fn malformed_responses_are_errors() {
        assert!(parse("").is_err());
        assert!(parse("SMTP 220 hi\r\n\r\n").is_err());
        assert!(parse("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n").is_err());
        assert!(parse("HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n").is_err());
        assert!(parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort").is_err());
    }

    #[test]
    fn request_encoding() {
        let req = encode_request(
            "127.0.0.1:9001",
            "POST",
            "/x",
            &[("A", "b\r\nEvil: 1")],
            b"{}",
        );
        let text = String::from_utf8(req).unwrap();
        assert_eq!(
            text,
            "POST /x HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nConnection: close\r\nA: bEvil: 1\r\nContent-Length: 2\r\n\r\n{}"
        );
        let get = String::from_utf8(encode_request("h:1", "GET", "/n", &[], b"")).unwrap();
        assert!(!get.contains("Content-Length"));
    }
}
