//! HTTP side of the chat (API Gateway HTTP API, payload format 2.0): `GET /health`, `GET /info`,
//! `GET /connections/count` (counts the connections table); JSON errors for anything else.

use chat_common::dynamodb::{self, types::Select};
use chat_common::lambda_http::{self, http::StatusCode, service_fn, Body, Error, Request, Response};
use serde_json::{json, Value};

const ROUTES: [&str; 3] = ["/health", "/info", "/connections/count"];

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let db = dynamodb::Client::new(&chat_common::sdk_config().await);
    let table = chat_common::table_name()?;
    let (db, table) = (&db, table.as_str());
    lambda_http::run(service_fn(move |request: Request| async move { handle(db, table, request).await })).await
}

async fn handle(db: &dynamodb::Client, table: &str, request: Request) -> Result<Response<Body>, Error> {
    let path = request.uri().path();
    let (status, body) = match (request.method().as_str(), path) {
        ("GET", "/health") => (StatusCode::OK, json!({"status": "ok"})),
        ("GET", "/info") => (
            StatusCode::OK,
            json!({
                "service": "chat",
                "version": env!("CARGO_PKG_VERSION"),
                "httpRoutes": ROUTES.map(|r| format!("GET {r}")),
                "websocketRoutes": ["$connect", "$disconnect", "sendmessage", "$default"],
            }),
        ),
        ("GET", "/connections/count") => match count(db, table).await {
            Ok(n) => (StatusCode::OK, json!({"connections": n})),
            Err(e) => {
                eprintln!("counting {table} failed: {e}");
                (StatusCode::INTERNAL_SERVER_ERROR, json!({"message": "Internal Server Error"}))
            }
        },
        (_, p) if ROUTES.contains(&p) => (StatusCode::METHOD_NOT_ALLOWED, json!({"message": "Method Not Allowed"})),
        _ => (StatusCode::NOT_FOUND, json!({"message": "Not Found", "path": path})),
    };
    json_response(status, body)
}

fn json_response(status: StatusCode, body: Value) -> Result<Response<Body>, Error> {
    Ok(Response::builder().status(status).header("content-type", "application/json").body(Body::from(body.to_string()))?)
}

async fn count(db: &dynamodb::Client, table: &str) -> Result<i64, Error> {
    let (mut total, mut start) = (0i64, None);
    loop {
        let page = db.scan().table_name(table).select(Select::Count).set_exclusive_start_key(start).send().await
            .map_err(|e| Error::from(dynamodb::error::DisplayErrorContext(e).to_string()))?;
        total += i64::from(page.count);
        match page.last_evaluated_key {
            Some(key) if !key.is_empty() => start = Some(key),
            _ => return Ok(total),
        }
    }
}
