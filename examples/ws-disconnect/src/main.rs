//! `$disconnect` route of the chat's WebSocket API: deletes the connection's item.

use chat_common::{connection_id, ws_response, ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest,
    AttributeValue, Connections, Error};
use serde_json::json;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    chat_common::serve_route(handle).await
}

async fn handle(connections: Connections, request: ApiGatewayWebsocketProxyRequest) -> Result<ApiGatewayProxyResponse, Error> {
    let id = connection_id(&request)?;
    connections.db.delete_item().table_name(&connections.table).key("connectionId", AttributeValue::S(id.to_string())).send().await?;
    Ok(ws_response(200, json!({"disconnected": id})))
}
