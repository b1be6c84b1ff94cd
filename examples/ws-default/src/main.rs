//! `$default` route of the chat's WebSocket API: echoes messages no other route
//! matched, and tells the client which actions exist.

use lambda_runtime_lite::json::{get_str, quote};
use lambda_runtime_lite::{gateway_response, run, HandlerError, Invocation};
use std::process::ExitCode;

fn main() -> ExitCode {
    run("ws-default", handle)
}

fn handle(event: &Invocation) -> Result<String, HandlerError> {
    let connection = event.require_str(&["requestContext", "connectionId"])?;
    let data = event.str_at(&["body"]).unwrap_or_default();
    let action = get_str(&data, &["action"]).unwrap_or_default();
    let body = format!(
        "{{\"type\":\"echo\",\"to\":{},\"unknownAction\":{},\"knownActions\":[\"sendmessage\"],\"data\":{}}}",
        quote(&connection),
        quote(&action),
        quote(&data)
    );
    Ok(gateway_response(200, &body))
}
