//! HTTP side of the chat (API Gateway HTTP API, payload format 2.0, or REST API):
//! `GET /health` and `GET /info`; anything else is a 404.

use lambda_runtime_lite::json::quote;
use lambda_runtime_lite::{gateway_response, run, HandlerError, Invocation};
use std::process::ExitCode;

fn main() -> ExitCode {
    run("backend", handle)
}

fn handle(event: &Invocation) -> Result<String, HandlerError> {
    let method = event
        .str_at(&["requestContext", "http", "method"])
        .or_else(|| event.str_at(&["httpMethod"]))
        .ok_or_else(|| HandlerError::new("InvalidEvent", "not an API Gateway HTTP event"))?;
    let path = event
        .str_at(&["rawPath"])
        .or_else(|| event.str_at(&["path"]))
        .unwrap_or_else(|| "/".to_string());
    Ok(match (method.as_str(), path.as_str()) {
        ("GET", "/health") => gateway_response(200, "{\"status\":\"ok\"}"),
        ("GET", "/info") => gateway_response(
            200,
            "{\"service\":\"chat\",\"websocketRoutes\":[\"$connect\",\"$disconnect\",\"$default\",\"sendmessage\"]}",
        ),
        _ => gateway_response(404, &format!("{{\"error\":\"not found\",\"path\":{}}}", quote(&path))),
    })
}
