import { CfnOutput, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { AppSpec } from './app-spec';
import { ManifestError, ManifestFunction } from './manifest';

export interface FunctionsStackProps extends StackProps {
  readonly functions: ManifestFunction[];
  /** The tables and APIs around the functions (app.json); without it, the functions alone. */
  readonly app?: AppSpec;
}

/** A construct id from a route key ("GET /connections/count" -> "GET-connections-count", "$connect" -> "connect"). */
function routeId(route: string): string {
  return route.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'root';
}

/** The architecture Lambda needs for the machine build-lambda verified. */
export function architectureOf(f: ManifestFunction): lambda.Architecture {
  switch (f.arch) {
    case 'aarch64': return lambda.Architecture.ARM_64;
    case 'x86_64': return lambda.Architecture.X86_64;
    default: throw new ManifestError(`${f.name}: arch "${f.arch}" is not one Lambda runs (aarch64 or x86_64)`);
  }
}

/** One Lambda function per manifest entry; the construct id is the function's name. */
export class FunctionsStack extends Stack {
  readonly functions: Record<string, lambda.Function> = {};

  constructor(scope: Construct, id: string, props: FunctionsStackProps) {
    super(scope, id, props);
    for (const f of props.functions) {
      this.functions[f.name] = new lambda.Function(this, f.name, {
        runtime: lambda.Runtime.PROVIDED_AL2023,
        architecture: architectureOf(f),
        handler: 'bootstrap',
        // The reproducible zip as is (a .zip file is uploaded, not re-zipped): its asset hash
        // follows its bytes, so an unchanged function is not redeployed.
        code: lambda.Code.fromAsset(f.zip),
        description: `${f.name} (build-lambda, zip sha256 ${f.zipSha256.slice(0, 12)})`,
      });
    }
    if (props.app) this.addApp(props.app);
  }

  private fn(name: string): lambda.Function {
    const f = this.functions[name];
    if (!f) throw new ManifestError(`the app routes to ${name}, which the manifest does not list`);
    return f;
  }

  private addApp(app: AppSpec): void {
    for (const t of app.tables) {
      const table = new dynamodb.Table(this, t.id, {
        partitionKey: { name: t.partitionKey.name, type: { S: dynamodb.AttributeType.STRING, N: dynamodb.AttributeType.NUMBER, B: dynamodb.AttributeType.BINARY }[t.partitionKey.type] },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        // Connections are short-lived state: deleting the stack deletes them.
        removalPolicy: RemovalPolicy.DESTROY,
      });
      for (const name of t.readWrite) table.grantReadWriteData(this.fn(name));
      for (const name of t.read) table.grantReadData(this.fn(name));
      for (const name of new Set([...t.readWrite, ...t.read])) this.fn(name).addEnvironment(t.env, table.tableName);
    }
    if (app.httpApi) {
      const api = new apigwv2.HttpApi(this, 'HttpApi', { createDefaultStage: true });
      for (const r of app.httpApi.routes) {
        const integration = new integrations.HttpLambdaIntegration(`${routeId(r.route)}-${r.function}`, this.fn(r.function), {
          payloadFormatVersion: r.payloadFormatVersion === '1.0' ? apigwv2.PayloadFormatVersion.VERSION_1_0 : apigwv2.PayloadFormatVersion.VERSION_2_0,
        });
        let routeKey: apigwv2.HttpRouteKey;
        if (r.route === '$default') {
          routeKey = apigwv2.HttpRouteKey.DEFAULT;
        } else {
          const [method, routePath, extra] = r.route.split(' ');
          if (!routePath || extra !== undefined || !routePath.startsWith('/')) throw new ManifestError(`httpApi route "${r.route}" is not "METHOD /path" or "$default"`);
          routeKey = apigwv2.HttpRouteKey.with(routePath, method === 'ANY' ? apigwv2.HttpMethod.ANY : (method as apigwv2.HttpMethod));
        }
        new apigwv2.HttpRoute(this, `HttpRoute-${routeId(r.route)}`, { httpApi: api, routeKey, integration });
      }
      new CfnOutput(this, 'HttpApiUrl', { value: api.apiEndpoint, description: 'the HTTP API (backend), https://' });
    }
    if (app.webSocketApi) {
      const w = app.webSocketApi;
      const api = new apigwv2.WebSocketApi(this, 'WebSocketApi', { routeSelectionExpression: w.routeSelectionExpression });
      for (const r of w.routes) {
        api.addRoute(r.route, { integration: new integrations.WebSocketLambdaIntegration(`${routeId(r.route)}-${r.function}`, this.fn(r.function)) });
      }
      const stage = new apigwv2.WebSocketStage(this, 'WebSocketStage', { webSocketApi: api, stageName: w.stage, autoDeploy: true });
      // PostToConnection and friends on this stage's @connections API (execute-api:ManageConnections).
      for (const name of w.manageConnections) stage.grantManagementApiAccess(this.fn(name));
      new CfnOutput(this, 'WebSocketUrl', { value: stage.url, description: 'the WebSocket API, wss://' });
    }
  }
}
