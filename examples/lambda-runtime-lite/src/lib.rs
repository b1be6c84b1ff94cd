//! A minimal AWS Lambda custom-runtime client using only the standard library.
//!
//! `run` reads `AWS_LAMBDA_RUNTIME_API` (`host:port`), then loops: fetch the next
//! invocation, call the handler, post its result (or a JSON error) back.
//! See <https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html>.

pub mod http;
pub mod json;

use std::io;
use std::process::ExitCode;

pub const RUNTIME_API_ENV: &str = "AWS_LAMBDA_RUNTIME_API";
const BASE: &str = "/2018-06-01/runtime/invocation";

/// One invocation as the Runtime API hands it out.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub request_id: String,
    /// Milliseconds since the Unix epoch when the invocation times out.
    pub deadline_ms: Option<u64>,
    pub invoked_function_arn: Option<String>,
    pub trace_id: Option<String>,
    /// The event, as JSON text.
    pub payload: String,
}

impl Invocation {
    /// The string at `path` in the event (see [`json::get_str`]).
    pub fn str_at(&self, path: &[&str]) -> Option<String> {
        json::get_str(&self.payload, path)
    }

    /// Like [`Invocation::str_at`], but a missing field is an `InvalidEvent` error.
    pub fn require_str(&self, path: &[&str]) -> Result<String, HandlerError> {
        self.str_at(path).ok_or_else(|| {
            HandlerError::new(
                "InvalidEvent",
                format!("event has no string at {}", path.join(".")),
            )
        })
    }
}

/// A failed invocation, reported to Lambda as `{"errorMessage":..,"errorType":..}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerError {
    pub error_type: String,
    pub message: String,
}

impl HandlerError {
    pub fn new(error_type: impl Into<String>, message: impl Into<String>) -> Self {
        HandlerError {
            error_type: error_type.into(),
            message: message.into(),
        }
    }

    pub fn to_json(&self) -> String {
        format!(
            "{{\"errorMessage\":{},\"errorType\":{}}}",
            json::quote(&self.message),
            json::quote(&self.error_type)
        )
    }
}

/// An API Gateway proxy response: `{"statusCode":..,"body":".."}`.
pub fn gateway_response(status: u16, body: &str) -> String {
    format!(
        "{{\"statusCode\":{status},\"headers\":{{\"content-type\":\"application/json\"}},\"body\":{}}}",
        json::quote(body)
    )
}

/// Runs the Lambda event loop for `handler`; returns only on a fatal error.
///
/// `name` prefixes the messages this prints on stderr.
pub fn run<F>(name: &str, mut handler: F) -> ExitCode
where
    F: FnMut(&Invocation) -> Result<String, HandlerError>,
{
    let api = match std::env::var(RUNTIME_API_ENV) {
        Ok(v) if !v.trim().is_empty() => v.trim().to_string(),
        _ => {
            eprintln!(
                "{name}: {RUNTIME_API_ENV} is not set; this binary is an AWS Lambda function \
                 (bootstrap) and must run inside Lambda or a Runtime Interface Emulator"
            );
            return ExitCode::from(1);
        }
    };
    loop {
        if let Err(e) = serve_one(&api, &mut handler) {
            eprintln!("{name}: Lambda Runtime API at {api}: {e}");
            return ExitCode::from(1);
        }
    }
}

/// Fetches one invocation, runs `handler` on it and posts the outcome.
/// An `Err` means the Runtime API itself failed and the process should exit.
pub fn serve_one<F>(api: &str, handler: &mut F) -> io::Result<()>
where
    F: FnMut(&Invocation) -> Result<String, HandlerError>,
{
    let next = http::request(api, "GET", &format!("{BASE}/next"), &[], b"")?;
    if next.status != 200 {
        return Err(fail(format!(
            "GET {BASE}/next answered HTTP {}",
            next.status
        )));
    }
    let request_id = next
        .header("Lambda-Runtime-Aws-Request-Id")
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_graphic() && b != b'/'))
        .ok_or_else(|| fail("next invocation has no valid Lambda-Runtime-Aws-Request-Id".into()))?
        .to_string();
    let trace_id = next.header("Lambda-Runtime-Trace-Id").map(str::to_string);
    if let Some(trace) = &trace_id {
        std::env::set_var("_X_AMZN_TRACE_ID", trace);
    }
    let mut invocation = Invocation {
        deadline_ms: next
            .header("Lambda-Runtime-Deadline-Ms")
            .and_then(|v| v.parse().ok()),
        invoked_function_arn: next
            .header("Lambda-Runtime-Invoked-Function-Arn")
            .map(str::to_string),
        trace_id,
        payload: String::new(),
        request_id,
    };
    let outcome = match String::from_utf8(next.body) {
        Ok(payload) => {
            invocation.payload = payload;
            handler(&invocation)
        }
        Err(_) => Err(HandlerError::new(
            "InvalidEvent",
            "event payload is not UTF-8",
        )),
    };

    let id = &invocation.request_id;
    let posted = match &outcome {
        Ok(body) => http::request(
            api,
            "POST",
            &format!("{BASE}/{id}/response"),
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )?,
        Err(err) => {
            eprintln!(
                "invocation {id} failed: {}: {}",
                err.error_type, err.message
            );
            http::request(
                api,
                "POST",
                &format!("{BASE}/{id}/error"),
                &[
                    ("Content-Type", "application/json"),
                    ("Lambda-Runtime-Function-Error-Type", &err.error_type),
                ],
                err.to_json().as_bytes(),
            )?
        }
    };
    match posted.status {
        200..=299 => Ok(()),
        500..=599 => Err(fail(format!(
            "posting the result of {id} answered HTTP {}",
            posted.status
        ))),
        // 400/413: this invocation is lost, but the runtime can go on with the next one.
        s => {
            eprintln!(
                "invocation {id}: Runtime API refused the result with HTTP {s}: {}",
                String::from_utf8_lossy(&posted.body)
            );
            Ok(())
        }
    }
}

fn fail(msg: String) -> io::Error {
    io::Error::other(msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Write};
    use std::net::TcpListener;
    use std::thread;

    /// Request line, lower-cased headers, body.
    type Recorded = (String, Vec<(String, String)>, String);

    /// Serves one `next` and records the request the runtime posts back.
    fn fake_api(event: &'static str) -> (String, thread::JoinHandle<Recorded>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let server = thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let (line, _, _) = read_request(&mut BufReader::new(conn.try_clone().unwrap()));
            assert_eq!(line, format!("GET {BASE}/next HTTP/1.1"));
            write!(
                conn,
                "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: req-1\r\n\
                 Lambda-Runtime-Deadline-Ms: 1700000003000\r\nContent-Length: {}\r\n\r\n{event}",
                event.len()
            )
            .unwrap();
            drop(conn);
            let (mut conn, _) = listener.accept().unwrap();
            let got = read_request(&mut BufReader::new(conn.try_clone().unwrap()));
            conn.write_all(
                b"HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n",
            )
            .unwrap();
            got
        });
        (addr, server)
    }

    fn read_request(r: &mut impl std::io::BufRead) -> Recorded {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            r.read_line(&mut h).unwrap();
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (k, v) = h.split_once(':').unwrap();
            headers.push((k.to_ascii_lowercase(), v.trim().to_string()));
        }
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .map_or(0, |(_, v)| v.parse().unwrap());
        let mut body = vec![0; len];
        r.read_exact(&mut body).unwrap();
        (
            line.trim_end().to_string(),
            headers,
            String::from_utf8(body).unwrap(),
        )
    }

    #[test]
    fn posts_the_handler_result() {
        let (addr, server) = fake_api(r#"{"requestContext":{"connectionId":"c-1"}}"#);
        let mut seen = None;
        serve_one(&addr, &mut |inv: &Invocation| {
            seen = Some((inv.request_id.clone(), inv.deadline_ms));
            Ok(gateway_response(
                200,
                &inv.require_str(&["requestContext", "connectionId"])?,
            ))
        })
        .unwrap();
        let (line, _, body) = server.join().unwrap();
        assert_eq!(seen, Some(("req-1".to_string(), Some(1700000003000))));
        assert_eq!(line, format!("POST {BASE}/req-1/response HTTP/1.1"));
        assert_eq!(json::get_raw(&body, &["statusCode"]), Some("200"));
        assert_eq!(json::get_str(&body, &["body"]).as_deref(), Some("c-1"));
    }

    #[test]
    fn posts_handler_errors_to_the_error_endpoint() {
        let (addr, server) = fake_api("{}");
        serve_one(&addr, &mut |inv: &Invocation| {
            inv.require_str(&["requestContext", "connectionId"])
        })
        .unwrap();
        let (line, headers, body) = server.join().unwrap();
        assert_eq!(line, format!("POST {BASE}/req-1/error HTTP/1.1"));
        assert!(headers.contains(&(
            "lambda-runtime-function-error-type".into(),
            "InvalidEvent".into()
        )));
        assert_eq!(
            json::get_str(&body, &["errorType"]).as_deref(),
            Some("InvalidEvent")
        );
        assert_eq!(
            json::get_str(&body, &["errorMessage"]).as_deref(),
            Some("event has no string at requestContext.connectionId")
        );
    }
}
