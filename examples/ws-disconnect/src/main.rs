//! `$disconnect` route of the chat's WebSocket API: says goodbye to a connection.

use lambda_runtime_lite::json::quote;
use lambda_runtime_lite::{gateway_response, run, HandlerError, Invocation};
use std::process::ExitCode;

fn main() -> ExitCode {
    run("ws-disconnect", handle)
}

fn handle(event: &Invocation) -> Result<String, HandlerError> {
    let connection = event.require_str(&["requestContext", "connectionId"])?;
    let reason = event
        .str_at(&["requestContext", "disconnectReason"])
        .unwrap_or_default();
    let body = format!(
        "{{\"disconnected\":{},\"reason\":{}}}",
        quote(&connection),
        quote(&reason)
    );
    Ok(gateway_response(200, &body))
}
