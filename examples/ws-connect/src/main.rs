//! `$connect` route of the chat's WebSocket API: accepts a new connection.
//! A `?name=` query parameter names the user.

use lambda_runtime_lite::json::quote;
use lambda_runtime_lite::{gateway_response, run, HandlerError, Invocation};
use std::process::ExitCode;

fn main() -> ExitCode {
    run("ws-connect", handle)
}

fn handle(event: &Invocation) -> Result<String, HandlerError> {
    let connection = event.require_str(&["requestContext", "connectionId"])?;
    let route = event
        .str_at(&["requestContext", "routeKey"])
        .unwrap_or_default();
    if route != "$connect" {
        return Err(HandlerError::new(
            "WrongRoute",
            format!("ws-connect got route {route:?}"),
        ));
    }
    let name = event
        .str_at(&["queryStringParameters", "name"])
        .unwrap_or_else(|| "anonymous".to_string());
    let body = format!(
        "{{\"connected\":{},\"name\":{}}}",
        quote(&connection),
        quote(&name)
    );
    Ok(gateway_response(200, &body))
}
