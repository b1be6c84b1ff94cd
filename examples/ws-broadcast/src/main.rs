//! `sendmessage` route of the chat's WebSocket API: turns
//! `{"action":"sendmessage","message":"hi"}` into the chat message every connected
//! client receives. (Delivering it with the API Gateway Management API needs signed
//! HTTPS requests, which is beyond this standard-library-only example.)

use lambda_runtime_lite::json::{get_raw, get_str, quote};
use lambda_runtime_lite::{gateway_response, run, HandlerError, Invocation};
use std::process::ExitCode;

const MAX_MESSAGE_CHARS: usize = 4096;

fn main() -> ExitCode {
    run("ws-broadcast", handle)
}

fn handle(event: &Invocation) -> Result<String, HandlerError> {
    let connection = event.require_str(&["requestContext", "connectionId"])?;
    let data = event.str_at(&["body"]).unwrap_or_default();
    let message = match get_str(&data, &["message"]) {
        Some(m) if !m.trim().is_empty() && m.chars().count() <= MAX_MESSAGE_CHARS => m,
        _ => {
            let why = format!("expected {{\"action\":\"sendmessage\",\"message\":\"1 to {MAX_MESSAGE_CHARS} characters\"}}");
            return Ok(gateway_response(
                400,
                &format!("{{\"error\":{}}}", quote(&why)),
            ));
        }
    };
    let sent_at =
        get_raw(&event.payload, &["requestContext", "requestTimeEpoch"]).unwrap_or("null");
    let body = format!(
        "{{\"type\":\"message\",\"from\":{},\"message\":{},\"sentAt\":{}}}",
        quote(&connection),
        quote(&message),
        sent_at
    );
    Ok(gateway_response(200, &body))
}
