//! `$default` route of the chat's WebSocket API (a message no route matched): tells the sender,
//! through the API Gateway Management API, how to send a chat message.

use chat_common::management::primitives::Blob;
use chat_common::{connection_id, service_fn, ws_response, ApiGatewayProxyResponse,
    ApiGatewayWebsocketProxyRequest, Error, LambdaEvent};
use serde_json::json;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let config = chat_common::sdk_config().await;
    let config = &config;
    chat_common::lambda_runtime::run(service_fn(
        move |event: LambdaEvent<ApiGatewayWebsocketProxyRequest>| async move {
            let request = event.payload;
            let id = connection_id(&request)?;
            let help = json!({
                "type": "help",
                "message": "send {\"action\":\"sendmessage\",\"data\":\"your message\"}",
            });
            chat_common::management_client(config, &request)?
                .post_to_connection()
                .connection_id(id)
                .data(Blob::new(help.to_string()))
                .send()
                .await?;
            Ok::<ApiGatewayProxyResponse, Error>(ws_response(200, json!({"helped": id})))
        },
    ))
    .await
}
