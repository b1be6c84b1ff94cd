//! `$connect` route of the chat's WebSocket API: stores the connection (and the `?name=` from
//! the URL) in the connections table. Without a name it answers 400, so API Gateway refuses
//! the handshake.

use chat_common::{connection_id, dynamodb, service_fn, ws_response, ApiGatewayProxyResponse,
    ApiGatewayWebsocketProxyRequest, AttributeValue, Error, LambdaEvent};
use serde_json::json;

const MAX_NAME_CHARS: usize = 64;

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
    let name = request.query_string_parameters.first("name").map(str::trim).unwrap_or_default();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Ok(ws_response(400, json!({"message": format!("connect with ?name=YOUR_NAME (1 to {MAX_NAME_CHARS} characters)")})));
    }
    db.put_item()
        .table_name(table)
        .item("connectionId", AttributeValue::S(id.to_string()))
        .item("name", AttributeValue::S(name.to_string()))
        .item("connectedAt", AttributeValue::N(request.request_context.connected_at.to_string()))
        .send()
        .await?;
    Ok(ws_response(200, json!({"connected": id, "name": name})))
}
