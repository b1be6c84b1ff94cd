//! `sendmessage` route of the chat's WebSocket API (`{"action":"sendmessage","data":"hi"}`):
//! posts the message to every stored connection through the API Gateway Management API and
//! deletes the connections that answer 410 Gone.

use chat_common::management::primitives::Blob;
use chat_common::{connection_id, dynamodb, management, ws_response, ApiGatewayProxyResponse,
    ApiGatewayWebsocketProxyRequest, AttributeValue, Connections, Error};
use serde_json::json;

const MAX_MESSAGE_CHARS: usize = 4096;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    chat_common::serve_route(|connections: Connections, request| async move {
        let mgmt = chat_common::management_client(&connections.config, &request)?;
        handle(&connections.db, &mgmt, &connections.table, request).await
    })
    .await
}

async fn handle(db: &dynamodb::Client, mgmt: &management::Client, table: &str, request: ApiGatewayWebsocketProxyRequest) -> Result<ApiGatewayProxyResponse, Error> {
    let sender = connection_id(&request)?;
    let body: serde_json::Value = request.body.as_deref().and_then(|b| serde_json::from_str(b).ok()).unwrap_or_default();
    let data = match body.get("data").and_then(|d| d.as_str()) {
        Some(d) if !d.trim().is_empty() && d.chars().count() <= MAX_MESSAGE_CHARS => d,
        _ => {
            let why = format!("send {{\"action\":\"sendmessage\",\"data\":\"1 to {MAX_MESSAGE_CHARS} characters\"}}");
            return Ok(ws_response(400, json!({"message": why})));
        }
    };
    let from = db
        .get_item()
        .table_name(table)
        .key("connectionId", AttributeValue::S(sender.to_string()))
        .send()
        .await?
        .item
        .and_then(|item| item.get("name").and_then(|n| n.as_s().ok()).cloned())
        .unwrap_or_else(|| sender.to_string());
    let message = json!({"type": "message", "from": from, "data": data, "sentAt": request.request_context.request_time_epoch}).to_string();

    let (mut sent, mut gone, mut failed) = (0, 0, 0);
    for id in connections(db, table).await? {
        match mgmt.post_to_connection().connection_id(&id).data(Blob::new(message.as_bytes())).send().await {
            Ok(_) => sent += 1,
            Err(e) if e.as_service_error().is_some_and(|s| s.is_gone_exception()) => {
                db.delete_item().table_name(table).key("connectionId", AttributeValue::S(id)).send().await?;
                gone += 1;
            }
            Err(e) => {
                eprintln!("PostToConnection {id} failed: {}", chat_common::dynamodb::error::DisplayErrorContext(&e));
                failed += 1;
            }
        }
    }
    Ok(ws_response(200, json!({"sent": sent, "gone": gone, "failed": failed})))
}

/// Every stored connection id, page by page.
async fn connections(db: &dynamodb::Client, table: &str) -> Result<Vec<String>, Error> {
    let (mut ids, mut start) = (Vec::new(), None);
    loop {
        let page = db.scan().table_name(table).projection_expression("connectionId").set_exclusive_start_key(start).send().await?;
        ids.extend(page.items().iter().filter_map(|item| item.get("connectionId")?.as_s().ok().cloned()));
        match page.last_evaluated_key {
            Some(key) if !key.is_empty() => start = Some(key),
            _ => return Ok(ids),
        }
    }
}
