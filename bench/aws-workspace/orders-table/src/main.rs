//! Reads an order from DynamoDB (table from ORDERS_TABLE) with the AWS SDK; the client is made at init.
use aws_sdk_dynamodb::{types::AttributeValue, Client};
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
struct Request {
    order_id: String,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_from_env().await;
    let client = Client::new(&config);
    let table = std::env::var("ORDERS_TABLE").unwrap_or_else(|_| "orders".to_string());
    run(service_fn(|event: LambdaEvent<Request>| {
        let (client, table) = (client.clone(), table.clone());
        async move {
            let out = client.get_item().table_name(table).key("order_id", AttributeValue::S(event.payload.order_id.clone())).send().await?;
            Ok::<Value, Error>(json!({ "order_id": event.payload.order_id, "found": out.item().is_some() }))
        }
    }))
    .await
}
