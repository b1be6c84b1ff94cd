//! API Gateway HTTP API: GET /health and GET /echo?text=..., with lambda_http.
use lambda_http::{run, service_fn, Body, Error, Request, RequestExt, Response};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(|req: Request| async move {
        let body = match req.uri().path() {
            "/health" => serde_json::json!({ "status": "ok" }),
            _ => serde_json::json!({ "echo": req.query_string_parameters().first("text").unwrap_or("") }),
        };
        Ok::<_, Error>(Response::builder().status(200).header("content-type", "application/json").body(Body::from(body.to_string()))?)
    }))
    .await
}
