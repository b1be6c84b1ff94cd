//! `$connect` route of the chat's WebSocket API: stores the connection (and the `?name=` from
//! the URL) in the connections table. Without a name it answers 400, so API Gateway refuses
//! the handshake.

use chat_common::{connection_id, ws_response, ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest,
    AttributeValue, Connections, Error};
use serde_json::json;

const MAX_NAME_CHARS: usize = 64;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    chat_common::serve_route(handle).await
}

async fn handle(connections: Connections, request: ApiGatewayWebsocketProxyRequest) -> Result<ApiGatewayProxyResponse, Error> {
    let id = connection_id(&request)?;
    let name = request.query_string_parameters.first("name").map(str::trim).unwrap_or_default();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Ok(ws_response(400, json!({"message": format!("connect with ?name=YOUR_NAME (1 to {MAX_NAME_CHARS} characters)")})));
    }
    connections.db.put_item()
        .table_name(&connections.table)
        .item("connectionId", AttributeValue::S(id.to_string()))
        .item("name", AttributeValue::S(name.to_string()))
        .item("connectedAt", AttributeValue::N(request.request_context.connected_at.to_string()))
        .send()
        .await?;
    Ok(ws_response(200, json!({"connected": id, "name": name})))
}
