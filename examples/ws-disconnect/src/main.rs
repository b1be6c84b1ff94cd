//! `$disconnect` route of the chat's WebSocket API: deletes the connection's item.

use chat_common::{connection_id, dynamodb, service_fn, ws_response, ApiGatewayProxyResponse,
    ApiGatewayWebsocketProxyRequest, AttributeValue, Error, LambdaEvent};
use serde_json::json;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let db = dynamodb::Client::new(&chat_common::sdk_config().await);
    let table = chat_common::table_name()?;
    let (db, table) = (&db, table.as_str());
    chat_common::lambda_runtime::run(service_fn(
        move |event: LambdaEvent<ApiGatewayWebsocketProxyRequest>| async move { handle(db, table, event.payload).await },
    ))
    .await
}

async fn handle(db: &dynamodb::Client, table: &str, request: ApiGatewayWebsocketProxyRequest) -> Result<ApiGatewayProxyResponse, Error> {
    let id = connection_id(&request)?;
    db.delete_item().table_name(table).key("connectionId", AttributeValue::S(id.to_string())).send().await?;
    Ok(ws_response(200, json!({"disconnected": id})))
}
