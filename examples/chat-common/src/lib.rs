//! What the chat's functions share: the table's name, the SDK clients, the set-up of a route
//! function that uses the connections table, and the WebSocket route response. Settings come from the environment, as the CDK app and the local run set
//! them: `TABLE_NAME`, and the SDK's own variables (`AWS_REGION`, credentials,
//! `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL` for a local AWS).

pub use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
pub use aws_lambda_events::encodings::Body;
pub use aws_sdk_apigatewaymanagement as management;
pub use aws_sdk_dynamodb as dynamodb;
pub use dynamodb::types::AttributeValue;
pub use lambda_http;
pub use lambda_runtime::{self, service_fn, Error, LambdaEvent};

/// The variable that names the management API's endpoint for local runs; deployed, the
/// endpoint follows from the event (`https://{domainName}/{stage}`).
pub const MANAGEMENT_ENDPOINT_VAR: &str = "AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI";

/// The connections table (app.json: `tables[0]`, env `TABLE_NAME`).
pub fn table_name() -> Result<String, Error> {
    match std::env::var("TABLE_NAME") {
        Ok(name) if !name.is_empty() => Ok(name),
        _ => Err("TABLE_NAME is not set: the function needs the connections table's name".into()),
    }
}

/// The SDK's configuration as it resolves it from the environment (region, credentials, endpoints),
/// with an HTTPS client on rustls and ring (the SDK's default client would use aws-lc-rs).
pub async fn sdk_config() -> aws_config::SdkConfig {
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http)
        .load()
        .await
}

/// What a route function that keeps connections needs: the SDK's configuration, a DynamoDB client
/// and the connections table's name. Cloning it is cheap (the client is shared).
#[derive(Clone)]
pub struct Connections {
    pub config: aws_config::SdkConfig,
    pub db: dynamodb::Client,
    pub table: String,
}

/// Runs a WebSocket route function on the connections table: the SDK and the table's name are set
/// up once, at init (a missing `TABLE_NAME` fails the init, as on Lambda), then every event goes to
/// `handle` with them.
pub async fn serve_route<F, Fut>(handle: F) -> Result<(), Error>
where
    F: Fn(Connections, ApiGatewayWebsocketProxyRequest) -> Fut,
    Fut: std::future::Future<Output = Result<ApiGatewayProxyResponse, Error>>,
{
    let config = sdk_config().await;
    let connections = Connections { db: dynamodb::Client::new(&config), table: table_name()?, config };
    let (handle, connections) = (&handle, &connections);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<ApiGatewayWebsocketProxyRequest>| async move {
        handle(connections.clone(), event.payload).await
    }))
    .await
}

/// A client for the API Gateway Management API of the WebSocket API that sent `request`.
pub fn management_client(
    config: &aws_config::SdkConfig,
    request: &ApiGatewayWebsocketProxyRequest,
) -> Result<management::Client, Error> {
    let endpoint = match std::env::var(MANAGEMENT_ENDPOINT_VAR) {
        Ok(url) if !url.is_empty() => url,
        _ => {
            let context = &request.request_context;
            let domain = context.domain_name.as_deref().ok_or("the event has no requestContext.domainName")?;
            let stage = context.stage.as_deref().ok_or("the event has no requestContext.stage")?;
            format!("https://{domain}/{stage}")
        }
    };
    let conf = management::config::Builder::from(config).endpoint_url(endpoint).build();
    Ok(management::Client::from_conf(conf))
}

/// The sender's connection id (every WebSocket route event has one).
pub fn connection_id(request: &ApiGatewayWebsocketProxyRequest) -> Result<&str, Error> {
    request
        .request_context
        .connection_id
        .as_deref()
        .ok_or_else(|| "the event has no requestContext.connectionId".into())
}

/// A route response: for `$connect`, a status other than 2xx makes API Gateway refuse the handshake.
pub fn ws_response(status: i64, body: serde_json::Value) -> ApiGatewayProxyResponse {
    let mut response = ApiGatewayProxyResponse::default();
    response.status_code = status;
    response.body = Some(Body::Text(body.to_string()));
    response
}
