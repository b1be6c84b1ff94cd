//! Posts the event to WEBHOOK_URL over HTTPS (reqwest, rustls) and answers the status it got.
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::{json, Value};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = reqwest::Client::new();
    run(service_fn(|event: LambdaEvent<Value>| {
        let client = client.clone();
        async move {
            let Ok(url) = std::env::var("WEBHOOK_URL") else { return Ok::<Value, Error>(json!({ "sent": false })) };
            let status = client.post(url).json(&event.payload).send().await?.status().as_u16();
            Ok(json!({ "sent": true, "status": status }))
        }
    }))
    .await
}
